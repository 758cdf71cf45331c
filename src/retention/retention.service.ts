import type { Transaction } from 'kysely';
import type { Database } from '../../db/database';
import type { DB } from '../../db/schema';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import type { PersistedMelding } from '../../workflows/melding/melding.workflow';
import { anonymisedPersons, destructionDate, redactEventPayload, type RetentionSettings } from '../../workflows/retention/retention-policy';
import { authorize } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import type { AuditTrail } from '../audit/audit-trail';
import { auditActor } from '../audit/audit-actor';
import { CaseLedger } from '../cases/case-ledger';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { retentionRepository as repo, type DueCase } from './retention.repository';

/** The actor recorded on the history event of a destruction. */
export const RETENTION_ACTOR = { id: 'retention-job', role: 'system' } as const;

export interface RetentionRunReport {
  /** Closed cases that had no destruction date yet and got one. */
  dated: number;
  destroyed: number;
  today: string;
}

/**
 * Retention of dossiers: the destruction date of closed cases, legal holds, and the nightly destruction that
 * removes personal data and free text while keeping the anonymised columns the figures count.
 */
export class RetentionService {
  private readonly ledger: CaseLedger;

  constructor(private readonly o: { db: Database; clock: Clock; calendar: AwtCalendar; settings: RetentionSettings; batchSize: number; audit: AuditTrail; newId?: () => string }) {
    this.ledger = new CaseLedger({ audit: o.audit, newId: o.newId });
  }

  /**
   * The nightly job: dates any closed case still without a destruction date, then destroys every due dossier in
   * batches of `batchSize`, one transaction per batch. Idempotent, and safe with several workers (SKIP LOCKED).
   */
  async run(): Promise<RetentionRunReport> {
    const today = this.o.calendar.localDate(this.o.clock.now());
    let dated = 0;
    for (;;) {
      const n = await this.o.db.transaction().execute(async (trx) => {
        const rows = await repo.lockUndated(trx, this.o.batchSize);
        for (const r of rows) {
          const d = destructionDate(this.o.calendar.localDate(r.closed_at!), r.snapshot.context.persons, this.o.settings);
          await repo.setDestructionDate(trx, r.id, d.destroyOn, d.rule);
        }
        return rows.length;
      });
      dated += n;
      if (n < this.o.batchSize) break;
    }
    let destroyed = 0;
    for (;;) {
      const n = await this.o.db.transaction().execute(async (trx) => {
        const due = await repo.lockDue(trx, today, this.o.batchSize);
        if (due.length === 0) return 0;
        await repo.enterDestruction(trx);
        for (const c of due) await this.destroy(trx, c);
        return due.length;
      });
      destroyed += n;
      if (n < this.o.batchSize) break;
    }
    return { dated, destroyed, today };
  }

  private async destroy(trx: Transaction<DB>, c: DueCase): Promise<void> {
    const now = this.o.clock.now();
    const snapshot: PersistedMelding = { ...c.snapshot, context: { ...c.snapshot.context, persons: anonymisedPersons(c.snapshot.context.persons) } };
    let counts = { personsRemoved: 0, meldersRemoved: 0, eventsRedacted: 0, textFieldsRemoved: 0 };
    // Marked destroyed first (the ledger's change of the case row): case_events' trigger lets the destruction redact
    // only events of a destroyed case. The history row then counts what was removed.
    const removeAndCount = async () => {
      const personsRemoved = await repo.deletePersons(trx, c.id);
      const meldersRemoved = await repo.deleteMelder(trx, c.id);
      let eventsRedacted = 0;
      // The case summary (always there) plus adjustment reasons and a converted advies' summary.
      let textFieldsRemoved = 1 + (await repo.clearOtherText(trx, c.id));
      for (const e of await repo.events(trx, c.id)) {
        const { payload, removed } = redactEventPayload(e.type, e.payload);
        if (removed === 0) continue;
        await repo.setEventPayload(trx, e.id, payload);
        eventsRedacted += 1;
        textFieldsRemoved += removed;
      }
      counts = { personsRemoved, meldersRemoved, eventsRedacted, textFieldsRemoved };
      return { type: 'DOSSIER_DESTROYED' as const, actor: RETENTION_ACTOR, fromState: c.state, toState: c.state, payload: { rule: c.retention_rule, destroyOn: c.destroy_on, ...counts } };
    };
    await this.ledger.record(
      trx,
      c,
      {
        at: now,
        changes: { destroyed_at: now, summary: '', snapshot: JSON.stringify(snapshot), next_due_at: null },
        event: removeAndCount,
        audit: { actor: { ...RETENTION_ACTOR, teams: [] }, action: 'dossier.destroy', caseId: c.id, caseTeam: c.team_id, detail: c.retention_rule },
      },
      () =>
        repo.recordDestruction(trx, {
          case_id: c.id,
          destroyed_at: now,
          rule: c.retention_rule ?? 'closure_term',
          destroy_on: c.destroy_on!,
          persons_removed: counts.personsRemoved,
          melders_removed: counts.meldersRemoved,
          events_redacted: counts.eventsRedacted,
          text_fields_removed: counts.textFieldsRemoved,
        }),
    );
  }

