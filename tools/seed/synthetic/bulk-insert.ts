/**
 * Bulk SQL for synthetic data: a batch of cases goes in as one JSON document per table, expanded by PostgreSQL's
 * `json_to_recordset` into one multi-row INSERT each, all in one transaction. The JSON is built where the cases are
 * generated (a worker thread), so the thread talking to the database only passes strings along.
 */
import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../../db/database';
import type { SyntheticCase } from '../synthetic-meldingen';
import type { WaitlistRow } from './waitlist-history';

/** Column name and SQL type, in table order; the JSON keys are the column names. */
const COLUMNS = {
  cases: [
    'id uuid',
    'team_id text',
    'gemeente text',
    'state text',
    'version integer',
    'machine_version integer',
    'snapshot jsonb',
    'received_at timestamptz',
    'registered_at timestamptz',
    'registered_by text',
    'acute_danger boolean',
    'violence_types text[]',
    'melder_professional boolean',
    'melder_sector text',
    're_report boolean',
    'safety text',
    'assessed_safety text',
    'report_kind text',
    'decision_code text',
    'summary text',
    'next_due_at timestamptz',
    'closed_at timestamptz',
    'updated_at timestamptz',
    'advies_id uuid',
  ],
  melders: ['case_id uuid', 'name text', 'contact text', 'shielded boolean', 'anonymous boolean'],
  persons: ['id uuid', 'case_id uuid', 'ordinal integer', 'role text', 'name text', 'birth_date date', 'bsn text', 'vulnerabilities text[]', 'created_at timestamptz'],
  case_events: ['id uuid', 'case_id uuid', 'seq integer', 'type text', 'actor_id text', 'actor_role text', 'at timestamptz', 'from_state text', 'to_state text', 'payload jsonb', 'round integer'],
  deadlines: [
    'id uuid',
    'case_id uuid',
    'kind text',
    'key text',
    'rule text',
    'status text',
    'opened_at timestamptz',
    'due_at timestamptz',
    'original_due_at timestamptz',
    'warn_at timestamptz',
    'warned_at timestamptz',
    'breached_at timestamptz',
    'met_at timestamptz',
    'cancelled_at timestamptz',
    'inspection_due_at timestamptz',
    'gemeente text',
    'team_id text',
    'case_received_at timestamptz',
  ],
  case_state_periods: ['case_id uuid', 'seq integer', 'state text', 'gemeente text', 'entered_at timestamptz', 'left_at timestamptz'],
  case_quality_facts: [
    'case_id uuid',
    'seq integer',
    'team_id text',
    'left_at timestamptz',
    'to_state text',
    'unsafe boolean',
    'safety_plan boolean',
    'children integer',
    'children_seen integer',
    'children_spoken integer',
    'decided boolean',
    'decision_four_eyes boolean',
    'closed boolean',
    'closure_four_eyes boolean',
    'vulnerable integer',
    'vulnerable_with_chain_partner integer',
    'informal_network boolean',
    'children_seen_justified integer',
    'children_to_speak integer',
    'children_spoken_justified integer',
    'vulnerable_chain_partner_justified integer',
    'informal_network_justified boolean',
    'monitoring_follows boolean',
    'monitoring_planned boolean',
    'betrokkenen integer',
    'first_contact_informed integer',
    'first_contact_justified integer',
    'vertrouwenspersoon_known integer',
    'vertrouwenspersoon_justified integer',
    'household_members integer',
    'household_safety_assessed integer',
    'household_safety_justified integer',
    'round integer',
  ],
  onderzoek_plan_facts: ['case_id uuid', 'seq integer', 'team_id text', 'started_at timestamptz', 'round integer', 'plan_kind text', 'made boolean', 'reason_no_plan boolean'],
  monitoring_contact_facts: ['case_id uuid', 'seq integer', 'team_id text', 'held_at timestamptz', 'checked boolean', 'steps text', 'violence_stopped text', 'safety_restored text', 'reason_unknown boolean'],
  waitlist_daily: ['day date', 'gemeente text', 'state text', 'open_cases integer', 'overdue_cases integer', 'taken_at timestamptz'],
} as const;

type Table = keyof typeof COLUMNS;

