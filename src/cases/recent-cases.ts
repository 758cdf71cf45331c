import type { CaseRow } from '../../db/schema';
import type { Clock } from '../shared/clock';

/** What a change made in one statement reads of the case (case.engine.ts, applyAlone). */
export type ChangeBase = Pick<CaseRow, 'id' | 'team_id' | 'version' | 'snapshot' | 'violence_types' | 'assessed_safety' | 'destroyed_at'>;

/**
 * The cases this process changed last, each as its change left it, for a short while: the next change of the case at
 * that version needs no read. Safe because a version names one content (every change of what a change reads bumps
 * it, as the ETag does) and the change statement's update applies only while the case is still at that version; when
 * another process changed the case meanwhile, the change takes the locked way. Bounded in number and age: only the
 * columns a change reads (no names or free text), and never longer than `maxAgeMs`.
 */
export class RecentCases {
  private readonly entries = new Map<string, { row: ChangeBase; at: number }>();

  constructor(private readonly o: { clock: Clock; max?: number; maxAgeMs?: number }) {}

  /** The case at `version`, if this process left it there within the age limit. */
  at(caseId: string, version: number): ChangeBase | undefined {
    const entry = this.entries.get(caseId);
    if (!entry) return undefined;
    if (this.o.clock.now().getTime() - entry.at > (this.o.maxAgeMs ?? 60_000)) {
      this.entries.delete(caseId);
      return undefined;
    }
    return entry.row.version === version ? entry.row : undefined;
  }

  /** Remembers the case as a committed change left it. */
  remember(row: CaseRow): void {
    const { id, team_id, version, snapshot, violence_types, assessed_safety, destroyed_at } = row;
    this.entries.delete(id);
    this.entries.set(id, { row: { id, team_id, version, snapshot, violence_types, assessed_safety, destroyed_at }, at: this.o.clock.now().getTime() });
    // Oldest first: a Map iterates in insertion order, and a case is re-inserted on every change.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= (this.o.max ?? 10_000)) break;
      this.entries.delete(oldest);
    }
  }
}
