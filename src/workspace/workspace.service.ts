import { sql } from 'kysely';
import type { Database } from '../../db/database';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import { MELDING_EVENT_TYPES, OPEN_STATES, type MeldingEventType, type MeldingWorkflow } from '../../workflows/melding';
import { authorize } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import type { AuditTrail } from '../audit/audit-trail';
import { auditActor } from '../audit/audit-actor';
import { toCaseSummary } from '../cases/case.view';
import type { Clock } from '../shared/clock';
import { waitsFor } from './waits-for';

export interface WorkspaceDeps {
  db: Database;
  workflow: MeldingWorkflow;
  calendar: AwtCalendar;
  clock: Clock;
  audit: AuditTrail;
}

/** At most this many open cases of the caller's teams are looked at, nearest term first. */
export const WORKSPACE_LIMIT = 500;

const APPROVALS: readonly MeldingEventType[] = ['DECISION_APPROVED', 'ONDERZOEK_CONCLUSION_APPROVED', 'CLOSURE_APPROVED'];

/**
 * A caseworker's day: the open cases they work on and the team's cases nobody has picked up, nearest term first,
 * each with what it waits for; and the proposals they may approve as the second professional. The engine has no
 * explicit assignment: a case is yours when you registered it or sent one of its events, and unassigned while no
 * one has sent an event since its registration. No names and no free text: the same as a case list.
 */
export class WorkspaceService {
  constructor(private readonly deps: WorkspaceDeps) {}

  async forPrincipal(principal: Principal) {
    authorize(principal, 'workspace.read');
    const now = this.deps.clock.now();
    const at = now.toISOString();
    const teams = principal.teams.length > 0 ? principal.teams : ['\u0000'];
    const rows = await this.deps.db
      .selectFrom('cases')
      .selectAll()
      .where('team_id', 'in', teams)
      .where('state', 'in', OPEN_STATES)
      .orderBy(sql`next_due_at asc nulls last`)
      .orderBy('id')
      .limit(WORKSPACE_LIMIT + 1)
      .execute();
    const page = rows.slice(0, WORKSPACE_LIMIT);
    const actors = await this.actorsOf(page.map((r) => r.id));
    const me = { id: principal.sub, role: principal.role };

    const mine = [];
    const unassigned = [];
    const approvals = [];
    for (const row of page) {
      const acted = actors.get(row.id) ?? [];
      const ctx = row.snapshot.context;
      const proposal = ctx.proposal ? { kind: ctx.proposal.kind, by: ctx.proposal.by, at: ctx.proposal.at, decisionCode: ctx.proposal.decisionCode, followUp: ctx.proposal.followUp } : null;
      const available = this.deps.workflow.available(row.snapshot, me, at);
      const mayApprove = available.allowed.some((t) => APPROVALS.includes(t));
      const item = { ...toCaseSummary(row, now, this.deps.calendar), waitsFor: waitsFor(row.snapshot, at, this.deps.workflow.settings), proposal, mayApprove };
      if (row.registered_by === principal.sub || acted.includes(principal.sub)) mine.push(item);
      else if (acted.length === 0) unassigned.push(item);
      if (mayApprove) approvals.push(item);
    }
    await this.deps.audit.record({ actor: auditActor(principal), action: 'case.list', detail: 'workspace' });
    return { mine, unassigned, approvals, truncated: rows.length > WORKSPACE_LIMIT };
  }

  /** Who sent machine events on each case (not alert acknowledgements or deadline adjustments). */
  private async actorsOf(caseIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (caseIds.length === 0) return out;
    const rows = await this.deps.db
      .selectFrom('case_events')
      .select(['case_id', 'actor_id'])
      .distinct()
      .where('case_id', 'in', caseIds)
      .where('type', 'in', MELDING_EVENT_TYPES)
      .execute();
    for (const r of rows) out.set(r.case_id, [...(out.get(r.case_id) ?? []), r.actor_id]);
    return out;
  }
}