/** Tables in foreign-key order. */
const CASE_TABLES = ['cases', 'melders', 'persons', 'case_events', 'deadlines', 'case_state_periods', 'case_quality_facts', 'monitoring_contact_facts', 'onderzoek_plan_facts'] as const;

/** Kept by triggers on case_events: loaded only when the load skips triggers. */
const TRIGGER_WRITTEN: ReadonlySet<CaseTable> = new Set(['case_state_periods', 'monitoring_contact_facts']);

/**
 * 'copy': PostgreSQL's COPY text format, streamed over a dedicated connection (the fastest load a server offers);
 * 'json': one `json_to_recordset` INSERT per table through Kysely, which also works on the embedded database.
 */
export type BatchFormat = 'copy' | 'json';

export interface SerializedBatch {
  format: BatchFormat;
  cases: number;
  persons: number;
  events: number;
  deadlines: number;
  states: Record<string, number>;
  data: Record<CaseTable, string>;
}

type CaseTable = (typeof CASE_TABLES)[number];
type Row = object;

export function serializeBatch(cases: readonly SyntheticCase[], format: BatchFormat): SerializedBatch {
  const states: Record<string, number> = {};
  let persons = 0;
  let events = 0;
  let deadlines = 0;
  for (const c of cases) {
    states[c.case.state] = (states[c.case.state] ?? 0) + 1;
    persons += c.persons.length;
    events += c.events.length;
    deadlines += c.deadlines.length;
  }
  const rows: Record<CaseTable, Row[]> = {
    cases: cases.map((c) => c.case),
    melders: cases.map((c) => c.melder),
    persons: cases.flatMap((c) => c.persons),
    case_events: cases.flatMap((c) => c.events),
    deadlines: cases.flatMap((c) => c.deadlines),
    case_state_periods: cases.flatMap((c) => c.statePeriods),
    case_quality_facts: cases.flatMap((c) => c.qualityFacts),
    monitoring_contact_facts: cases.flatMap((c) => c.monitoringContacts),
    onderzoek_plan_facts: cases.flatMap((c) => c.planFacts),
  };
  const encode = format === 'copy' ? copyText : (table: CaseTable, r: Row[]) => JSON.stringify(r);
  return {
    format,
    cases: cases.length,
    persons,
    events,
    deadlines,
    states,
    data: {
      cases: encode('cases', rows.cases),
      melders: encode('melders', rows.melders),
      persons: encode('persons', rows.persons),
      case_events: encode('case_events', rows.case_events),
      deadlines: encode('deadlines', rows.deadlines),
      case_state_periods: encode('case_state_periods', rows.case_state_periods),
      case_quality_facts: encode('case_quality_facts', rows.case_quality_facts),
      monitoring_contact_facts: encode('monitoring_contact_facts', rows.monitoring_contact_facts),
      onderzoek_plan_facts: encode('onderzoek_plan_facts', rows.onderzoek_plan_facts),
    },
  };
}

const columnNames = (table: Table) => COLUMNS[table].map((c) => c.split(' ')[0]!);

/** Rows in COPY text format: tab-separated, \N for null, backslash escapes; arrays and JSON as their text forms. */
function copyText(table: CaseTable, rows: Row[]): string {
  const names = columnNames(table);
  const lines: string[] = new Array<string>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Record<string, unknown>;
    let line = '';
    for (let c = 0; c < names.length; c++) {
      if (c > 0) line += '\t';
      line += copyValue(row[names[c]!]);
    }
    lines[r] = line;
  }
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

const COPY_SPECIAL = /[\\\t\n\r]/;

function copyEscape(text: string): string {
  return COPY_SPECIAL.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
}

