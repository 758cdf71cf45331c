import type { Transaction } from 'kysely';
import type { Database } from '../../db/database';
import type { AuditLogRow, DB } from '../../db/schema';
import type { Clock } from '../shared/clock';
import { auditHash, GENESIS_HASH, type AuditEntry } from './audit-chain';
import { auditRepository } from './audit.repository';

/** At most this many read rows per chain append (14 parameters a row, well under PostgreSQL's 65 535). */
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
 * Appends to the chain are serialised (a lock held until the commit has flushed), so reads are group-committed:
 * reads that arrive while an append is in flight wait for the next one, which writes them all in one transaction.
 * Each read still resolves only once its own row is committed.
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

  /** Call last in the transaction (after every row lock): the chain lock is then held only until the commit. */
  async recordIn(trx: Transaction<DB>, entry: AuditEntry): Promise<AuditLogRow> {
    const [row] = await this.append(trx, [{ entry, at: this.o.clock.now() }]);
    return row!;
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const rows = await this.o.db.transaction().execute((trx) => this.append(trx, batch));
          batch.forEach((p, i) => p.resolve(rows[i]!));
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private append(trx: Transaction<DB>, items: Array<{ entry: AuditEntry; at: Date }>): Promise<AuditLogRow[]> {
    return auditRepository.append(trx, (head) => {
      let prev = head;
      return items.map(({ entry, at }) => {
        const fields = {
          seq: (prev?.seq ?? 0) + 1,
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
          prev_hash: prev?.hash ?? GENESIS_HASH,
        };
        const row = { ...fields, hash: auditHash(fields) };
        prev = { seq: row.seq, hash: row.hash };
        return row;
      });
    });
  }
}
