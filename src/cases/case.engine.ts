import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database';
import type { CaseRow, DB, NewDeadline, NewQualityFacts, PersonRow } from '../../db/schema';
import type { Transaction } from 'kysely';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import type { DeadlinePolicy, PlannedDeadline } from '../../workflows/deadlines/deadline-policy';
import { DEFAULT_RETENTION_SETTINGS, destructionDate, type RetentionSettings } from '../../workflows/retention/retention-policy';
import {
  isFinalState,
  migrateSnapshot,
  onderzoekOutcomeIssues,
  meldingCommandSchemas,
  type Actor,
  type CasePerson,
  type MeldingEvent,
  type MeldingEventType,
  type MeldingWorkflow,
  type PersistedMelding,
  type PersonInput,
} from '../../workflows/melding';
import { leavesVt, leavingFacts } from '../../workflows/reporting/quality';
import { registeringTeam, type Principal } from '../auth/principal';
import { authorize, can, canReadTeam, scopeOf } from '../auth/permissions';
import type { AuditTrail } from '../audit/audit-trail';
import { auditActor } from '../audit/audit-actor';
import type { MelderCipher } from '../privacy/melder-cipher';
import { DEFAULT_RECEIVED_AT_MAX_AGE_DAYS, receivedAtOf } from './received-at';
import { caseNotFound, decideCaseRead, isOnCase, refuseOtherTeam, type AccessRequest } from './case-access';
import type { Clock } from '../shared/clock';
import { AppError, validationError } from '../shared/errors';
import { adviesRepository } from '../adviezen/advies.repository';
import { raiseAcuteAlerts } from '../deadlines/acute-alert';
import { metricsRepository } from '../reporting/metrics.repository';
import { qualityFactsColumns } from '../reporting/quality.repository';
import { caseRepository as repo, type CaseListFilter } from './case.repository';
import { assertNotDestroyed, CaseLedger } from './case-ledger';
import { reportKindOf, vervolgmeldingenOf } from './report-kind';
import type { CorrectViolenceTypesInput, RegisterMeldingInput } from './case.schemas';
import { toCaseSummary, toCaseView, toHistoryEntry, type CaseView } from './case.view';
import { z } from 'zod';

/** A staff command: an event type, the version the sender saw, and the event's payload. */
export type CaseCommand = { type: MeldingEventType; expectedVersion: number } & Record<string, unknown>;

/** Told after a commit which cases' deadlines changed, so the timers can follow (the deadlines table is the outbox). */
export interface DeadlineListener {
  deadlinesChanged(caseIds: string[]): Promise<void>;
  /** Notifications written in the transaction (the acute alert's webhook and e-mail), to deliver now. */
  deliveriesCreated?(deliveryIds: string[]): Promise<void>;
}

export interface CaseEngineDeps {
  db: Database;
  workflow: MeldingWorkflow;
  policy: DeadlinePolicy;
  calendar: AwtCalendar;
  clock: Clock;
  newId?: () => string;
  deadlineListener?: DeadlineListener;
  retention?: RetentionSettings;
  audit: AuditTrail;
  melderCipher: MelderCipher;
  /** RECEIVED_AT_MAX_AGE_DAYS. */
  receivedAtMaxAgeDays?: number;
}

export interface ListQuery {
  state?: string[];
  team?: string;
  gemeente?: string;
  overdue?: boolean;
  dueBefore?: Date;
  limit: number;
  cursor?: string;
}

const cursorSchema = z.object({ d: z.iso.datetime().nullable(), i: z.uuid() });
const TIMER_SYNC_BOUND_MS = 2_000;

/**
 * The case engine: every change to a melding is one transaction that locks the case row, checks the version,
 * steps the pure machine, and writes the snapshot, the history row and the deadline rows together.
 */
export class CaseEngine {
  private readonly newId: () => string;
  private readonly ledger: CaseLedger;

  constructor(private readonly deps: CaseEngineDeps) {
    this.newId = deps.newId ?? randomUUID;
    this.ledger = new CaseLedger({ audit: deps.audit, newId: this.newId });
  }

