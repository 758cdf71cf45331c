import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database';
import type { DB, PersonRow } from '../../db/schema';
import type { Transaction } from 'kysely';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import type { DeadlinePolicy } from '../../workflows/deadlines/deadline-policy';
import { commandEffects, registrationEffects } from '../../workflows/effects/command-effects';
import { DEFAULT_RETENTION_SETTINGS, type RetentionSettings } from '../../workflows/retention/retention-policy';
import { isFinalState, migrateSnapshot, onderzoekOutcomeIssues, meldingCommandSchemas, type PersistedMelding, type MeldingEvent, type MeldingEventType, type MeldingWorkflow } from '../../workflows/melding';
import { registeringTeam, type Principal } from '../auth/principal';
import { authorize, canReadTeam } from '../auth/permissions';
import type { AuditTrail } from '../audit/audit-trail';
import { auditActor } from '../audit/audit-actor';
import type { MelderCipher } from '../privacy/melder-cipher';
import { DEFAULT_RECEIVED_AT_MAX_AGE_DAYS, receivedAtOf } from './received-at';
import { caseNotFound, refuseOtherTeam } from './case-access';
import type { Clock } from '../shared/clock';
import { AppError, validationError } from '../shared/errors';
import { adviesRepository } from '../adviezen/advies.repository';
import { raiseAcuteAlerts } from '../deadlines/acute-alert';
import { metricsRepository } from '../reporting/metrics.repository';
import { caseRepository as repo } from './case.repository';
import { assertNotDestroyed, CaseLedger, type CaseChanges, type HistoryEntry, type RecordedChange } from './case-ledger';
import type { AuditEntry } from '../audit/audit-chain';
import { reportKindOf } from './report-kind';
import type { CorrectViolenceTypesInput, RegisterMeldingInput } from './case.schemas';
import type { CaseView } from './case.view';
import { actorOf, checkBirthDates, deadlineRows, personRow, planFactsRow, qualityFactsRow, toCasePerson } from './case-rows';
import { CaseReader } from './case-reader';
import { RecentCases, type ChangeBase } from './recent-cases';

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

const TIMER_SYNC_BOUND_MS = 2_000;

type MachineEventMeta = Pick<MeldingEvent, 'eventId' | 'at' | 'actor'>;
type PlannedChange = {
  effects: ReturnType<typeof commandEffects>;
  opened: ReturnType<typeof deadlineRows>;
  history: HistoryEntry;
  audit: AuditEntry;
  columns: CaseChanges;
};

/**
 * The case engine: every change to a melding is one transaction that locks the case row, checks the version,
 * steps the pure machine, and writes the snapshot, the history row and the deadline rows together, or, for an event
 * that writes nothing but the case row, its history and its audit row, that one statement alone (`applyAlone`,
 * checked against the version in its update); what to write
 * comes from `commandEffects` (workflows/effects/command-effects.ts), how through the case ledger. The reads of
 * cases are the CaseReader's (case-reader.ts).
 */
export class CaseEngine {
  private readonly newId: () => string;
  private readonly ledger: CaseLedger;
  /** The case as the API shows it, answered after each change. */
  private readonly reader: CaseReader;
  /** The cases this process changed last (recent-cases.ts): their next change needs no read. */
  private readonly recent: RecentCases;

  constructor(private readonly deps: CaseEngineDeps) {
    this.recent = new RecentCases({ clock: deps.clock });
    this.newId = deps.newId ?? randomUUID;
    this.ledger = new CaseLedger({ audit: deps.audit, newId: this.newId });
    this.reader = new CaseReader(deps);
  }

