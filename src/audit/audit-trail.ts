import type { Transaction } from 'kysely';
import type { Database } from '../../db/database';
import type { AuditLogRow, DB } from '../../db/schema';
import type { Executor } from '../cases/case.repository';
import type { Clock } from '../shared/clock';
import { rowHash, type AuditEntry } from './audit-chain';
import { AuditSealer } from './audit-sealer';
import { auditRepository, type NewAuditRow } from './audit.repository';

/** At most this many read rows per insert (13 parameters a row, well under PostgreSQL's 65 535). */
const MAX_BATCH = 500;

interface Pending {
  entry: AuditEntry;
  at: Date;
  resolve(row: AuditLogRow): void;
  reject(error: unknown): void;
}

/**
 * Records accesses in the hash-chained trail. A change is recorded in the change's own transaction (`recordIn`);
 * a read is recorded before its answer leaves (`record`), and if that fails, so does the read.
 *
 * Rows are written unchained, with the hash of their contents, and take no lock: changes never wait for one another.
 * The sealer then chains them in batches (README, "Audit trail"). Reads are still group-committed: reads that arrive
 * while an insert is in flight wait for the next one, which writes them all in one transaction; each read resolves
 * only once its own row is committed.
 */
export class AuditTrail {
  private readonly queue: Pending[] = [];
  private flushing = false;
  readonly sealer: AuditSealer;

  constructor(private readonly o: { db: Database; clock: Clock; sealDelayMs?: number; log?: { warn(obj: object, msg: string): void } }) {
    this.sealer = new AuditSealer({ db: o.db, delayMs: o.sealDelayMs, log: o.log });
  }

  /** Seals every committed row now (tests, shutdown, audit:verify after a quiet period). */
  sealNow(): Promise<number> {
    return this.sealer.sealAll();
  }

  close(): Promise<void> {
    return this.sealer.close();
  }

  record(entry: AuditEntry): Promise<AuditLogRow> {
    return new Promise<AuditLogRow>((resolve, reject) => {
      this.queue.push({ entry, at: this.o.clock.now(), resolve, reject });
      void this.flush();
    });
  }

  /** In the change's transaction: the row commits, or rolls back, with the change. */
  async recordIn(trx: Transaction<DB>, entry: AuditEntry): Promise<AuditLogRow> {
    const [row] = await this.insert(trx, [{ entry, at: this.o.clock.now() }]);
    this.sealer.poke();
    return row!;
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const rows = await this.insert(this.o.db, batch);
          batch.forEach((p, i) => p.resolve(rows[i]!));
          this.sealer.poke();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private insert(db: Executor, items: Array<{ entry: AuditEntry; at: Date }>): Promise<AuditLogRow[]> {
    const rows: NewAuditRow[] = items.map(({ entry, at }) => {
      const content = {
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
      return { ...content, row_hash: rowHash(content) };
    });
    return auditRepository.insertUnsealed(db, rows);
  }
}