  async registerMelding(principal: Principal, input: RegisterMeldingInput): Promise<CaseView> {
    authorize(principal, 'melding.register');
    const now = this.deps.clock.now();
    const receivedAt = receivedAtOf(input.receivedAt, now, this.deps.receivedAtMaxAgeDays ?? DEFAULT_RECEIVED_AT_MAX_AGE_DAYS);
    checkBirthDates(input.persons, this.deps.calendar.localDate(now), 'persons');
    const teamId = registeringTeam(principal, input.teamId);

    const caseId = this.newId();
    const personRows: PersonRow[] = input.persons.map((p, i) => this.personRow(caseId, i + 1, p, now));
    const melding = this.deps.workflow.start({
      caseId,
      receivedAt: receivedAt.toISOString(),
      acuteDanger: input.acuteDanger,
      melderReachable: !input.reporter.anonymous,
      persons: personRows.map(toCasePerson),
    });

    const deadlines = this.deadlineRows(caseId, this.deps.policy.onRegistration(melding), now);
    const nextDueAt = deadlines.reduce<Date | null>((min, d) => (min === null || d.due_at < min ? (d.due_at as Date) : min), null);

    const row = await this.deps.db.transaction().execute(async (trx) => {
      await repo.ensureTeam(trx, teamId);
      if (input.adviesId) await this.lockAdvies(trx, principal, input.adviesId);
      const bsns = personRows.flatMap((p) => (p.bsn ? [p.bsn] : []));
      const reReport = await repo.anyBsnKnown(trx, bsns);
      const report = await reportKindOf(trx, bsns);
      const registered = {
        type: 'MELDING_REGISTERED' as const,
        actor: { id: principal.sub, role: principal.role },
        toState: melding.state,
        round: melding.context.round,
        payload: {
          acuteDanger: input.acuteDanger,
          gemeente: input.gemeente,
          violenceTypes: input.violenceTypes,
          persons: personRows.map((p) => p.id),
          adviesId: input.adviesId ?? null,
          ...(report.linkedCaseId ? { vervolgmeldingOf: report.linkedCaseId } : {}),
        },
      };
      const audit = { actor: auditActor(principal), action: 'melding.register' as const, caseId, caseTeam: teamId };
      const newCase = {
        id: caseId,
        team_id: teamId,
        gemeente: input.gemeente,
        state: melding.state,
        machine_version: melding.version,
        snapshot: JSON.stringify(melding),
        received_at: receivedAt,
        registered_at: now,
        registered_by: principal.sub,
        acute_danger: input.acuteDanger,
        violence_types: input.violenceTypes,
        melder_professional: input.reporter.professional,
        melder_sector: input.reporter.sector ?? null,
        re_report: reReport,
        report_kind: report.kind,
        linked_case_id: report.linkedCaseId,
        safety: null,
        decision_code: null,
        summary: input.summary,
        next_due_at: nextDueAt,
        closed_at: null,
        updated_at: now,
        advies_id: input.adviesId ?? null,
      };
      const deliveries = await this.ledger.open(trx, newCase, registered, audit, async () => {
        if (input.adviesId) await adviesRepository.markConverted(trx, input.adviesId, caseId);
        // A shielded melder's identity is not stored in plain columns: it goes, encrypted, into a table of its own.
        const identity = { name: input.reporter.name ?? null, contact: input.reporter.contact ?? null };
        const shieldIdentity = input.reporter.shielded && (identity.name !== null || identity.contact !== null);
        await repo.insertMelder(trx, {
          case_id: caseId,
          name: shieldIdentity ? null : identity.name,
          contact: shieldIdentity ? null : identity.contact,
          shielded: input.reporter.shielded,
          anonymous: input.reporter.anonymous,
        });
        if (shieldIdentity) await repo.insertMelderIdentity(trx, { case_id: caseId, ...this.deps.melderCipher.seal(caseId, identity), created_at: now, rekeyed_at: null });
        await repo.insertPersons(trx, personRows);
        await repo.insertDeadlines(trx, deadlines);
        const raised = await raiseAcuteAlerts(trx, { caseId, teamId, opened: deadlines, now, newId: this.newId });
        const receivedMonth = this.deps.calendar.localDate(receivedAt).slice(0, 7);
        if (receivedMonth < this.deps.calendar.localDate(now).slice(0, 7)) await metricsRepository.forgetMonthsFrom(trx, receivedMonth);
        return raised;
      });
      return { row: await repo.findCase(trx, caseId), deliveries };
    });
    await this.afterCommit(caseId, row.deliveries);
    return this.view(row.row!);
  }