  async registerMelding(principal: Principal, input: RegisterMeldingInput): Promise<CaseView> {
    authorize(principal, 'melding.register');
    const now = this.deps.clock.now();
    const receivedAt = receivedAtOf(input.receivedAt, now, this.deps.receivedAtMaxAgeDays ?? DEFAULT_RECEIVED_AT_MAX_AGE_DAYS);
    checkBirthDates(input.persons, this.deps.calendar.localDate(now), 'persons');
    const teamId = registeringTeam(principal, input.teamId);

    const caseId = this.newId();
    const personRows: PersonRow[] = input.persons.map((p, i) => personRow(this.newId(), caseId, i + 1, p, now));
    const melding = this.deps.workflow.start({
      caseId,
      receivedAt: receivedAt.toISOString(),
      acuteDanger: input.acuteDanger,
      melderReachable: !input.reporter.anonymous,
      persons: personRows.map(toCasePerson),
    });

    const row = await this.deps.db.transaction().execute(async (trx) => {
      await repo.ensureTeam(trx, teamId);
      if (input.adviesId) await this.lockAdvies(trx, principal, input.adviesId);
      const bsns = personRows.flatMap((p) => (p.bsn ? [p.bsn] : []));
      const reReport = await repo.anyBsnKnown(trx, bsns);
      const report = await reportKindOf(trx, bsns);
      const effects = registrationEffects({
        melding,
        policy: this.deps.policy,
        acuteDanger: input.acuteDanger,
        gemeente: input.gemeente,
        violenceTypes: input.violenceTypes,
        personIds: personRows.map((p) => p.id),
        adviesId: input.adviesId ?? null,
        vervolgmeldingOf: report.linkedCaseId,
      });
      const deadlines = deadlineRows(caseId, effects.deadlines, now, this.newId);
      const nextDueAt = deadlines.reduce<Date | null>((min, d) => (min === null || d.due_at < min ? (d.due_at as Date) : min), null);
      const registered = { ...effects.history, actor: { id: principal.sub, role: principal.role } };
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
    return this.reader.view(row.row!);
  }

  async applyCommand(principal: Principal, caseId: string, command: CaseCommand): Promise<CaseView> {
    authorize(principal, 'case.change');
    const { type, expectedVersion, ...payload } = command;
    const now = this.deps.clock.now();
    const meta = { eventId: this.newId(), at: now.toISOString(), actor: actorOf(principal) };
    // Most events (a note, a contact, a step with no term) write only the case row, its history row and its audit
    // row: one statement without a transaction. Anything else, and any refusal or conflict, takes the locked way,
    // which answers it exactly as before.
    if (type !== 'PERSON_ADDED') {
      const view = await this.applyAlone(principal, caseId, type, payload, expectedVersion, meta, now);
      if (view) return view;
    }
    return this.applyLocked(principal, caseId, type, payload, expectedVersion, meta, now);
  }

  /**
   * The event as one change statement on its own (`CaseLedger.recordAlone`), on the case as last committed, read
   * without a lock (or as this process's own last change of it left it, `RecentCases`): undefined when it cannot be (the case is not readable or not at the expected version, the machine
   * refuses, the event touches deadlines or writes more rows, or the case changed meanwhile), and nothing is written.
   */
  private async applyAlone(principal: Principal, caseId: string, type: MeldingEventType, payload: Record<string, unknown>, expectedVersion: number, meta: MachineEventMeta, now: Date): Promise<CaseView | undefined> {
    const row = this.recent.at(caseId, expectedVersion) ?? (await this.ledger.read(this.deps.db, caseId));
    if (!row || !canReadTeam(principal, row.team_id) || row.destroyed_at || row.version !== expectedVersion) return undefined;
    let change: PlannedChange;
    try {
      change = this.planChange(principal, row, { ...payload, type, ...meta } as MeldingEvent, payload, now);
    } catch {
      return undefined;
    }
    const { effects, opened } = change;
    const alone = opened.length === 0 && effects.deadlines.meet.length === 0 && !effects.deadlines.cancelAllOpen && effects.assessedSafety === undefined && !effects.qualityFacts && !effects.planFacts;
    if (!alone) return undefined;
    const changed = await this.ledger.recordAlone(this.deps.db, row, { at: now, changes: change.columns, event: change.history, audit: change.audit, details: true });
    if (!changed) return undefined;
    this.recent.remember(changed.row);
    return this.reader.viewOf(changed.row, changed.details!);
  }

  private async applyLocked(principal: Principal, caseId: string, type: MeldingEventType, payload: Record<string, unknown>, expectedVersion: number, meta: MachineEventMeta, now: Date): Promise<CaseView> {
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const row = await this.ledger.lock(trx, caseId);
      if (!canReadTeam(principal, row.team_id)) throw refuseOtherTeam(principal, caseNotFound(caseId));
      assertNotDestroyed(row);
      if (row.version !== expectedVersion) {
        throw new AppError('CASE.VERSION_CONFLICT', `the case is at version ${row.version}, not ${expectedVersion}: reload it and try again`, { currentVersion: row.version });
      }
      const { event, historyPayload } = await this.toMachineEvent(trx, caseId, type, payload, meta, now);
      const { effects, opened, columns, history, audit } = this.planChange(principal, row, event, historyPayload, now);
      const changes = effects.deadlines;
      await repo.changeDeadlines(trx, caseId, { meet: changes.meet, open: opened, cancelAllOpen: changes.cancelAllOpen }, now);
      // The melding's own veiligheidsbeoordeling, decided: its outcome is the severity the municipal figures show.
      if (effects.assessedSafety !== undefined) await this.forgetReceivedMonth(trx, row.received_at, now);
      const changed = await this.ledger.record(trx, row, { at: now, changes: columns, event: history, audit, details: true }, async (newRow) => {
        if (effects.qualityFacts) await repo.insertQualityFacts(trx, qualityFactsRow(newRow, effects.qualityFacts));
        if (effects.planFacts) await repo.insertPlanFacts(trx, planFactsRow(newRow, effects.planFacts));
        return raiseAcuteAlerts(trx, { caseId, teamId: row.team_id, opened, now, newId: this.newId });
      });
      // Only an event that met, opened or cancelled deadlines changes the case's timers (the rows are the outbox;
      // the reconciler restores any timer lost on the way).
      const deadlinesTouched = changes.meet.length > 0 || opened.length > 0 || changes.cancelAllOpen;
      return { row: changed.row, view: await this.viewAfter(trx, changed), deliveries: changed.result, deadlinesTouched };
    });
    this.recent.remember(updated.row);
    await this.afterCommit(caseId, updated.deliveries, updated.deadlinesTouched);
    return updated.view;
  }

