import type { Transaction } from 'kysely';
import type { Database } from '../../db/database';
import type { AuditLogRow, DB, NewAuditLogRow } from '../../db/schema';
import type { Clock } from '../shared/clock';
import { auditRowHash, type AuditEntry } from './audit-chain';
import { auditRepository } from './audit.repository';

/** At most this many read rows per insert (13 parameters a row, well under PostgreSQL's 65 535). */
const MAX_BATCH = 500;

interface Pending {
  entry: AuditEntry;
  at: Date;
  resolve(row: AuditLogRow): void;
  reject(error: unknown): void;
}

/** The row as written: its contents and their hash; seq comes from the sequence, the chain from the sealer. */
export function auditRowOf(entry: AuditEntry, at: Date): NewAuditLogRow {
  const contents = {
    at,
    actor_id: entry.actor.id,
    actor_role: entry.actor.role,
    actor_teams: [...entry.actor.teams],
    action: entry.action,
    case_id: entry.caseId ?? null,
    case_team: entry.caseTeam ?? null,
    person_id: entry.personId ?? null,
    detail: entry.detail ?? null,
    break_glass: entry.breakGlass ?? false,
    reason: entry.reason ?? null,
  };
  return { ...contents, row_hash: auditRowHash(contents) };
}

/**
 * Records accesses in the trail. A change is recorded in the change's own transaction (`recordIn`); a read is
 * recorded before its answer leaves (`record`), and if that fails, so does the read.
 *
 * Writing a row takes no lock of the trail: it is inserted with the hash of its contents and queued for the sealer
 * (`AuditSealer`), which chains queued rows in batches. Reads are still group-committed (one insert for the reads
 * that arrive while one is in flight), which saves commits; each read resolves only once its own row is committed.
 */
export class AuditTrail {
  private readonly queue: Pending[] = [];
  private flushing = false;

  constructor(private readonly o: { db: Database; clock: Clock }) {}

  record(entry: AuditEntry): Promise<AuditLogRow> {
    return new Promise<AuditLogRow>((resolve, reject) => {
      this.queue.push({ entry, at: this.o.clock.now(), resolve, reject });
      void this.flush();
    });
  }

  /** The change's audit row, in the change's transaction (anywhere in the lock order: it locks nothing). */
  async recordIn(trx: Transaction<DB>, entry: AuditEntry): Promise<AuditLogRow> {
    const [row] = await auditRepository.insert(trx, [auditRowOf(entry, this.o.clock.now())]);
    return row!;
  }

  /**
   * The change's audit row, written by the caller in a statement of its own transaction: `write` gets the row to
   * insert (its AUDIT_ROW_COLUMNS) and queues it for the sealer as `auditRepository.insert` does. The case ledger
   * writes it in the statement that writes the change (src/cases/case-change-statement.ts).
   */
  async recordWith<T>(entry: AuditEntry, write: (row: NewAuditLogRow) => Promise<T>): Promise<T> {
    return write(auditRowOf(entry, this.o.clock.now()));
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const rows = await auditRepository.insert(
            this.o.db,
            batch.map((p) => auditRowOf(p.entry, p.at)),
          );
          batch.forEach((p, i) => p.resolve(rows[i]!));
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