  /** Retention facts of a case; no case content, so a beheerder may read it. */
  async status(p: Principal, caseId: string) {
    authorize(p, 'retention.manage');
    const row = await repo.find(this.o.db, caseId);
    if (!row) throw new AppError('CASE.NOT_FOUND', `case ${caseId} does not exist`);
    const destruction = row.destroyed_at ? await repo.destruction(this.o.db, caseId) : undefined;
    return toRetentionView(row, destruction);
  }

  /** Places a legal hold (idempotent: a standing hold is returned as it is); recorded in the case history. */
  async placeLegalHold(p: Principal, caseId: string, reason: string) {
    authorize(p, 'retention.manage');
    const now = this.o.clock.now();
    return this.o.db.transaction().execute(async (trx) => {
      const row = await this.ledger.lockLive(trx, caseId);
      if (row.legal_hold_since) return toRetentionView(row);
      const { row: held } = await this.ledger.record(trx, row, {
        at: now,
        changes: { legal_hold_since: now, legal_hold_by: p.sub, legal_hold_reason: reason },
        event: { type: 'LEGAL_HOLD_PLACED', actor: { id: p.sub, role: p.role }, fromState: row.state, toState: row.state, payload: { reason } },
        audit: { actor: auditActor(p), action: 'legal-hold.place', caseId, caseTeam: row.team_id },
      });
      return toRetentionView(held);
    });
  }

  /** Lifts the legal hold; the dossier is destroyed by the next run if its date has passed. */
  async liftLegalHold(p: Principal, caseId: string, reason: string) {
    authorize(p, 'retention.manage');
    const now = this.o.clock.now();
    return this.o.db.transaction().execute(async (trx) => {
      const row = await this.ledger.lockLive(trx, caseId);
      if (!row.legal_hold_since) throw new AppError('RETENTION.NO_LEGAL_HOLD', `case ${caseId} has no legal hold`);
      const { row: lifted } = await this.ledger.record(trx, row, {
        at: now,
        changes: { legal_hold_since: null, legal_hold_by: null, legal_hold_reason: null },
        event: { type: 'LEGAL_HOLD_LIFTED', actor: { id: p.sub, role: p.role }, fromState: row.state, toState: row.state, payload: { reason } },
        audit: { actor: auditActor(p), action: 'legal-hold.lift', caseId, caseTeam: row.team_id },
      });
      return toRetentionView(lifted);
    });
  }

}

type RetentionRow = NonNullable<Awaited<ReturnType<typeof repo.find>>>;
type DestructionRow = NonNullable<Awaited<ReturnType<typeof repo.destruction>>>;

function toRetentionView(row: RetentionRow, destruction?: DestructionRow) {
  return {
    caseId: row.id,
    state: row.state,
    closedAt: row.closed_at?.toISOString() ?? null,
    destroyOn: row.destroy_on,
    rule: row.retention_rule,
    legalHold: row.legal_hold_since ? { since: row.legal_hold_since.toISOString(), by: row.legal_hold_by, reason: row.legal_hold_reason } : null,
    destroyedAt: row.destroyed_at?.toISOString() ?? null,
    destruction: destruction
      ? { personsRemoved: destruction.persons_removed, meldersRemoved: destruction.melders_removed, eventsRedacted: destruction.events_redacted, textFieldsRemoved: destruction.text_fields_removed }
      : null,
  };
}
export type RetentionView = ReturnType<typeof toRetentionView>;