  /** The machine's step on the case at `row` and what the ledger writes for it (pure: no SQL). Throws its refusals. */
  private planChange(principal: Principal, row: ChangeBase, event: MeldingEvent, historyPayload: Record<string, unknown>, now: Date): PlannedChange {
    const before = row.snapshot;
    this.checkOutcomes(row.violence_types, migrateSnapshot(before), event);
    const result = this.deps.workflow.step(before, event);
    if (!result.ok) {
      const code = result.code === 'EVENT_NOT_ALLOWED' ? 'CASE.EVENT_NOT_ALLOWED' : 'CASE.GUARD_BLOCKED';
      throw new AppError(code, result.reasons.map((r) => r.message).join('; '), { reasons: result.reasons });
    }
    const after = result.next;
    const effects = commandEffects({
      before,
      after,
      event,
      historyPayload,
      assessed: row.assessed_safety !== null,
      policy: this.deps.policy,
      rules: this.deps.workflow.settings,
      retention: { settings: this.deps.retention ?? DEFAULT_RETENTION_SETTINGS, calendar: this.deps.calendar },
    });
    const opened = deadlineRows(row.id, effects.deadlines.open, now, this.newId);
    const history = { id: event.eventId, actor: event.actor, ...effects.history };
    const audit = { actor: auditActor(principal), action: 'case.event' as const, caseId: row.id, caseTeam: row.team_id, detail: event.type };
    const columns = {
      state: after.state,
      machine_version: after.version,
      snapshot: JSON.stringify(after),
      safety: after.context.safety,
      ...(effects.assessedSafety !== undefined ? { assessed_safety: effects.assessedSafety } : {}),
      decision_code: after.context.decision?.code ?? null,
      closed_at: effects.closedAt ? new Date(effects.closedAt) : null,
      destroy_on: effects.retention?.destroyOn ?? null,
      retention_rule: effects.retention?.rule ?? null,
    };
    return { effects, opened, history, audit, columns };
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
      const changed = await this.ledger.record(trx, row, {
        at: now,
        changes: { violence_types: to },
        event: { type: 'VIOLENCE_TYPES_CORRECTED', actor, fromState: row.state, toState: row.state, payload: { from, to, reason: input.reason } },
        audit: { actor: auditActor(principal), action: 'violence-types.correct', caseId, caseTeam: row.team_id },
        details: true,
      });
      return this.viewAfter(trx, changed);
    });
    return updated;
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

  /**
   * The answer to a change: the new row with the details the ledger read in the change's own statement, so the answer
   * is the case exactly at the version it names (its ETag) and needs no reads after the commit.
   */
  private async viewAfter(trx: Transaction<DB>, changed: RecordedChange<unknown>): Promise<CaseView> {
    return this.reader.viewOf(changed.row, changed.details ?? (await repo.details(trx, changed.row.id)));
  }

  /** A complete month's kept counts hold the severity of the meldingen received in it: count it again. */
  private async forgetReceivedMonth(trx: Transaction<DB>, receivedAt: Date, now: Date): Promise<void> {
    const receivedMonth = this.deps.calendar.localDate(receivedAt).slice(0, 7);
    if (receivedMonth < this.deps.calendar.localDate(now).slice(0, 7)) await metricsRepository.forgetMonth(trx, receivedMonth);
  }


  /** The machine event for a command, and what the history keeps of it (no names or BSNs: those live in persons). */
  private async toMachineEvent(trx: Transaction<DB>, caseId: string, type: MeldingEventType, payload: Record<string, unknown>, meta: MachineEventMeta, now: Date) {
    if (type === 'PERSON_ADDED') {
      const { person } = meldingCommandSchemas.PERSON_ADDED.parse(payload);
      checkBirthDates([person], this.deps.calendar.localDate(now), 'person');
      const row = personRow(this.newId(), caseId, await repo.nextPersonOrdinal(trx, caseId), person, now);
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

  private async afterCommit(caseId: string, deliveries: string[] = [], deadlinesTouched = true): Promise<void> {
    // The deadlines table is the outbox: if telling the timers fails or hangs (Redis down), the request still
    // succeeds after a bounded wait and the reconciler catches up.
    const listener = this.deps.deadlineListener;
    if (!listener || (!deadlinesTouched && deliveries.length === 0)) return;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, TIMER_SYNC_BOUND_MS);
    });
    const sync = async () => {
      if (deadlinesTouched) await listener.deadlinesChanged([caseId]);
      if (deliveries.length > 0) await listener.deliveriesCreated?.(deliveries);
    };
    await Promise.race([sync().catch(() => undefined), bound]);
    clearTimeout(timer);
  }
}
