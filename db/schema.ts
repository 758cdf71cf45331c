import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from 'kysely';
import type { PersistedMelding } from '../workflows/melding/melding.workflow';
import type { MonthCounts } from '../workflows/reporting/month-counts';

/** Kysely table types: the one source of row types. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface GemeenteTable {
  code: string;
  name: string;
  region_id: string;
  is_centrumgemeente: boolean;
}

export interface TeamTable {
  id: string;
  name: string | null;
  created_at: Generated<Date>;
}

export type ReportKind = 'eerste' | 'hermelding' | 'vervolgmelding';

export interface CaseTable {
  id: string;
  team_id: string;
  gemeente: string;
  state: string;
  version: number;
  machine_version: number;
  snapshot: JSONColumnType<PersistedMelding>;
  received_at: Timestamp;
  registered_at: Timestamp;
  registered_by: string;
  acute_danger: boolean;
  violence_types: string[];
  melder_professional: boolean;
  melder_sector: string | null;
  re_report: boolean;
  safety: string | null;
  /** The outcome of the melding's own veiligheidsbeoordeling as decided (first DECISION_APPROVED); never changed after. */
  assessed_safety: ColumnType<string | null, string | null | undefined, string | null>;
  /** CBS: first melding, hermelding (a person was on an earlier, closed case) or vervolgmelding (added to an open case). */
  report_kind: ColumnType<ReportKind, ReportKind | undefined, ReportKind>;
  /** A vervolgmelding's open case about the same household. */
  linked_case_id: ColumnType<string | null, string | null | undefined, string | null>;
  decision_code: string | null;
  summary: string;
  /** The nearest open deadline, kept in step with `deadlines` so lists sort and filter on one indexed column. */
  next_due_at: Timestamp | null;
  closed_at: Timestamp | null;
  updated_at: Timestamp;
  advies_id: string | null;
  /** Retention: the first local day the dossier may be destroyed (set at closure), and the rule that set it. */
  destroy_on: ColumnType<string | null, string | null | undefined, string | null>;
  retention_rule: ColumnType<'closure_term' | 'youngest_child' | null, 'closure_term' | 'youngest_child' | null | undefined, 'closure_term' | 'youngest_child' | null>;
  /** A legal hold stops destruction while it stands. */
  legal_hold_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  legal_hold_by: ColumnType<string | null, string | null | undefined, string | null>;
  legal_hold_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set when the nightly job destroyed the dossier: personal data and free text are gone, the figures remain. */
  destroyed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** The melder's identity, kept apart from the case so it can be shielded from the family. */
export interface MelderTable {
  case_id: string;
  name: string | null;
  contact: string | null;
  shielded: boolean;
  anonymous: boolean;
}

export interface PersonTable {
  id: string;
  case_id: string;
  ordinal: number;
  role: string;
  name: string;
  birth_date: string | null;
  bsn: string | null;
  /** 'man', 'vrouw' or 'onbekend', when registered (for the CBS delivery). */
  sex: ColumnType<string | null, string | null | undefined, string | null>;
  vulnerabilities: string[];
  created_at: Timestamp;
}

export interface CaseEventTable {
  id: string;
  case_id: string;
  /** The case version this event produced; unique per case, so history has no gaps or doubles. */
  seq: number;
  type: string;
  actor_id: string;
  actor_role: string;
  at: Timestamp;
  from_state: string | null;
  to_state: string;
  payload: JSONColumnType<Record<string, unknown>>;
  /** The machine's round after this event (db/migrations/20261203T1300_rounds_and_plan.ts); null for events outside the machine and before rounds. */
  round: ColumnType<number | null, number | null | undefined, never>;
}

export type DeadlineStatus = 'open' | 'met' | 'breached' | 'cancelled';

export interface DeadlineTable {
  id: string;
  /** The subject: a case, or (for the improvement plan and certification track) a plan item; exactly one is set. */
  case_id: string | null;
  plan_item_id: ColumnType<string | null, string | null | undefined, string | null>;
  kind: string;
  key: string;
  rule: string;
  status: DeadlineStatus;
  opened_at: Timestamp;
  due_at: Timestamp;
  /** The statutory term as first computed; `due_at` may move with an opschorting or verlenging. */
  original_due_at: Timestamp;
  warn_at: Timestamp;
  warned_at: Timestamp | null;
  breached_at: Timestamp | null;
  met_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  /** For an onderzoek: ten weeks from receipt, the inspection's measure beside the statutory term; else null. */
  inspection_due_at: Timestamp | null;
  /** Copied from the case by a trigger on insert, for counting terms per gemeente or team from one index. */
  gemeente: Generated<string>;
  team_id: Generated<string>;
  case_received_at: Generated<Date>;
  /** Generated: [opened_at, met or cancelled), as range text. */
  running_span: ColumnType<string, never, never>;
}

