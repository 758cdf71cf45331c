import type { CaseEventRow, CaseRow, DeadlineRow, MelderRow, PersonRow } from '../../db/schema';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import { isHouseholdRole, type PersonRole } from '../../workflows/reference';

/** The case as the API shows it to staff on the case. */
export function toCaseView(row: CaseRow, persons: PersonRow[], melder: MelderRow | undefined, deadlines: DeadlineRow[], now: Date, calendar: AwtCalendar) {
  const ctx = (row.snapshot).context;
  return {
    id: row.id,
    state: row.state,
    version: row.version,
    teamId: row.team_id,
    gemeente: row.gemeente,
    receivedAt: row.received_at.toISOString(),
    registeredAt: row.registered_at.toISOString(),
    registeredBy: row.registered_by,
    /** How old the melding is, in werkdagen since receipt (the inspection asks that this is always visible). */
    ageWerkdagen: calendar.werkdagenBetween(row.received_at, row.closed_at ?? now),
    acuteDanger: row.acute_danger,
    violenceTypes: row.violence_types,
    reReport: row.re_report,
    /** CBS: eerste melding, hermelding or vervolgmelding; a vervolgmelding names the open case it was added to. */
    reportKind: row.report_kind,
    linkedCaseId: row.linked_case_id,
    safety: row.safety,
    decisionCode: row.decision_code,
    summary: row.summary,
    melder: melder
      ? { professional: row.melder_professional, sector: row.melder_sector, anonymous: melder.anonymous, shielded: melder.shielded, name: melder.name, contact: melder.contact }
      : null,
    persons: persons.map((p) => ({
      id: p.id,
      ordinal: p.ordinal,
      role: p.role,
      name: p.name,
      birthDate: p.birth_date,
      bsn: p.bsn,
      vulnerabilities: p.vulnerabilities,
      // What counts for the current round: a fact of an earlier round shows as not recorded until it is recorded again or confirmed.
      childContact: ctx.childContacts[p.id]?.round === ctx.round ? ctx.childContacts[p.id]! : null,
      chainPartnerRecorded: ctx.chainPartners[p.id]?.round === ctx.round,
      /** Art. 4.1.8: informed at the first contact (`given`), a reason why not (`given: false`), or null: nothing recorded. */
      firstContactInformation: ctx.firstContactInformation[p.id] ?? null,
      /** Art. 4.2.4: told about the vertrouwenspersoon, or why not; null: nothing recorded. */
      vertrouwenspersoonInformation: ctx.vertrouwenspersoonInformation[p.id] ?? null,
      /** A member of the household (by role), whose safety the veiligheidsbeoordeling assesses. */
      householdMember: isHouseholdRole(p.role as PersonRole),
      /** The member's safety as last assessed (`safety` null: a reason why it could not be); null: not assessed. */
      memberSafety: ctx.memberSafety[p.id] ?? null,
    })),
    round: ctx.round,
    safetyPlanRecorded: ctx.safetyPlanAt !== null && ctx.safetyPlanRound === ctx.round,
    informalNetworkRecorded: ctx.informalNetworkAt !== null && ctx.informalNetworkRound === ctx.round,
    planVanAanpak: ctx.planVanAanpak,
    pendingProposal: ctx.proposal ? { kind: ctx.proposal.kind, by: ctx.proposal.by, at: ctx.proposal.at, decisionCode: ctx.proposal.decisionCode, followUp: ctx.proposal.followUp } : null,
    monitoringContacts: ctx.monitoringContacts,
    deadlines: deadlines.map((d) => toDeadlineView(d, now, calendar)),
    nextDueAt: row.next_due_at?.toISOString() ?? null,
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}
/** With the vervolgmeldingen added to this case (ids and dates; each is a case of its own). */
export type CaseView = ReturnType<typeof toCaseView> & { vervolgmeldingen: Array<{ caseId: string; receivedAt: string }> };

/**
 * Time left to a term in werkdagen on the Awt calendar: the werkdagen after today up to and including the due day
 * (0: due today, or before tomorrow's first werkdag); once past due, minus the werkdagen since. `overdue` tells
 * a term that lapsed today (0 werkdagen ago) from one still open today.
 */
export function timeLeft(dueAt: Date, now: Date, calendar: AwtCalendar): { werkdagenLeft: number; overdue: boolean } {
  if (dueAt > now) return { werkdagenLeft: calendar.werkdagenBetween(now, dueAt), overdue: false };
  const past = calendar.werkdagenBetween(dueAt, now);
  return { werkdagenLeft: past === 0 ? 0 : -past, overdue: true };
}

export function toDeadlineView(d: DeadlineRow, now: Date, calendar: AwtCalendar) {
  const open = d.status === 'open' || d.status === 'breached';
  return {
    id: d.id,
    kind: d.kind,
    key: d.key,
    rule: d.rule,
    status: d.status,
    openedAt: d.opened_at.toISOString(),
    dueAt: d.due_at.toISOString(),
    originalDueAt: d.original_due_at.toISOString(),
    warnAt: d.warn_at.toISOString(),
    warnedAt: d.warned_at?.toISOString() ?? null,
    breachedAt: d.breached_at?.toISOString() ?? null,
    metAt: d.met_at?.toISOString() ?? null,
    cancelledAt: d.cancelled_at?.toISOString() ?? null,
    /** For open and breached terms: werkdagen left (negative: werkdagen past due), on the Awt calendar. */
    timeLeft: open ? timeLeft(d.due_at, now, calendar) : null,
  };
}

/** A list row: no names, no free text. */
export function toCaseSummary(row: CaseRow, now: Date, calendar: AwtCalendar) {
  return {
    id: row.id,
    state: row.state,
    version: row.version,
    teamId: row.team_id,
    gemeente: row.gemeente,
    receivedAt: row.received_at.toISOString(),
    acuteDanger: row.acute_danger,
    violenceTypes: row.violence_types,
    safety: row.safety,
    nextDueAt: row.next_due_at?.toISOString() ?? null,
    /** Werkdagen left to the nearest open term (negative when past due), so clients need no holiday calendar. */
    nextDueTimeLeft: row.next_due_at ? timeLeft(row.next_due_at, now, calendar) : null,
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}

export function toHistoryEntry(e: CaseEventRow) {
  return {
    id: e.id,
    seq: e.seq,
    type: e.type,
    actor: { id: e.actor_id, role: e.actor_role },
    at: e.at.toISOString(),
    fromState: e.from_state,
    toState: e.to_state,
    payload: e.payload,
  };
}