function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  switch (typeof value) {
    case 'string':
      return copyEscape(value);
    case 'number':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (Array.isArray(value)) return copyEscape(`{${value.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
      return copyEscape(JSON.stringify(value));
  }
}

export function insertFromJson(table: Table, json: string, onConflict = sql``) {
  const columns = COLUMNS[table];
  const names = sql.raw(columnNames(table).join(', '));
  return sql`insert into ${sql.table(table)} (${names}) select ${names} from json_to_recordset(${json}::json) as x(${sql.raw(columns.join(', '))}) ${onConflict}`;
}

/** One 'json' batch in one transaction. Losing the last batches in a crash is harmless for seed data, so commits do not wait for the disk. */
export async function insertBatch(db: Database, batch: SerializedBatch): Promise<void> {
  if (batch.format !== 'json') throw new Error('insertBatch takes json batches; use CopyLoader for copy batches');
  await db.transaction().execute(async (trx) => {
    await sql`set local synchronous_commit = off`.execute(trx);
    // Triggers run here: those on case_events have written the state periods and contact facts already.
    for (const table of CASE_TABLES) if (!TRIGGER_WRITTEN.has(table)) await insertFromJson(table, batch.data[table]).execute(trx);
  });
}

/**
 * Loads 'copy' batches over its own connection to a PostgreSQL server: one transaction per batch, one COPY per
 * table. When the role may (a superuser), foreign-key triggers are skipped for the load like `pg_restore
 * --disable-triggers` does: the rows reference each other by construction, and the tests check that they do.
 */
export class CopyLoader {
  private constructor(
    private readonly client: pg.Client,
    private readonly skipTriggers: boolean,
  ) {}

  static async connect(url: string, options: { skipTriggers: boolean }): Promise<CopyLoader> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    client.on('error', () => undefined); // a broken connection fails the running COPY, which reports it
    let skip = false;
    if (options.skipTriggers) {
      const { rows } = await client.query<{ su: string }>(`select current_setting('is_superuser') as su`);
      skip = rows[0]?.su === 'on';
    }
    return new CopyLoader(client, skip);
  }

  get triggersSkipped(): boolean {
    return this.skipTriggers;
  }

  async load(batch: SerializedBatch): Promise<void> {
    if (batch.format !== 'copy') throw new Error('CopyLoader takes copy batches');
    await this.client.query('begin');
    try {
      await this.client.query('set local synchronous_commit = off');
      if (this.skipTriggers) await this.client.query('set local session_replication_role = replica');
      for (const table of CASE_TABLES) {
        if (batch.data[table].length === 0) continue;
        // Where triggers run, those on case_events have written the state periods and contact facts already.
        if (TRIGGER_WRITTEN.has(table) && !this.skipTriggers) continue;
        await copyIn(this.client, `copy ${table} (${columnNames(table).join(', ')}) from stdin`, batch.data[table]);
      }
      await this.client.query('commit');
    } catch (error) {
      await this.client.query('rollback').catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

/** COPY … FROM STDIN with node-postgres' submittable interface (the one pg-copy-streams builds on). */
function copyIn(client: pg.Client, statement: string, text: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failed: Error | null = null;
    const submittable = {
      submit(connection: CopyConnection) {
        connection.query(statement);
      },
      handleCopyInResponse(connection: CopyConnection) {
        const data = Buffer.from(text, 'utf8');
        const chunk = 1 << 20;
        for (let at = 0; at < data.length; at += chunk) connection.sendCopyFromChunk(data.subarray(at, Math.min(data.length, at + chunk)));
        connection.endCopyFrom();
      },
      handleCommandComplete() {},
      handleReadyForQuery() {
        if (failed) reject(failed);
        else resolve();
      },
      handleError(error: Error) {
        failed = error;
        reject(error);
      },
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handlePortalSuspended() {},
      handleCopyData() {},
    };
    // With a submittable, query() returns it rather than a promise; the handlers above settle this one.
    void client.query(submittable as unknown as pg.QueryConfig);
  });
}

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

export async function ensureTeams(db: Database, teams: ReadonlyArray<{ id: string; name: string }>): Promise<void> {
  if (teams.length === 0) return;
  await db
    .insertInto('teams')
    .values(teams.map((t) => ({ id: t.id, name: t.name })))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/**
 * Adds the synthetic cases' counts to `waitlist_daily`: the seeded cases come on top of whatever the table already
 * counted for those days.
 */
export async function insertWaitlist(db: Database, rows: readonly WaitlistRow[], chunk = 20_000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    const json = JSON.stringify(rows.slice(i, i + chunk));
    await insertFromJson(
      'waitlist_daily',
      json,
      sql`on conflict (day, gemeente, state) do update set open_cases = waitlist_daily.open_cases + excluded.open_cases,
          overdue_cases = waitlist_daily.overdue_cases + excluded.overdue_cases, taken_at = excluded.taken_at`,
    ).execute(db);
  }
}
