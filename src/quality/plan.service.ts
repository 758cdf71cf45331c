import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database';
import type { DB, DeadlineRow, QualityPlanItemEventRow, QualityPlanItemRow } from '../../db/schema';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import { expectationById } from '../../workflows/quality/expectations';
import { isFinished, isLate, MILESTONE_LABELS, statusChangeAllowed, type Milestone, type PlanItemKind, type PlanStatus } from '../../workflows/quality/plan';
import type { VtRegion } from '../../workflows/reference/gemeenten';
import type { Principal } from '../auth/principal';
import { caseRepository } from '../cases/case.repository';
import type { DeadlineTimer } from '../deadlines/deadline-timer';
import type { Clock } from '../shared/clock';
import { AppError, validationError } from '../shared/errors';
import { planRepository as repo } from './plan.repository';
import { authorize, can } from '../auth/permissions';

export interface PlanOptions {
  db: Database;
  clock: Clock;
  calendar: AwtCalendar;
  timer: DeadlineTimer;
  region: VtRegion;
  warningWerkdagen: number;
  newId?: () => string;
}

export interface NewPlanItem {
  kind: PlanItemKind;
  title: string;
  expectations: string[];
  track?: string;
  milestone?: Milestone;
  ownerId: string;
  ownerRole: string;
  teamId: string;
  dueOn: string;
}

export interface PlanItemChange {
  expectedVersion: number;
  status?: PlanStatus;
  dueOn?: string;
  doneOn?: string;
  note: string;
}


/**
 * The improvement plan and the certification track. Each item's due date is a deadline on the same engine as the
 * statutory terms (warning, breach alert to the item's team and the managers, escalation), with the subject a plan
 * item instead of a case. Changes lock the item first, then its deadline (the engine's lock order).
 */
export class PlanService {
  private readonly newId: () => string;

  constructor(private readonly o: PlanOptions) {
    this.newId = o.newId ?? randomUUID;
  }

  async create(p: Principal, input: NewPlanItem) {
    authorize(p, 'quality-plan.add');
    const issues = [];
    for (const [i, id] of input.expectations.entries()) if (!expectationById(id)) issues.push({ field: `expectations.${i}`, rule: 'must be an expectation of the catalogue' });
    if (input.kind === 'mijlpaal' && (!input.milestone || !input.track)) issues.push({ field: input.milestone ? 'track' : 'milestone', rule: 'is required for a mijlpaal' });
    if (input.kind === 'verbeteractie' && (input.milestone || input.track)) issues.push({ field: input.milestone ? 'milestone' : 'track', rule: 'only a mijlpaal has one' });
    if (input.kind === 'verbeteractie' && input.expectations.length === 0) issues.push({ field: 'expectations', rule: 'a verbeteractie addresses at least one expectation' });
    if (issues.length > 0) throw validationError(issues);
    const now = this.o.clock.now();
    const item = await this.o.db.transaction().execute(async (trx) => {
      await caseRepository.ensureTeam(trx, input.teamId);
      const row = await repo.insertItem(trx, {
        id: this.newId(),
        kind: input.kind,
        title: input.title,
        expectations: input.expectations,
        track: input.track ?? null,
        milestone: input.milestone ?? null,
        owner_id: input.ownerId,
        owner_role: input.ownerRole,
        team_id: input.teamId,
        gemeente: this.o.region.centrumgemeente,
        due_on: input.dueOn,
        done_on: null,
        status: 'gepland',
        version: 1,
        created_by: p.sub,
        created_at: now,
        updated_at: now,
      });
      await this.record(trx, p, row, 'ITEM_CREATED', null, 'gepland', null, { dueOn: input.dueOn });
      const deadline = await this.openDeadline(trx, row, now, 1);
      return { row, deadline };
    });
    await this.o.timer.syncDeadlines([item.deadline]).catch(() => undefined);
    return this.staffView(item.row, [item.deadline]);
  }