  async applyCommand(principal: Principal, caseId: string, command: CaseCommand): Promise<CaseView> {
    authorize(principal, 'case.change');
    const { type, expectedVersion, ...payload } = command;
    const now = this.deps.clock.now();
    const eventId = this.newId();

    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const row = await this.ledger.lock(trx, caseId);
      if (!canReadTeam(principal, row.team_id)) throw refuseOtherTeam(principal, caseNotFound(caseId));
      assertNotDestroyed(row);
      if (row.version !== expectedVersion) {
        throw new AppError('CASE.VERSION_CONFLICT', `the case is at version ${row.version}, not ${expectedVersion}: reload it and try again`, { currentVersion: row.version });
      }
      const before = row.snapshot;
      const meta = { eventId, at: now.toISOString(), actor: actorOf(principal) };
      const { event, historyPayload } = await this.toMachineEvent(trx, caseId, type, payload, meta, now);

      this.checkOutcomes(row.violence_types, migrateSnapshot(before), event);
      const result = this.deps.workflow.step(before, event);
      if (!result.ok) {
        const code = result.code === 'EVENT_NOT_ALLOWED' ? 'CASE.EVENT_NOT_ALLOWED' : 'CASE.GUARD_BLOCKED';
        throw new AppError(code, result.reasons.map((r) => r.message).join('; '), { reasons: result.reasons });
      }
      const after = result.next;
      const ctx = after.context;
      const changes = this.deps.policy.onTransition(before, after, event);
      await repo.meetDeadlines(trx, caseId, changes.meet, now);
      const opened = this.deadlineRows(caseId, changes.open, now);
      await repo.insertDeadlines(trx, opened);
      if (changes.cancelAllOpen) await repo.cancelOpenDeadlines(trx, caseId, now);
      // The melding's own veiligheidsbeoordeling, decided: its outcome is the severity the municipal figures show.
      const firstAssessment = type === 'DECISION_APPROVED' && row.assessed_safety === null;
      if (firstAssessment) await this.forgetReceivedMonth(trx, row.received_at, now);
      const closedAt = isFinalState(after.state) ? (ctx.closedAt ? new Date(ctx.closedAt) : now) : null;
      // The destruction date is set in the transaction that closes the case, from the persons the machine knows.
      const retention = closedAt ? destructionDate(this.deps.calendar.localDate(closedAt), ctx.persons, this.deps.retention ?? DEFAULT_RETENTION_SETTINGS) : null;
      const history = { id: eventId, type, actor: meta.actor, fromState: before.state, toState: after.state, payload: historyPayload, round: ctx.round };
      const audit = { actor: auditActor(principal), action: 'case.event' as const, caseId, caseTeam: row.team_id, detail: type };
      const columns = {
        state: after.state,
        machine_version: after.version,
        snapshot: JSON.stringify(after),
        safety: ctx.safety,
        ...(firstAssessment ? { assessed_safety: ctx.safety } : {}),
        decision_code: ctx.decision?.code ?? null,
        closed_at: closedAt,
        destroy_on: retention?.destroyOn ?? null,
        retention_rule: retention?.rule ?? null,
      };
      const changed = await this.ledger.record(trx, row, { at: now, changes: columns, event: history, audit }, async (newRow) => {
        if (leavesVt(type, after.state)) await repo.insertQualityFacts(trx, this.qualityFacts(caseId, newRow, before, after, principal, now));
        if (type === 'ONDERZOEK_STARTED' && ctx.planVanAanpak) {
          const plan = ctx.planVanAanpak;
          await repo.insertPlanFacts(trx, { case_id: caseId, seq: newRow.version, team_id: row.team_id, started_at: now, round: plan.round, plan_kind: plan.kind, made: plan.made, reason_no_plan: plan.reasonNoPlan });
        }
        return raiseAcuteAlerts(trx, { caseId, teamId: row.team_id, opened, now, newId: this.newId });
      });
      return { newRow: changed.row, deliveries: changed.result };
    });
    await this.afterCommit(caseId, updated.deliveries);
    return this.view(updated.newRow);
  }

  /**
   * Corrects the types of violence registered on a melding, with history (VIOLENCE_TYPES_CORRECTED: who, when, from,
   * to, reason) through the ledger. The melding counts under its types in the month it was received: a kept complete
   * month is forgotten and recounted on its next read, so it counts once, under the corrected types. An onderzoek
   * concluded earlier keeps the outcomes it recorded; a conclusion awaiting approval must be proposed again.
   */
  async correctViolenceTypes(principal: Principal, caseId: string, input: CorrectViolenceTypesInput): Promise<CaseView> {
    authorize(principal, 'case.change');
    const now = this.deps.clock.now();
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const row = await this.ledger.lock(trx, caseId);
      if (!canReadTeam(principal, row.team_id)) throw refuseOtherTeam(principal, caseNotFound(caseId));
      assertNotDestroyed(row);
      if (row.version !== input.expectedVersion) {
        throw new AppError('CASE.VERSION_CONFLICT', `the case is at version ${row.version}, not ${input.expectedVersion}: reload it and try again`, { currentVersion: row.version });
      }
      if (isFinalState(row.state as PersistedMelding['state'])) throw new AppError('CASE.EVENT_NOT_ALLOWED', `the case is closed (${row.state}): its types of violence are no longer corrected`, { reasons: [{ code: 'CASE_CLOSED', message: `the case is in final state ${row.state}` }] });
      const from = row.violence_types;
      const to = input.violenceTypes;
      if (from.length === to.length && from.every((t) => (to as readonly string[]).includes(t))) throw validationError([{ field: 'violenceTypes', rule: `must differ from the registered types (${from.join(', ')})` }]);
      await this.forgetReceivedMonth(trx, row.received_at, now);
      const actor = { id: principal.sub, role: principal.role };
      const { row: changed } = await this.ledger.record(trx, row, {
        at: now,
        changes: { violence_types: to },
        event: { type: 'VIOLENCE_TYPES_CORRECTED', actor, fromState: row.state, toState: row.state, payload: { from, to, reason: input.reason } },
        audit: { actor: auditActor(principal), action: 'violence-types.correct', caseId, caseTeam: row.team_id },
      });
      return changed;
    });
    return this.view(updated);
  }

  /**
   * The outcomes of an onderzoek's conclusion fit the melding's types of violence as they stand: proposed with exactly
   * one outcome per registered type (400 REQUEST.VALIDATION naming `outcomes.<type>`), and approved only while the types have not been
   * corrected since (GUARD_BLOCKED: reject and propose again).
   */
  private checkOutcomes(violenceTypes: string[], before: PersistedMelding, event: MeldingEvent): void {
    // In another state the machine refuses the event (EVENT_NOT_ALLOWED) whatever its outcomes.
    if (event.type === 'ONDERZOEK_CONCLUSION_PROPOSED' && before.state === 'onderzoek') {
      const issues = onderzoekOutcomeIssues(violenceTypes, event.outcomes);
      if (issues.length > 0) throw validationError(issues);
    }
    const outcomes = before.context.proposal?.outcomes;
    if (event.type === 'ONDERZOEK_CONCLUSION_APPROVED' && before.state === 'conclusie_ter_goedkeuring' && outcomes && onderzoekOutcomeIssues(violenceTypes, outcomes).length > 0) {
      const reasons = [{ code: 'ONDERZOEK_OUTCOMES_STALE', message: `the types of violence were corrected after this conclusion was proposed (now: ${violenceTypes.join(', ')}): reject it and propose it again with one outcome for every type` }];
      throw new AppError('CASE.GUARD_BLOCKED', reasons[0]!.message, { reasons });
    }
  }

  /** A complete month's kept counts hold the severity of the meldingen received in it: count it again. */
  private async forgetReceivedMonth(trx: Transaction<DB>, receivedAt: Date, now: Date): Promise<void> {
    const receivedMonth = this.deps.calendar.localDate(receivedAt).slice(0, 7);
    if (receivedMonth < this.deps.calendar.localDate(now).slice(0, 7)) await metricsRepository.forgetMonth(trx, receivedMonth);
  }

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

  private async view(row: CaseRow): Promise<CaseView> {
    const [{ persons, melder, deadlines }, vervolgmeldingen] = await Promise.all([repo.details(this.deps.db, row.id), vervolgmeldingenOf(this.deps.db, row.id)]);
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
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
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
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.next_due_at, last.id) : null,
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

  /** The machine event for a command, and what the history keeps of it (no names or BSNs: those live in persons). */
  private async toMachineEvent(trx: Transaction<DB>, caseId: string, type: MeldingEventType, payload: Record<string, unknown>, meta: Pick<MeldingEvent, 'eventId' | 'at' | 'actor'>, now: Date) {
    if (type === 'PERSON_ADDED') {
      const { person } = meldingCommandSchemas.PERSON_ADDED.parse(payload);
      checkBirthDates([person], this.deps.calendar.localDate(now), 'person');
      const row = this.personRow(caseId, await repo.nextPersonOrdinal(trx, caseId), person, now);
      await repo.insertPersons(trx, [row]);
      const event = { type, ...meta, person: toCasePerson(row) } as MeldingEvent;
      return { event, historyPayload: { personId: row.id, role: row.role } };
    }
    const event = { ...payload, type, ...meta } as MeldingEvent;
    return { event, historyPayload: payload };
  }

  /** Locks the advies being converted; it must exist and not have been converted before. */
  private async lockAdvies(trx: Transaction<DB>, principal: Principal, adviesId: string): Promise<void> {
    const advies = await adviesRepository.lock(trx, adviesId);
    if (!advies) throw new AppError('ADVIES.NOT_FOUND', `advies ${adviesId} does not exist`);
    if (!canReadTeam(principal, advies.team_id)) throw refuseOtherTeam(principal, new AppError('ADVIES.NOT_FOUND', `advies ${adviesId} does not exist`), 'this advies belongs to another team');
    if (advies.converted_case_id) throw new AppError('ADVIES.ALREADY_CONVERTED', `advies ${adviesId} was already converted into a melding`);
  }

  private personRow(caseId: string, ordinal: number, p: PersonInput, now: Date): PersonRow {
    return {
      id: this.newId(),
      case_id: caseId,
      ordinal,
      role: p.role,
      name: p.name,
      birth_date: p.birthDate ?? null,
      bsn: p.bsn ?? null,
      sex: p.sex ?? null,
      vulnerabilities: p.vulnerabilities,
      created_at: now,
    };
  }

  /** The inspection's facts about a melding as it leaves VT, stored with the history event of its leaving. */
  private qualityFacts(caseId: string, row: CaseRow, before: PersistedMelding, after: PersistedMelding, principal: Principal, at: Date): NewQualityFacts {
    const proposedBy = before.context.proposal?.kind === 'afsluiting' ? before.context.proposal.by : null;
    const closure = after.state === 'afgesloten' && proposedBy ? { proposedBy, approvedBy: principal.sub } : null;
    const facts = leavingFacts({ caseId, context: after.context, leftAt: at.toISOString(), closure }, this.deps.workflow.settings);
    return { case_id: caseId, seq: row.version, team_id: row.team_id, left_at: at, to_state: after.state, round: facts.round, ...qualityFactsColumns(facts) };
  }

  private deadlineRows(caseId: string, planned: PlannedDeadline[], now: Date): NewDeadline[] {
    return planned.map((d) => ({
      id: this.newId(),
      case_id: caseId,
      kind: d.kind,
      key: d.key,
      rule: d.rule,
      status: 'open',
      opened_at: now,
      due_at: d.dueAt,
      original_due_at: d.dueAt,
      warn_at: d.warnAt,
      warned_at: null,
      breached_at: null,
      met_at: null,
      cancelled_at: null,
      inspection_due_at: d.inspectionDueAt ?? null,
    }));
  }

  private async afterCommit(caseId: string, deliveries: string[] = []): Promise<void> {
    // The deadlines table is the outbox: if telling the timers fails or hangs (Redis down), the request still
    // succeeds after a bounded wait and the reconciler catches up.
    const listener = this.deps.deadlineListener;
    if (!listener) return;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, TIMER_SYNC_BOUND_MS);
    });
    const sync = async () => {
      await listener.deadlinesChanged([caseId]);
      if (deliveries.length > 0) await listener.deliveriesCreated?.(deliveries);
    };
    await Promise.race([sync().catch(() => undefined), bound]);
    clearTimeout(timer);
  }
}