/** How long a case stayed in each state; kept by a trigger on case_events. Anonymised, kept after destruction. */
/** Raw counts of complete months (see src/reporting/metrics.service.ts), counted once and reused; no person data. */
export interface MetricsMonthlyTable {
  month: string;
  as_of: Timestamp;
  computed_at: Timestamp;
  counts: JSONColumnType<MonthCounts>;
}

/** One row: bumped by every change that forgets kept months, so a month counted meanwhile is not kept stale. */
export interface MetricsGenerationTable {
  id: boolean;
  generation: ColumnType<string, never, string>;
}

export interface CaseStatePeriodTable {
  case_id: string;
  /** The history event that entered the state. */
  seq: number;
  state: string;
  gemeente: string;
  entered_at: Timestamp;
  left_at: Timestamp | null;
  /** Generated: [entered_at, left_at), as range text. */
  span: ColumnType<string, never, never>;
}

/** What the inspection asks of a melding, as it stood when it left VT (see workflows/reporting/quality.ts `LeavingFacts`). */
export interface CaseQualityFactsTable {
  case_id: string;
  seq: number;
  team_id: string;
  left_at: Timestamp;
  to_state: string;
  unsafe: boolean;
  safety_plan: boolean;
  children: number;
  children_seen: number;
  children_spoken: number;
  decided: boolean;
  decision_four_eyes: boolean;
  closed: boolean;
  closure_four_eyes: boolean;
  vulnerable: number;
  vulnerable_with_chain_partner: number;
  informal_network: boolean;
  children_seen_justified: number;
  children_to_speak: number;
  children_spoken_justified: number;
  vulnerable_chain_partner_justified: number;
  informal_network_justified: boolean;
  monitoring_follows: boolean;
  monitoring_planned: boolean;
  /** Since 20261203T1500: persons on the case, and the duties of art. 4.1.8 and 4.2.4 towards them (0 on older rows: not recorded then). */
  betrokkenen: number;
  first_contact_informed: number;
  first_contact_justified: number;
  vertrouwenspersoon_known: number;
  vertrouwenspersoon_justified: number;
  /** Members of the household, and whose safety was assessed or not for a recorded reason. */
  household_members: number;
  household_safety_assessed: number;
  household_safety_justified: number;
  /** The round the melding left VT in (rows from before rounds: 1). */
  round: ColumnType<number, number | undefined, number>;
}

/** Per onderzoek started: its plan van aanpak, anonymised (db/migrations/20261203T1300_rounds_and_plan.ts). */
export interface OnderzoekPlanFactsTable {
  case_id: string;
  seq: number;
  team_id: string;
  started_at: Timestamp;
  round: number;
  /** 'intercollegiaal', 'multidisciplinair', or null when started without a plan. */
  plan_kind: string | null;
  /** A plan made either way (multidisciplinair with disciplines, or approved by a second professional). */
  made: boolean;
  /** No plan, with a recorded reason. */
  reason_no_plan: boolean;
}

/** Per monitoring contact held: whether it recorded that the violence stopped (kept by a trigger on case_events). */
export interface MonitoringContactFactsTable {
  case_id: string;
  seq: number;
  team_id: string;
  held_at: Timestamp;
  /** All three established (yes or no). */
  checked: boolean;
  steps: CheckOutcome;
  violence_stopped: CheckOutcome;
  safety_restored: CheckOutcome;
  /** A reason was recorded why something could not be established. */
  reason_unknown: boolean;
}

/** What a monitoring contact established about one question. */
export type CheckOutcome = 'yes' | 'no' | 'unknown';

export interface AdviesTable {
  id: string;
  team_id: string;
  gemeente: string;
  violence_types: string[];
  received_at: Timestamp;
  registered_at: Timestamp;
  registered_by: string;
  caller_professional: boolean;
  caller_sector: string | null;
  summary: string;
  converted_case_id: string | null;
}

/** `acute`: raised at once when acute unsafety is registered or established, to the team's teamleider. */
export type AlertLevel = 'warning' | 'breach' | 'escalation' | 'acute';

