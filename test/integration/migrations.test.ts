import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/database';
import { migrateDown, migrateToLatest } from '../../db/migrator';
import { MIGRATIONS } from '../../db/migrations';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Tables the initial migration creates; later migrations may add more (Kysely's bookkeeping tables are not app tables). */
const CORE_TABLES = ['adviezen', 'case_events', 'cases', 'deadlines', 'gemeenten', 'melders', 'persons', 'teams'];

async function appTables(db: Database): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely\\_%'
    order by table_name`.execute(db);
  return rows.map((r) => r.name);
}

async function appFunctions(db: Database): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select proname as name from pg_proc where pronamespace = 'public'::regnamespace order by proname`.execute(db);
  return rows.map((r) => r.name);
}

/** Everything a migration defines, as text: columns, constraints, indexes, triggers, functions. */
async function schemaSnapshot(db: Database) {
  const columns = await sql<Record<string, unknown>>`
    select table_name, column_name, data_type, udt_name, is_nullable, column_default
    from information_schema.columns where table_schema = 'public' and table_name not like 'kysely\\_%'
    order by table_name, column_name`.execute(db);
  const constraints = await sql<Record<string, unknown>>`
    select conrelid::regclass::text as table_name, conname, pg_get_constraintdef(oid) as def
    from pg_constraint where connamespace = 'public'::regnamespace and conrelid::regclass::text not like 'kysely\\_%'
    order by 1, 2`.execute(db);
  const indexes = await sql<Record<string, unknown>>`
    select tablename, indexname, indexdef from pg_indexes
    where schemaname = 'public' and tablename not like 'kysely\\_%' order by 1, 2`.execute(db);
  const triggers = await sql<Record<string, unknown>>`
    select tgrelid::regclass::text as table_name, tgname, pg_get_triggerdef(oid) as def
    from pg_trigger where not tgisinternal order by 1, 2`.execute(db);
  const functions = await sql<Record<string, unknown>>`
    select proname, pg_get_functiondef(oid) as def from pg_proc where pronamespace = 'public'::regnamespace order by 1`.execute(db);
  return { columns: columns.rows, constraints: constraints.rows, indexes: indexes.rows, triggers: triggers.rows, functions: functions.rows };
}

/** One row in every table, linked the way the engine links them. */
async function seed(db: Database) {
  const caseId = randomUUID();
  const adviesId = randomUUID();
  const eventId = randomUUID();
  const at = new Date('2026-11-20T09:00:00Z');
  await db.insertInto('gemeenten').values({ code: 'GM0193', name: 'Zwolle', region_id: 'ijsselland', is_centrumgemeente: true }).execute();
  await db.insertInto('teams').values({ id: 'team-zwolle', name: null }).execute();
  await db
    .insertInto('adviezen')
    .values({
      id: adviesId,
      team_id: 'team-zwolle',
      gemeente: 'GM0193',
      violence_types: ['partnergeweld'],
      received_at: at,
      registered_at: at,
      registered_by: 'alice',
      caller_professional: false,
      caller_sector: null,
      summary: 'synthetisch advies',
      converted_case_id: null,
    })
    .execute();
  await db
    .insertInto('cases')
    .values({
      id: caseId,
      team_id: 'team-zwolle',
      gemeente: 'GM0193',
      state: 'veiligheidsbeoordeling',
      version: 1,
      machine_version: 1,
      snapshot: JSON.stringify({ machine: 'melding', version: 1, state: 'veiligheidsbeoordeling', context: {} }),
      received_at: at,
      registered_at: at,
      registered_by: 'alice',
      acute_danger: false,
      violence_types: ['kindermishandeling'],
      melder_professional: false,
      melder_sector: null,
      re_report: false,
      safety: null,
      decision_code: null,
      summary: 'synthetische melding',
      next_due_at: null,
      closed_at: null,
      updated_at: at,
      advies_id: adviesId,
    })
    .execute();
  await db.updateTable('adviezen').set({ converted_case_id: caseId }).where('id', '=', adviesId).execute();
  await db.insertInto('melders').values({ case_id: caseId, name: null, contact: null, shielded: false, anonymous: true }).execute();
  await db
    .insertInto('persons')
    .values({ id: randomUUID(), case_id: caseId, ordinal: 1, role: 'kind', name: 'Testkind', birth_date: '2017-06-15', bsn: null, vulnerabilities: [], created_at: at })
    .execute();
  await db
    .insertInto('case_events')
    .values({
      id: eventId,
      case_id: caseId,
      seq: 1,
      type: 'MELDING_REGISTERED',
      actor_id: 'alice',
      actor_role: 'medewerker',
      at,
      from_state: null,
      to_state: 'veiligheidsbeoordeling',
      payload: JSON.stringify({ acuteDanger: false }),
    })
    .execute();
  await db
    .insertInto('deadlines')
    .values({
      id: randomUUID(),
      case_id: caseId,
      kind: 'veiligheidsbeoordeling',
      key: 'beoordeling-1',
      rule: 'test',
      status: 'open',
      opened_at: at,
      due_at: new Date('2026-11-27T22:59:59.999Z'),
      original_due_at: new Date('2026-11-27T22:59:59.999Z'),
      warn_at: new Date('2026-11-26T23:00:00Z'),
      warned_at: null,
      breached_at: null,
      met_at: null,
      cancelled_at: null,
    })
    .execute();
  return { caseId, eventId };
}