/** The machine's view of who acts: id, role and (when the token names one) discipline. */
function actorOf(principal: Principal): Actor {
  return principal.discipline ? { id: principal.sub, role: principal.role, discipline: principal.discipline } : { id: principal.sub, role: principal.role };
}

function toCasePerson(row: PersonRow): CasePerson {
  return { id: row.id, role: row.role as CasePerson['role'], birthDate: row.birth_date, vulnerable: row.vulnerabilities.length > 0 };
}

/** Birth dates are local dates: compare with today's date in Amsterdam, not in UTC. */
function checkBirthDates(persons: PersonInput[], today: string, field: string): void {
  const issues = persons.flatMap((p, i) => (p.birthDate && p.birthDate > today ? [{ field: `${field}${field === 'persons' ? `.${i}` : ''}.birthDate`, rule: 'must not be in the future' }] : []));
  if (issues.length > 0) throw validationError(issues);
}

function encodeCursor(nextDueAt: Date | null, id: string): string {
  return Buffer.from(JSON.stringify({ d: nextDueAt?.toISOString() ?? null, i: id })).toString('base64url');
}

function decodeCursor(cursor: string): CaseListFilter['after'] {
  try {
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { nextDueAt: parsed.d ? new Date(parsed.d) : null, id: parsed.i };
  } catch {
    throw validationError([{ field: 'cursor', rule: 'must be a cursor returned by a previous page' }]);
  }
}