export interface AlertTable {
  id: string;
  seq: Generated<number>;
  deadline_id: string;
  /** The deadline's subject: a case or a plan item; exactly one is set. */
  case_id: string | null;
  plan_item_id: ColumnType<string | null, string | null | undefined, string | null>;
  team_id: string;
  level: AlertLevel;
  deadline_kind: string;
  due_at: Timestamp;
  created_at: Timestamp;
  /** For a breach alert: when it escalates to the manager if nobody has acknowledged it. */
  escalate_at: Timestamp | null;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
}

export interface TeamAlertChannelTable {
  team_id: string;
  webhook_url: string | null;
  webhook_secret: string | null;
  email: string | null;
  updated_at: Timestamp;
  updated_by: string;
}

export type DeliveryChannel = 'webhook' | 'email';

/** The outbox of alert notifications; a delivery that exhausted its attempts is 'dead' (the dead-letter list). */
export interface AlertDeliveryTable {
  id: string;
  alert_id: string;
  channel: DeliveryChannel;
  target: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DeadlineAdjustmentTable {
  id: string;
  deadline_id: string;
  kind: 'opschorting' | 'verlenging';
  werkdagen: number;
  reason: string;
  by: string;
  at: Timestamp;
  due_before: Timestamp;
  due_after: Timestamp;
}

export interface WaitlistDailyTable {
  day: string;
  gemeente: string;
  state: string;
  open_cases: number;
  overdue_cases: number;
  taken_at: Timestamp;
}

/** One row per destroyed dossier: when, by which rule, what was removed. No personal data. */
export interface RetentionDestructionTable {
  case_id: string;
  destroyed_at: Timestamp;
  rule: string;
  destroy_on: string;
  persons_removed: number;
  melders_removed: number;
  events_redacted: number;
  text_fields_removed: number;
}

/**
 * One access to a case, person or history (or the trail itself). Rows from before issue 19 are hash-chained here
 * (`prev_hash`, `hash`); later rows carry `row_hash` and are chained by the sealer in `audit_seal`.
 */
export interface AuditLogTable {
  /** From a sequence, in insert order; the chain's order is the sealer's (`audit_seal.chain_seq`). */
  seq: Generated<number>;
  at: Timestamp;
  actor_id: string;
  actor_role: string;
  actor_teams: string[];
  action: string;
  case_id: string | null;
  /** The case's team at the time: with `actor_teams` it shows whether the access was outside the actor's teams. */
  case_team: string | null;
  person_id: string | null;
  /** A non-personal qualifier: the event type of a change, the format of an export, an alert or deadline id. */
  detail: string | null;
  break_glass: boolean;
  reason: string | null;
  /** The chain of the rows written before the sealer (null for later rows). */
  prev_hash: ColumnType<string | null, string | null | undefined, never>;
  hash: ColumnType<string | null, string | null | undefined, never>;
  /** SHA-256 over the row's contents, written with it (null for the rows of the old chain). */
  row_hash: ColumnType<string | null, string | null | undefined, never>;
}

/** One link of the sealed audit chain: the `chain_seq`-th row sealed, `audit_log.seq = audit_seq`. */
export interface AuditSealTable {
  chain_seq: number;
  audit_seq: number;
  prev_hash: string;
  hash: string;
  sealed_at: Generated<Date>;
}

/** An audit row waiting for the sealer. */
export interface AuditPendingTable {
  audit_seq: number;
  queued_at: Generated<Date>;
}

/** A shielded melder's name and contact, AES-256-GCM encrypted under the key `key_id`. */
export interface MelderIdentityTable {
  case_id: string;
  key_id: string;
  iv: Buffer;
  ciphertext: Buffer;
  auth_tag: Buffer;
  created_at: Timestamp;
  rekeyed_at: Timestamp | null;
}

/** A manager's record about an expectation of the Inspectie: an organisational status or a norm (see workflows/quality). */
export interface QualityExpectationRecordTable {
  id: string;
  expectation_id: string;
  kind: 'status' | 'norm';
  figure: string | null;
  status: 'met' | 'not_met' | null;
  norm: number | null;
  evidence: string;
  set_by: string;
  set_role: string;
  set_at: Timestamp;
}

export type PlanItemKind = 'verbeteractie' | 'mijlpaal';
export type PlanItemStatus = 'gepland' | 'in_uitvoering' | 'gereed' | 'vervallen';

/** An item of the improvement plan (verbeteractie) or of the certification track (mijlpaal). */
export interface QualityPlanItemTable {
  id: string;
  kind: PlanItemKind;
  title: string;
  expectations: string[];
  track: string | null;
  milestone: string | null;
  owner_id: string;
  /** The owner's function as shown outside Veilig Thuis (no names): e.g. kwaliteitsfunctionaris. */
  owner_role: string;
  /** The team whose supervisors receive the item's alerts. */
  team_id: string;
  gemeente: string;
  due_on: ColumnType<string, string, string>;
  done_on: ColumnType<string | null, string | null | undefined, string | null>;
  status: PlanItemStatus;
  version: number;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface QualityPlanItemEventTable {
  id: string;
  item_id: string;
  seq: number;
  type: string;
  actor_id: string;
  actor_role: string;
  at: Timestamp;
  from_status: PlanItemStatus | null;
  to_status: PlanItemStatus;
  note: string | null;
  payload: JSONColumnType<Record<string, unknown>>;
}

export interface DB {
  gemeenten: GemeenteTable;
  teams: TeamTable;
  cases: CaseTable;
  melders: MelderTable;
  persons: PersonTable;
  case_events: CaseEventTable;
  deadlines: DeadlineTable;
  adviezen: AdviesTable;
  alerts: AlertTable;
  team_alert_channels: TeamAlertChannelTable;
  alert_deliveries: AlertDeliveryTable;
  deadline_adjustments: DeadlineAdjustmentTable;
  waitlist_daily: WaitlistDailyTable;
  case_state_periods: CaseStatePeriodTable;
  case_quality_facts: CaseQualityFactsTable;
  monitoring_contact_facts: MonitoringContactFactsTable;
  onderzoek_plan_facts: OnderzoekPlanFactsTable;
  metrics_monthly: MetricsMonthlyTable;
  metrics_generation: MetricsGenerationTable;
  retention_destructions: RetentionDestructionTable;
  audit_log: AuditLogTable;
  audit_seal: AuditSealTable;
  audit_pending: AuditPendingTable;
  melder_identities: MelderIdentityTable;
  quality_expectation_records: QualityExpectationRecordTable;
  quality_plan_items: QualityPlanItemTable;
  quality_plan_item_events: QualityPlanItemEventTable;
  idempotency_keys: IdempotencyKeyTable;
}

/** A claimed Idempotency-Key (db/migrations/20261202T1700_idempotency_keys.ts); the response once answered. */
export interface IdempotencyKeyTable {
  subject: string;
  key: string;
  request_hash: string;
  created_at: Timestamp;
  completed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  status_code: ColumnType<number | null, number | null | undefined, number | null>;
  response_headers: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  response_body: ColumnType<string | null, string | null | undefined, string | null>;
}

export type CaseRow = Selectable<CaseTable>;
export type NewCase = Insertable<CaseTable>;
export type CaseUpdate = Updateable<CaseTable>;
export type PersonRow = Selectable<PersonTable>;
export type CaseEventRow = Selectable<CaseEventTable>;
export type DeadlineRow = Selectable<DeadlineTable>;
export type NewDeadline = Insertable<DeadlineTable>;
export type NewQualityFacts = Insertable<CaseQualityFactsTable>;
export type QualityFactsRow = Selectable<CaseQualityFactsTable>;
export type NewOnderzoekPlanFacts = Insertable<OnderzoekPlanFactsTable>;
export type AdviesRow = Selectable<AdviesTable>;
export type MelderRow = Selectable<MelderTable>;
export type AlertRow = Selectable<AlertTable>;
export type AlertDeliveryRow = Selectable<AlertDeliveryTable>;
export type TeamAlertChannelRow = Selectable<TeamAlertChannelTable>;
export type NewRetentionDestruction = Insertable<RetentionDestructionTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLogRow = Insertable<AuditLogTable>;
export type AuditSealRow = Selectable<AuditSealTable>;
export type MelderIdentityRow = Selectable<MelderIdentityTable>;
export type QualityExpectationRecordRow = Selectable<QualityExpectationRecordTable>;
export type QualityPlanItemRow = Selectable<QualityPlanItemTable>;
export type QualityPlanItemEventRow = Selectable<QualityPlanItemEventTable>;
export type IdempotencyKeyRow = Selectable<IdempotencyKeyTable>;