  /** A change of status, due date or actual date, always with a note (the evidence, or the reason). */
  async change(p: Principal, id: string, input: PlanItemChange) {
    authorize(p, 'quality-plan.change');
    const now = this.o.clock.now();
    const result = await this.o.db.transaction().execute(async (trx) => {
      const item = await repo.lockItem(trx, id);
      if (!item) throw new AppError('QUALITY.NOT_FOUND', `plan item ${id} does not exist`);
      if (!can(p, 'quality-plan.add') && p.sub !== item.owner_id) throw new AppError('AUTH.FORBIDDEN', 'only the owner or a manager changes a plan item');
      if (item.version !== input.expectedVersion) {
        throw new AppError('QUALITY.VERSION_CONFLICT', `plan item ${id} is at version ${item.version}, not ${input.expectedVersion}`, { currentVersion: item.version });
      }
      const status = input.status ?? item.status;
      if (status !== item.status && !statusChangeAllowed(item.status, status)) {
        throw new AppError('QUALITY.STATUS_NOT_ALLOWED', `a plan item that is ${item.status} cannot become ${status}`);
      }
      if (status === item.status && input.dueOn === undefined && input.doneOn === undefined) {
        throw validationError([{ field: 'status', rule: 'a change needs a new status, dueOn or doneOn' }]);
      }
      if (isFinished(item.status)) throw new AppError('QUALITY.STATUS_NOT_ALLOWED', `plan item ${id} is ${item.status}; it no longer changes`);
      const today = this.o.calendar.localDate(now);
      const doneOn = status === 'gereed' ? (input.doneOn ?? today) : null;
      if (input.doneOn !== undefined && status !== 'gereed') throw validationError([{ field: 'doneOn', rule: 'is given only when the item becomes gereed' }]);
      if (doneOn !== null && doneOn > today) throw validationError([{ field: 'doneOn', rule: 'must not be in the future' }]);
      const dueOn = input.dueOn ?? item.due_on;
      const updated = await repo.updateItem(trx, id, item.version, { status, due_on: dueOn, done_on: doneOn, updated_at: now });

      // Lock order: the item (above), then its deadline.
      const current = await repo.currentDeadline(trx, id);
      const changed: DeadlineRow[] = [];
      if (current && status === 'gereed') changed.push(await repo.closeDeadline(trx, current.id, 'met', now));
      else if (current && status === 'vervallen') changed.push(await repo.closeDeadline(trx, current.id, 'cancelled', now));
      else if (input.dueOn !== undefined && input.dueOn !== item.due_on) {
        // Replanned: the old term is cancelled (its history stays), the new date is a term of its own.
        if (current) changed.push(await repo.closeDeadline(trx, current.id, 'cancelled', now));
        const revisions = (await repo.deadlinesOfItems(trx, [id])).length;
        changed.push(await this.openDeadline(trx, updated, now, revisions + 1, current?.original_due_at));
      }
      const type = status !== item.status ? 'STATUS_CHANGED' : input.dueOn !== undefined ? 'REPLANNED' : 'DONE_ON_CORRECTED';
      await this.record(trx, p, updated, type, item.status, status, input.note, {
        ...(input.dueOn !== undefined ? { dueBefore: item.due_on, dueAfter: dueOn } : {}),
        ...(doneOn ? { doneOn } : {}),
      });
      return { updated, changed };
    });
    await this.o.timer.syncDeadlines(result.changed).catch(() => undefined);
    return this.staffView(result.updated, await repo.deadlinesOfItems(this.o.db, [id]));
  }

  /**
   * The plan and the track. Staff: everything, with owners and history. Gemeente tokens (any gemeente of the region,
   * all the same region-wide picture): titles, expectations, status, dates and whether late; the owner's function,
   * never a name; no evidence notes.
   */
  async plan(p: Principal) {
    const audience = this.audience(p);
    const items = await repo.items(this.o.db);
    const today = this.o.calendar.localDate(this.o.clock.now());
    if (audience === 'gemeente') {
      const views = items.map((i) => this.publicView(i, today));
      return { today, actions: views.filter((v) => v.kind === 'verbeteractie'), milestones: views.filter((v) => v.kind === 'mijlpaal') };
    }
    const deadlines = await repo.deadlinesOfItems(this.o.db, items.map((i) => i.id));
    const views = items.map((i) => this.staffView(i, deadlines.filter((d) => d.plan_item_id === i.id)));
    return { today, actions: views.filter((v) => v.kind === 'verbeteractie'), milestones: views.filter((v) => v.kind === 'mijlpaal') };
  }