describe('migrations', () => {
  const MIGRATION_NAMES = Object.keys(MIGRATIONS);

  describe('down and up again on a fresh database', () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await createTestDatabase(2);
    });
    afterAll(async () => tdb.drop());

    /** The tables of the fully migrated database, as the template gave it. */
    let allTables: string[];

    it('starts fully migrated: every table exists and nothing is pending', async () => {
      allTables = await appTables(tdb.db);
      expect(allTables).toEqual(expect.arrayContaining(CORE_TABLES));
      expect(await migrateToLatest(tdb.db)).toEqual([]);
    });

    it('migrating down removes every table and the append-only function; up again restores the identical schema', async () => {
      const before = await schemaSnapshot(tdb.db);
      expect(before.triggers.map((t) => t.tgname)).toContain('case_events_no_update_delete');

      // Down, one migration at a time, until nothing is left to undo.
      const undone: string[] = [];
      for (let i = 0; i < MIGRATION_NAMES.length; i++) undone.push(...(await migrateDown(tdb.db)));
      expect(undone).toEqual([...MIGRATION_NAMES].reverse());
      expect(await appTables(tdb.db)).toEqual([]);
      expect(await appFunctions(tdb.db)).toEqual([]);
      const { rows: triggers } = await sql`select tgname from pg_trigger where not tgisinternal`.execute(tdb.db);
      expect(triggers).toEqual([]);
      // Nothing more to undo.
      expect(await migrateDown(tdb.db)).toEqual([]);

      expect(await migrateToLatest(tdb.db)).toEqual(MIGRATION_NAMES);
      expect(await appTables(tdb.db)).toEqual(allTables);
      expect(await schemaSnapshot(tdb.db)).toEqual(before);
      expect(await migrateToLatest(tdb.db)).toEqual([]);
    });

    it('the re-created schema works: rows go in, and history is append-only again', async () => {
      const { eventId } = await seed(tdb.db);
      await expect(sql`update case_events set type = 'X' where id = ${eventId}`.execute(tdb.db)).rejects.toThrow(/append-only/);
    });

    it('migrating down also works with rows in every table, and up again gives empty tables', async () => {
      const counts = await sql<{ n: number }>`select count(*)::int as n from case_events`.execute(tdb.db);
      expect(counts.rows[0]!.n).toBeGreaterThan(0);
      for (let i = 0; i < MIGRATION_NAMES.length; i++) await migrateDown(tdb.db);
      expect(await appTables(tdb.db)).toEqual([]);
      await migrateToLatest(tdb.db);
      expect(await appTables(tdb.db)).toEqual(allTables);
      for (const table of allTables) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(tdb.db);
        expect({ table, n: rows[0]!.n }).toEqual({ table, n: 0 });
      }
    });
  });

  describe('case_events is append-only', () => {
    let tdb: TestDatabase;
    let caseId: string;
    let eventId: string;
    beforeAll(async () => {
      tdb = await createTestDatabase(2);
      ({ caseId, eventId } = await seed(tdb.db));
    });
    afterAll(async () => tdb.drop());

    const eventRow = () => tdb.db.selectFrom('case_events').selectAll().where('id', '=', eventId).executeTakeFirstOrThrow();

    it('a new event can be appended', async () => {
      await tdb.db
        .insertInto('case_events')
        .values({
          id: randomUUID(),
          case_id: caseId,
          seq: 2,
          type: 'NOTE_ADDED',
          actor_id: 'alice',
          actor_role: 'medewerker',
          at: new Date('2026-11-21T09:00:00Z'),
          from_state: 'veiligheidsbeoordeling',
          to_state: 'veiligheidsbeoordeling',
          payload: JSON.stringify({ text: 'notitie' }),
        })
        .execute();
      const rows = await tdb.db.selectFrom('case_events').select('seq').where('case_id', '=', caseId).orderBy('seq').execute();
      expect(rows.map((r) => r.seq)).toEqual([1, 2]);
    });

    it('an UPDATE of a history row raises an error and changes nothing', async () => {
      const before = await eventRow();
      await expect(tdb.db.updateTable('case_events').set({ actor_id: 'mallory' }).where('id', '=', eventId).execute()).rejects.toThrow(/append-only \(UPDATE refused\)/);
      await expect(sql`update case_events set payload = '{}'::jsonb`.execute(tdb.db)).rejects.toThrow(/append-only/);
      expect(await eventRow()).toEqual(before);
    });

    it('a DELETE of a history row raises an error and the row stays', async () => {
      await expect(tdb.db.deleteFrom('case_events').where('id', '=', eventId).execute()).rejects.toThrow(/append-only \(DELETE refused\)/);
      await expect(sql`delete from case_events`.execute(tdb.db)).rejects.toThrow(/append-only/);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from case_events where case_id = ${caseId}`.execute(tdb.db);
      expect(rows[0]!.n).toBe(2);
    });

    it('the refusal also holds inside a transaction, which is then rolled back', async () => {
      const before = await eventRow();
      await expect(
        tdb.db.transaction().execute(async (trx) => {
          await trx.updateTable('cases').set({ version: 99 }).where('id', '=', caseId).execute();
          await trx.updateTable('case_events').set({ seq: 99 }).where('id', '=', eventId).execute();
        }),
      ).rejects.toThrow(/append-only/);
      expect(await eventRow()).toEqual(before);
      const row = await tdb.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
      expect(row.version).toBe(1);
    });

    it('a case with history cannot be deleted (its events reference it)', async () => {
      await expect(tdb.db.deleteFrom('cases').where('id', '=', caseId).execute()).rejects.toThrow(/foreign key/);
    });

    it('the same seq cannot be appended twice for one case', async () => {
      const duplicate = tdb.db
        .insertInto('case_events')
        .values({
          id: randomUUID(),
          case_id: caseId,
          seq: 1,
          type: 'NOTE_ADDED',
          actor_id: 'alice',
          actor_role: 'medewerker',
          at: new Date(),
          from_state: null,
          to_state: 'veiligheidsbeoordeling',
          payload: JSON.stringify({}),
        })
        .execute();
      await expect(duplicate).rejects.toThrow(/case_events_case_seq_key/);
    });
  });
});
