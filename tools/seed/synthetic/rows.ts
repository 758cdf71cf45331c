import type { CheckOutcome } from '../../../db/schema';
import type { qualityFactsColumns } from '../../../src/reporting/quality.repository';
import type { MeldingState, PersistedMelding } from '../../../workflows/melding';
import type { DecisionCode, MelderSector, PersonRole, SafetyOutcome, ViolenceType, Vulnerability } from '../../../workflows/reference';

/** The rows a synthetic case writes, shaped like the tables (timestamps as ISO text for bulk loading). */
export interface SyntheticCaseRow {
  id: string;
  team_id: string;
  gemeente: string;
  state: MeldingState;
  version: number;
  machine_version: number;
  snapshot: PersistedMelding;
  received_at: string;
  registered_at: string;
  registered_by: string;
  acute_danger: boolean;
  violence_types: ViolenceType[];
  melder_professional: boolean;
  melder_sector: MelderSector | null;
  re_report: boolean;
  safety: SafetyOutcome | null;
  assessed_safety: SafetyOutcome | null;
  /** 'vervolgmelding' is found after loading (report-kinds.ts). */
  report_kind: 'eerste' | 'hermelding';
  decision_code: DecisionCode | null;
  summary: string;
  next_due_at: string | null;
  closed_at: string | null;
  updated_at: string;
  advies_id: null;
}

export interface SyntheticMelderRow {
  case_id: string;
  name: string | null;
  contact: string | null;
  shielded: boolean;
  anonymous: boolean;
}

export interface SyntheticPersonRow {
  id: string;
  case_id: string;
  ordinal: number;
  role: PersonRole;
  name: string;
  birth_date: string | null;
  bsn: string | null;
  vulnerabilities: Vulnerability[];
  created_at: string;
}

export interface SyntheticEventRow {
  id: string;
  case_id: string;
  seq: number;
  type: string;
  actor_id: string;
  actor_role: string;
  at: string;
  from_state: MeldingState | null;
  to_state: MeldingState;
  payload: Record<string, unknown>;
  round: number;
}

export interface SyntheticDeadlineRow {
  id: string;
  case_id: string;
  kind: string;
  key: string;
  rule: string;
  status: 'open' | 'met' | 'breached' | 'cancelled';
  opened_at: string;
  due_at: string;
  original_due_at: string;
  warn_at: string;
  warned_at: string | null;
  breached_at: string | null;
  met_at: string | null;
  cancelled_at: string | null;
  inspection_due_at: string | null;
  gemeente: string;
  team_id: string;
  case_received_at: string;
}

/** As the trigger on case_events keeps them (the COPY load skips triggers, so the seed writes them itself). */
export interface SyntheticStatePeriodRow {
  case_id: string;
  seq: number;
  state: MeldingState;
  gemeente: string;
  entered_at: string;
  left_at: string | null;
}

/** As the engine writes them when a melding leaves VT (the facts as columns, see `qualityFactsColumns`). */
export type SyntheticQualityFactsRow = { case_id: string; seq: number; team_id: string; left_at: string; to_state: MeldingState; round: number } & ReturnType<typeof qualityFactsColumns>;

/** As the engine writes them when an onderzoek starts: its plan van aanpak. */
export interface SyntheticPlanFactsRow {
  case_id: string;
  seq: number;
  team_id: string;
  started_at: string;
  round: number;
  plan_kind: 'intercollegiaal' | 'multidisciplinair' | null;
  made: boolean;
  reason_no_plan: boolean;
}

/** As the trigger on case_events keeps them for each monitoring contact held. */
export interface SyntheticMonitoringContactRow {
  case_id: string;
  seq: number;
  team_id: string;
  held_at: string;
  checked: boolean;
  steps: CheckOutcome;
  violence_stopped: CheckOutcome;
  safety_restored: CheckOutcome;
  reason_unknown: boolean;
}

/** The moments a case changed state and was overdue, for the waiting-list history (epoch ms). */
export interface SyntheticTimeline {
  gemeente: string;
  /** State entered at each moment; the first is the registration. */
  at: number[];
  state: MeldingState[];
  /** Half-open intervals [from, to) in which the case had an open deadline past its end; `to` may be Infinity. */
  overdue: Array<[number, number]>;
  nextDueAt: number | null;
}

export interface SyntheticCase {
  case: SyntheticCaseRow;
  melder: SyntheticMelderRow;
  persons: SyntheticPersonRow[];
  events: SyntheticEventRow[];
  deadlines: SyntheticDeadlineRow[];
  statePeriods: SyntheticStatePeriodRow[];
  qualityFacts: SyntheticQualityFactsRow[];
  monitoringContacts: SyntheticMonitoringContactRow[];
  planFacts: SyntheticPlanFactsRow[];
  timeline: SyntheticTimeline;
}
