import type { Database } from '../../db/database';
import type { CaseRow } from '../../db/schema';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import { meldingCommandSchemas, type MeldingEventType, type MeldingWorkflow } from '../../workflows/melding';
import { authorize, can, canReadTeam, scopeOf } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import type { AuditTrail } from '../audit/audit-trail';
import { auditActor } from '../audit/audit-actor';
import type { MelderCipher } from '../privacy/melder-cipher';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { caseNotFound, decideCaseRead, isOnCase, refuseOtherTeam, type AccessRequest } from './case-access';
import { decodeCaseCursor, encodeCaseCursor } from './case-cursor';
import { assertNotDestroyed } from './case-ledger';
import { actorOf } from './case-rows';
import { caseRepository as repo, type CaseDetails, type CaseListFilter } from './case.repository';
import { toCaseSummary, toCaseView, toHistoryEntry, type CaseView } from './case.view';
import { z } from 'zod';

export interface ListQuery {
  state?: string[];
  team?: string;
  gemeente?: string;
  overdue?: boolean;
  dueBefore?: Date;
  limit: number;
  cursor?: string;
}


export interface CaseReaderDeps {
  db: Database;
  workflow: MeldingWorkflow;
  calendar: AwtCalendar;
  clock: Clock;
  audit: AuditTrail;
  melderCipher: MelderCipher;
}

/**
 * The reads of cases: one case, its melder, its history, what may be sent now, and the list. Every read is audited
 * before it is answered; the changes are the engine's (case.engine.ts).
 */
export class CaseReader {
  constructor(private readonly deps: CaseReaderDeps) {}

  /** The case, for staff on it or (with a reason) a supervisor of another team; the read is audited before it is answered. */
  async getCase(principal: Principal, caseId: string, access: AccessRequest = {}): Promise<CaseView> {
    const { row, grant } = await this.readableCase(principal, caseId, access);
    const view = await this.view(row);
    await this.auditRead(principal, 'case.read', row, grant);
    return view;
  }

  /**
   * The melder: for a shielded melder, the identity decrypted from its separate store. Only staff on the case get
   * it; breaking the glass does not reach it (the shielding is a promise to the melder). Every call is audited.
   */
  async melder(principal: Principal, caseId: string) {
    authorize(principal, 'melder.read');
    const row = await repo.findCase(this.deps.db, caseId);
    if (!row) throw new AppError('CASE.NOT_FOUND', `case ${caseId} does not exist`);
    if (!isOnCase(principal, row.team_id)) throw refuseOtherTeam(principal, caseNotFound(caseId), "the melder's identity is shown only to staff on the case, never by breaking the glass");
    assertNotDestroyed(row);
    const grant = { breakGlass: false, reason: null };
    const melder = await repo.melder(this.deps.db, caseId);
    if (!melder) throw new AppError('CASE.NOT_FOUND', `case ${caseId} has no melder record`);
    const sealed = await repo.melderIdentity(this.deps.db, caseId);
    const identity = sealed ? this.deps.melderCipher.open(caseId, sealed) : { name: melder.name, contact: melder.contact };
    await this.auditRead(principal, 'melder.read', row, grant);
    return {
      caseId,
      professional: row.melder_professional,
      sector: row.melder_sector,
      anonymous: melder.anonymous,
      shielded: melder.shielded,
      name: identity.name,
      contact: identity.contact,
    };
  }

  /** The case as the API shows it: persons, melder, deadlines and its vervolgmeldingen (read in one statement). */
  async view(row: CaseRow): Promise<CaseView> {
    return this.viewOf(row, await repo.details(this.deps.db, row.id));
  }

  /** The view from details already read (a change returns them with its new row, in its own transaction). */
  viewOf(row: CaseRow, details: CaseDetails): CaseView {
    const { persons, melder, deadlines, vervolgmeldingen } = details;
    return { ...toCaseView(row, persons, melder, deadlines, this.deps.clock.now(), this.deps.calendar), vervolgmeldingen };
  }

  async history(principal: Principal, caseId: string, access: AccessRequest = {}) {
    const { row, grant } = await this.readableCase(principal, caseId, access);
    const items = (await repo.history(this.deps.db, caseId)).map(toHistoryEntry);
    await this.auditRead(principal, 'case.history.read', row, grant);
    return items;
  }

  /** What the caller may send now, with payload schemas, and what is blocked with the reasons. */
  async transitions(principal: Principal, caseId: string, access: AccessRequest = {}) {
    const { row, grant } = await this.readableCase(principal, caseId, access);
    const available = this.deps.workflow.available(row.snapshot, actorOf(principal), this.deps.clock.now().toISOString());
    const mayAct = can(principal, 'case.change');
    const schema = (type: MeldingEventType) => z.toJSONSchema(meldingCommandSchemas[type], { io: 'input' });
    await this.auditRead(principal, 'case.transitions.read', row, grant);
    return {
      state: row.state,
      version: row.version,
      allowed: mayAct ? available.allowed.map((type) => ({ type, payloadSchema: schema(type) })) : [],
      blocked: [
        ...available.blocked,
        ...(mayAct ? [] : available.allowed.map((type) => ({ type, reasons: [{ code: 'ROLE', message: `role ${principal.role} does not change cases` }] }))),
      ],
    };
  }

  async listCases(principal: Principal, query: ListQuery) {
    authorize(principal, 'case.list');
    if (query.team && !canReadTeam(principal, query.team)) throw new AppError('CASE.FORBIDDEN', `you are not in team ${query.team}`);
    const after = query.cursor ? decodeCaseCursor(query.cursor) : undefined;
    const now = this.deps.clock.now();
    const filter: CaseListFilter = {
      teams: scopeOf(principal, 'case.list') === 'any' ? 'all' : principal.teams,
      state: query.state,
      team: query.team,
      gemeente: query.gemeente,
      overdueAt: query.overdue ? now : undefined,
      dueBefore: query.dueBefore,
      limit: query.limit + 1,
      after,
    };
    const rows = await repo.list(this.deps.db, filter);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    // A list shows no names or free text; the request is recorded once, without a case.
    await this.deps.audit.record({ actor: auditActor(principal), action: 'case.list', detail: query.team ? `team=${query.team}` : null });
    return {
      items: page.map((row) => toCaseSummary(row, now, this.deps.calendar)),
      nextCursor: rows.length > query.limit && last ? encodeCaseCursor(last.next_due_at, last.id) : null,
    };
  }

  private async readableCase(principal: Principal, caseId: string, access: AccessRequest) {
    authorize(principal, 'case.read');
    const row = await repo.findCase(this.deps.db, caseId);
    if (!row) throw new AppError('CASE.NOT_FOUND', `case ${caseId} does not exist`);
    const grant = decideCaseRead(principal, caseId, row.team_id, access);
    assertNotDestroyed(row);
    return { row, grant };
  }

  /** One audit row per read, written before the answer leaves; if it cannot be written, the read fails. */
  private async auditRead(principal: Principal, action: 'case.read' | 'case.history.read' | 'case.transitions.read' | 'melder.read', row: CaseRow, grant: { breakGlass: boolean; reason: string | null }) {
    await this.deps.audit.record({ actor: auditActor(principal), action, caseId: row.id, caseTeam: row.team_id, breakGlass: grant.breakGlass, reason: grant.reason });
  }
}