  async item(p: Principal, id: string) {
    const audience = this.audience(p);
    const item = await repo.findItem(this.o.db, id);
    if (!item) throw new AppError('QUALITY.NOT_FOUND', `plan item ${id} does not exist`);
    const today = this.o.calendar.localDate(this.o.clock.now());
    if (audience === 'gemeente') return this.publicView(item, today);
    const [deadlines, events] = await Promise.all([repo.deadlinesOfItems(this.o.db, [id]), repo.events(this.o.db, id)]);
    return { ...this.staffView(item, deadlines), history: events.map(eventView) };
  }

  private audience(p: Principal): 'staff' | 'gemeente' {
    authorize(p, 'quality-plan.read');
    if (can(p, 'quality-plan.change')) return 'staff';
    if (p.role === 'gemeente' && this.o.region.gemeenten.some((g) => g.code === p.gemeente)) return 'gemeente';
    throw new AppError('AUTH.FORBIDDEN', `gemeente ${p.gemeente ?? ''} is not of region ${this.o.region.name}`);
  }

  private async openDeadline(trx: Transaction<DB>, item: QualityPlanItemRow, now: Date, revision: number, originalDueAt?: Date): Promise<DeadlineRow> {
    const cal = this.o.calendar;
    const dueAt = cal.endOfLocalDay(item.due_on);
    return repo.insertDeadline(trx, {
      id: this.newId(),
      case_id: null,
      plan_item_id: item.id,
      kind: item.kind,
      key: `due-${revision}`,
      rule: item.kind === 'mijlpaal' ? 'certificeringstraject: geplande datum' : 'verbeterplan: einddatum',
      status: 'open',
      opened_at: now,
      due_at: dueAt,
      original_due_at: originalDueAt ?? dueAt,
      warn_at: cal.warningMoment(dueAt, this.o.warningWerkdagen),
      warned_at: null,
      breached_at: null,
      met_at: null,
      cancelled_at: null,
    });
  }

  /** The item's history, under the item's lock: gapless seq per item. */
  private async record(trx: Transaction<DB>, p: Principal, item: QualityPlanItemRow, type: string, from: PlanStatus | null, to: PlanStatus, note: string | null, payload: Record<string, unknown>): Promise<void> {
    const seq = (await repo.events(trx, item.id)).length + 1;
    await repo.appendEvent(trx, { id: this.newId(), item_id: item.id, seq, type, actor_id: p.sub, actor_role: p.role, at: this.o.clock.now(), from_status: from, to_status: to, note, payload: JSON.stringify(payload) });
  }

  private staffView(i: QualityPlanItemRow, deadlines: DeadlineRow[]) {
    const today = this.o.calendar.localDate(this.o.clock.now());
    return {
      ...this.publicView(i, today),
      ownerId: i.owner_id,
      teamId: i.team_id,
      version: i.version,
      deadlines: deadlines.map((d) => ({ id: d.id, key: d.key, status: d.status, dueAt: d.due_at.toISOString(), originalDueAt: d.original_due_at.toISOString(), warnAt: d.warn_at.toISOString(), breachedAt: d.breached_at?.toISOString() ?? null, metAt: d.met_at?.toISOString() ?? null })),
    };
  }

  private publicView(i: QualityPlanItemRow, today: string) {
    return {
      id: i.id,
      kind: i.kind,
      title: i.title,
      expectations: i.expectations,
      track: i.track,
      milestone: i.milestone as Milestone | null,
      milestoneLabel: i.milestone ? MILESTONE_LABELS[i.milestone as Milestone] : null,
      ownerRole: i.owner_role,
      status: i.status,
      plannedOn: i.created_at.toISOString().slice(0, 10),
      dueOn: i.due_on,
      doneOn: i.done_on,
      late: isLate({ status: i.status, dueOn: i.due_on, doneOn: i.done_on }, today),
    };
  }
}

function eventView(e: QualityPlanItemEventRow) {
  return { seq: e.seq, type: e.type, actorId: e.actor_id, actorRole: e.actor_role, at: e.at.toISOString(), fromStatus: e.from_status, toStatus: e.to_status, note: e.note, payload: e.payload };
}
