import type { CaseRow, NewDeadline, NewOnderzoekPlanFacts, NewQualityFacts, PersonRow } from '../../db/schema';
import type { PlannedDeadline } from '../../workflows/deadlines/deadline-policy';
import type { PlanFacts, QualityFactsEffect } from '../../workflows/effects/command-effects';
import type { Actor, CasePerson, PersonInput } from '../../workflows/melding';
import type { Principal } from '../auth/principal';
import { qualityFactsColumns } from '../reporting/quality.repository';
import { validationError } from '../shared/errors';

/** The rows the engine writes for a case, built from what the command's effects (workflows/effects) say. */

export function personRow(id: string, caseId: string, ordinal: number, p: PersonInput, now: Date): PersonRow {
  return {
    id,
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

export function toCasePerson(row: PersonRow): CasePerson {
  return { id: row.id, role: row.role as CasePerson['role'], birthDate: row.birth_date, vulnerable: row.vulnerabilities.length > 0 };
}

/** Birth dates are local dates: compare with today's date in Amsterdam, not in UTC. */
export function checkBirthDates(persons: PersonInput[], today: string, field: string): void {
  const issues = persons.flatMap((p, i) => (p.birthDate && p.birthDate > today ? [{ field: `${field}${field === 'persons' ? `.${i}` : ''}.birthDate`, rule: 'must not be in the future' }] : []));
  if (issues.length > 0) throw validationError(issues);
}

export function deadlineRows(caseId: string, planned: PlannedDeadline[], now: Date, newId: () => string): NewDeadline[] {
  return planned.map((d) => ({
    id: newId(),
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

/** The quality facts row of a melding leaving VT, at the sequence number of the event of its leaving. */
export function qualityFactsRow(row: Pick<CaseRow, 'id' | 'version' | 'team_id'>, q: QualityFactsEffect): NewQualityFacts {
  return { case_id: row.id, seq: row.version, team_id: row.team_id, left_at: new Date(q.leftAt), to_state: q.toState, round: q.facts.round, ...qualityFactsColumns(q.facts) };
}

export function planFactsRow(row: Pick<CaseRow, 'id' | 'version' | 'team_id'>, p: PlanFacts): NewOnderzoekPlanFacts {
  return { case_id: row.id, seq: row.version, team_id: row.team_id, started_at: new Date(p.startedAt), round: p.round, plan_kind: p.kind, made: p.made, reason_no_plan: p.reasonNoPlan };
}

/** The machine's view of who acts: id, role and (when the token names one) discipline. */
export function actorOf(principal: Principal): Actor {
  return principal.discipline ? { id: principal.sub, role: principal.role, discipline: principal.discipline } : { id: principal.sub, role: principal.role };
}
