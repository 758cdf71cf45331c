import type { Database } from '../../db/database';
import type { Principal } from '../auth/principal';
import type { AuditTrail } from '../audit/audit-trail';
import { auditActor } from '../audit/audit-actor';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { buildPersonExport, type PersonExport } from './person-export';
import { renderPersonExportPdf } from './person-export.pdf';
import { personExportRepository as repo } from './person-export.repository';
import { authorize } from '../auth/permissions';

export type ExportFormat = 'json' | 'pdf';

/**
 * The data subject's right of access: a beheerder (who handles such requests) exports what the engine holds about one
 * person of a case. Read in one snapshot; recorded in the audit trail (with the person) before it is handed out.
 */
export class PersonExportService {
  constructor(private readonly o: { db: Database; clock: Clock; audit: AuditTrail }) {}

  async export(p: Principal, caseId: string, personId: string, format: 'json'): Promise<PersonExport>;
  async export(p: Principal, caseId: string, personId: string, format: 'pdf'): Promise<Buffer>;
  async export(p: Principal, caseId: string, personId: string, format: ExportFormat): Promise<PersonExport | Buffer> {
    authorize(p, 'person.export');
    const now = this.o.clock.now();
    const data = await this.o.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const found = await repo.caseAndPerson(trx, caseId, personId);
        if (!found) throw new AppError('EXPORT.PERSON_NOT_FOUND', `case ${caseId} has no person ${personId}`);
        const events = await repo.eventsNaming(trx, caseId, personId);
        return buildPersonExport({
          now,
          case: found.case,
          person: found.person,
          events,
          otherEventCounts: await repo.otherEventCounts(trx, caseId, events.map((e) => e.id)),
          otherCaseIds: found.person.bsn ? await repo.otherCasesWithBsn(trx, found.person.bsn, caseId) : [],
          accesses: await repo.accesses(trx, caseId, personId),
        });
      });
    const body = format === 'pdf' ? await renderPersonExportPdf(data) : data;
    await this.o.audit.record({ actor: auditActor(p), action: 'person.export', caseId, caseTeam: data.case.teamId, personId, detail: format });
    return body;
  }
}
