import type { Transaction } from 'kysely';
import type { Database } from '../../db/database';
import type { AuditLogRow, DB } from '../../db/schema';
import type { Clock } from '../shared/clock';
import { auditHash, GENESIS_HASH, type AuditEntry } from './audit-chain';
import { auditRepository } from './audit.repository';

/**
 * Records accesses in the hash-chained trail. A change is recorded in the change's own transaction (`recordIn`);
 * a read is recorded in a transaction of its own before its answer leaves (`record`): if that fails, so does the read.
 */
export class AuditTrail {
  constructor(private readonly o: { db: Database; clock: Clock }) {}

  async record(entry: AuditEntry): Promise<AuditLogRow> {
    return this.o.db.transaction().execute((trx) => this.recordIn(trx, entry));
  }

  /** Call last in the transaction (after every row lock): the chain lock is then held only until the commit. */
  async recordIn(trx: Transaction<DB>, entry: AuditEntry): Promise<AuditLogRow> {
    const at = this.o.clock.now();
    return auditRepository.append(trx, (head) => {
      const fields = {
        seq: (head?.seq ?? 0) + 1,
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
        prev_hash: head?.hash ?? GENESIS_HASH,
      };
      return { ...fields, hash: auditHash(fields) };
    });
  }
}
