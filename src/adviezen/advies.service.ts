import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database';
import type { AdviesRow } from '../../db/schema';
import { authorize, canReadTeam } from '../auth/permissions';
import { registeringTeam, type Principal } from '../auth/principal';
import type { AuditTrail } from '../audit/audit-trail';
import { auditActor } from '../audit/audit-actor';
import { refuseOtherTeam } from '../cases/case-access';
import { DEFAULT_RECEIVED_AT_MAX_AGE_DAYS, receivedAtOf } from '../cases/received-at';
import { caseRepository } from '../cases/case.repository';
import type { RegisterAdviesInput } from '../cases/case.schemas';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { adviesRepository as repo } from './advies.repository';

export function toAdviesView(row: AdviesRow) {
  return {
    id: row.id,
    teamId: row.team_id,
    gemeente: row.gemeente,
    violenceTypes: row.violence_types,
    receivedAt: row.received_at.toISOString(),
    registeredAt: row.registered_at.toISOString(),
    registeredBy: row.registered_by,
    caller: { professional: row.caller_professional, sector: row.caller_sector },
    summary: row.summary,
    convertedCaseId: row.converted_case_id,
  };
}
export type AdviesView = ReturnType<typeof toAdviesView>;

/** An advies leaves responsibility with the caller: it is recorded (municipalities count them), no case follows. */
export class AdviesService {
  constructor(private readonly deps: { db: Database; clock: Clock; audit: AuditTrail; newId?: () => string; receivedAtMaxAgeDays?: number }) {}

  async register(principal: Principal, input: RegisterAdviesInput): Promise<AdviesView> {
    authorize(principal, 'advies.register');
    const now = this.deps.clock.now();
    const receivedAt = receivedAtOf(input.receivedAt, now, this.deps.receivedAtMaxAgeDays ?? DEFAULT_RECEIVED_AT_MAX_AGE_DAYS);
    const teamId = registeringTeam(principal, input.teamId);
    const row: AdviesRow = {
      id: (this.deps.newId ?? randomUUID)(),
      team_id: teamId,
      gemeente: input.gemeente,
      violence_types: input.violenceTypes,
      received_at: receivedAt,
      registered_at: now,
      registered_by: principal.sub,
      caller_professional: input.caller.professional,
      caller_sector: input.caller.sector ?? null,
      summary: input.summary,
      converted_case_id: null,
    };
    await this.deps.db.transaction().execute(async (trx) => {
      await caseRepository.ensureTeam(trx, teamId);
      await repo.insert(trx, row);
      await this.deps.audit.recordIn(trx, { actor: auditActor(principal), action: 'advies.register', caseTeam: teamId, detail: `advies=${row.id}` });
    });
    return toAdviesView(row);
  }

  async get(principal: Principal, id: string): Promise<AdviesView> {
    const row = await repo.find(this.deps.db, id);
    if (!row) throw new AppError('ADVIES.NOT_FOUND', `advies ${id} does not exist`);
    if (!canReadTeam(principal, row.team_id)) throw refuseOtherTeam(principal, new AppError('ADVIES.NOT_FOUND', `advies ${id} does not exist`), 'this advies belongs to another team');
    // The summary may name people: the read is recorded before it is answered.
    await this.deps.audit.record({ actor: auditActor(principal), action: 'advies.read', caseTeam: row.team_id, detail: `advies=${row.id}` });
    return toAdviesView(row);
  }
}
