import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from 'kysely';
import type { PersistedMelding } from '../workflows/melding/melding.workflow';

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
  decision_code: string | null;
  summary: string;
  /** The nearest open deadline, kept in step with `deadlines` so lists sort and filter on one indexed column. */
  next_due_at: Timestamp | null;
  closed_at: Timestamp | null;
  updated_at: Timestamp;
  advies_id: string | null;
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
}

export type DeadlineStatus = 'open' | 'met' | 'breached' | 'cancelled';

export interface DeadlineTable {
  id: string;
  case_id: string;
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
}

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

export type AlertLevel = 'warning' | 'breach' | 'escalation';

export interface AlertTable {
  id: string;
  seq: Generated<number>;
  deadline_id: string;
  case_id: string;
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

/** One access to a case, person or history (or the trail itself), hash-chained to the row before it. */
export interface AuditLogTable {
  /** 1, 2, 3…: gapless, assigned under the chain lock. */
  seq: number;
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
  prev_hash: string;
  hash: string;
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
  audit_log: AuditLogTable;
  melder_identities: MelderIdentityTable;
}

export type CaseRow = Selectable<CaseTable>;
export type NewCase = Insertable<CaseTable>;
export type CaseUpdate = Updateable<CaseTable>;
export type PersonRow = Selectable<PersonTable>;
export type CaseEventRow = Selectable<CaseEventTable>;
export type DeadlineRow = Selectable<DeadlineTable>;
export type NewDeadline = Insertable<DeadlineTable>;
export type AdviesRow = Selectable<AdviesTable>;
export type MelderRow = Selectable<MelderTable>;
export type AlertRow = Selectable<AlertTable>;
export type AlertDeliveryRow = Selectable<AlertDeliveryTable>;
export type TeamAlertChannelRow = Selectable<TeamAlertChannelTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type MelderIdentityRow = Selectable<MelderIdentityTable>;
