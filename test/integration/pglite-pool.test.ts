import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect, sql, type Generated, type PostgresCursor } from 'kysely';
import pg from 'pg';
import { configurePgTypeParsers, createPglitePool, type PglitePool } from '../../db/pglite-pool';
import { TEST_DATABASE_URL } from '../support/test-env';

jest.setTimeout(120_000);

interface Database {
  counter: { id: number; value: number };
  item: { id: Generated<number>; name: string };
  typed: {
    id: number;
    big: number;
    amount: number;
    at: Date;
    local_at: Date;
    day: string;
    doc: unknown;
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Runs `fn` with process.env.TZ set (Node applies TZ changes at runtime). */
async function withTimeZone<T>(tz: string, fn: () => Promise<T>): Promise<T> {
  const previous = process.env.TZ;
  process.env.TZ = tz;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  }
}

describe('createPglitePool (memory://) behind Kysely PostgresDialect', () => {
  let pool: PglitePool;
  let db: Kysely<Database>;

  beforeAll(async () => {
    const started = performance.now();
    pool = await createPglitePool('memory://');
    console.log(`createPglitePool('memory://') started in ${Math.round(performance.now() - started)} ms`);
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await db.schema
      .createTable('counter')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('value', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('item')
      .addColumn('id', 'serial', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .execute();
    await db.schema
      .createTable('typed')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('big', 'bigint')
      .addColumn('amount', 'numeric(12, 2)')
      .addColumn('at', 'timestamptz')
      .addColumn('local_at', 'timestamp')
      .addColumn('day', 'date')
      .addColumn('doc', 'jsonb')
      .execute();
  });

  afterAll(async () => {
    await db?.destroy();
  });

  test('creates, inserts and selects', async () => {
    const inserted = await db.insertInto('item').values([{ name: 'a' }, { name: 'b' }]).returning(['id', 'name']).execute();
    expect(inserted.map((r) => r.name)).toEqual(['a', 'b']);
    expect(typeof inserted[0]!.id).toBe('number');

    const rows = await db.selectFrom('item').select('name').where('name', 'in', ['a', 'b']).orderBy('name').execute();
    expect(rows).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  test('reports affected rows (rowCount/command mapping)', async () => {
    await db.insertInto('item').values([{ name: 'u1' }, { name: 'u2' }, { name: 'u3' }]).execute();

    const updated = await db.updateTable('item').set({ name: sql`name || '!'` }).where('name', 'in', ['u1', 'u2']).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(2n);

    const none = await db.updateTable('item').set({ name: 'x' }).where('name', '=', 'nope').executeTakeFirst();
    expect(none.numUpdatedRows).toBe(0n);

    const inserted = await db.insertInto('item').values([{ name: 'u4' }, { name: 'u5' }]).executeTakeFirst();
    expect(inserted.numInsertedOrUpdatedRows).toBe(2n);

    // Leading comment and WITH ... UPDATE: the command comes from Postgres' command tag, not from the SQL text.
    const withUpdate = await sql`/* note */ with t as (select 'u3' as n) update item set name = 'u3!' where name in (select n from t)`.execute(db);
    expect(withUpdate.numAffectedRows).toBe(1n);

    const deleted = await db.deleteFrom('item').where('name', 'like', 'u%').executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(5n);
  });

  test('20 concurrent SELECT ... FOR UPDATE transactions serialize without lost updates', async () => {
    await db.insertInto('counter').values({ id: 1, value: 0 }).execute();
    let active = 0;
    let maxActive = 0;

    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction().execute(async (trx) => {
          active++;
          maxActive = Math.max(maxActive, active);
          const { value } = await trx
            .selectFrom('counter')
            .select('value')
            .where('id', '=', 1)
            .forUpdate()
            .executeTakeFirstOrThrow();
          await tick(); // give every other request the chance to interleave
          await trx.updateTable('counter').set({ value: value + 1 }).where('id', '=', 1).execute();
          active--;
        }),
      ),
    );

    const { value } = await db.selectFrom('counter').select('value').where('id', '=', 1).executeTakeFirstOrThrow();
    expect(value).toBe(20);
    expect(maxActive).toBe(1); // one transaction holds the single connection at a time
  });

  test('a transaction that throws is rolled back and the next one works', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('item').values({ name: 'rolled-back' }).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('item').values({ name: 'dup' }).execute();
        await trx.insertInto('item').values({ name: 'dup' }).execute(); // unique violation aborts the transaction
      }),
    ).rejects.toThrow(/duplicate key/);

    await db.transaction().execute(async (trx) => {
      await trx.insertInto('item').values({ name: 'after' }).execute();
    });

    const names = await db.selectFrom('item').select('name').where('name', 'in', ['rolled-back', 'dup', 'after']).execute();
    expect(names).toEqual([{ name: 'after' }]);
  });

  test('a client released inside an open transaction is rolled back before the next caller gets it', async () => {
    const first = await pool.connect();
    await first.query('begin', []);
    await first.query("insert into item (name) values ('leaked')", []);

    let handedOn = false;
    const next = pool.connect().then((client) => {
      handedOn = true;
      return client;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handedOn).toBe(false); // single connection: the second caller waits

    first.release();
    const second = await next;
    expect((await second.query<{ n: number }>("select count(*)::int as n from item where name = 'leaked'", [])).rows).toEqual([{ n: 0 }]);

    // Not inside a leftover transaction: this autocommits and survives release().
    await second.query("insert into item (name) values ('autocommitted')", []);
    second.release();
    expect(await db.selectFrom('item').select('name').where('name', '=', 'autocommitted').execute()).toHaveLength(1);
  });

  test('hands the connection to waiters in FIFO order and guards misuse', async () => {
    const holder = await pool.connect();
    const order: string[] = [];
    const waiters = ['a', 'b', 'c'].map((name) =>
      pool.connect().then(async (client) => {
        order.push(name);
        await tick();
        client.release();
      }),
    );
    await tick();
    expect(order).toEqual([]);
    holder.release();
    await Promise.all(waiters);
    expect(order).toEqual(['a', 'b', 'c']);

    expect(() => holder.release()).toThrow(/already been released/);
    await expect(holder.query('select 1', [])).rejects.toThrow(/after release/);

    const client = await pool.connect();
    try {
      expect(() => client.query({} as PostgresCursor<unknown>)).toThrow(/does not support cursors/);
    } finally {
      client.release();
    }
  });

  test('parses types like the production pg setup', async () => {
    await db
      .insertInto('typed')
      .values({
        id: 1,
        big: 9_007_199_254_740_991,
        amount: 1234.5,
        at: new Date('2024-03-31T00:30:00.000Z'),
        local_at: new Date(2024, 2, 31, 12, 0, 0),
        day: '2024-02-29',
        doc: JSON.stringify({ melding: { id: 'M-1', tags: ['a'] }, n: 1 }),
      })
      .execute();

    const row = await db.selectFrom('typed').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    expect(row.big).toBe(9_007_199_254_740_991);
    expect(row.amount).toBe(1234.5);
    expect(row.at).toBeInstanceOf(Date);
    expect(row.at.toISOString()).toBe('2024-03-31T00:30:00.000Z');
    expect(row.local_at).toEqual(new Date(2024, 2, 31, 12, 0, 0));
    expect(row.day).toBe('2024-02-29');
    expect(row.doc).toEqual({ melding: { id: 'M-1', tags: ['a'] }, n: 1 });

    const { rows } = await sql<Record<string, unknown>>`
      select 42::int8 as i8, 1.25::numeric as num, array[1, 2]::int8[] as i8s, array['2024-01-01']::date[] as days,
             '{"a": 1}'::json as j, null::int8 as nothing, count(*) as n from (values (1), (2)) v(x)`.execute(db);
    expect(rows[0]).toEqual({ i8: 42, num: 1.25, i8s: [1, 2], days: ['2024-01-01'], j: { a: 1 }, nothing: null, n: 2 });
  });

  test('converts parameters like pg: a local-midnight Date stays on its calendar day', async () => {
    await withTimeZone('Europe/Amsterdam', async () => {
      const midnight = new Date(2024, 0, 1); // 2023-12-31T23:00:00Z
      const { rows } = await sql<{ day: string; ts: Date; ids: number[] }>`
        select ${midnight}::date as day, ${midnight}::timestamptz as ts, ${[1, 2, 3]}::int8[] as ids`.execute(db);
      expect(rows[0]).toEqual({ day: '2024-01-01', ts: midnight, ids: [1, 2, 3] });
    });
  });
});

describe('createPglitePool on a directory', () => {
  let tmp: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pglite-pool-'));
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test('creates the directory, locks it, persists data across close and reopen', async () => {
    const dir = path.join(tmp, 'nested', 'pglite'); // mkdir -p

    let started = performance.now();
    const first = new Kysely<Database>({ dialect: new PostgresDialect({ pool: await createPglitePool(dir) }) });
    console.log(`createPglitePool(<new dir>) started in ${Math.round(performance.now() - started)} ms`);
    await expect(createPglitePool(dir)).rejects.toThrow(/already open/);

    await first.schema.createTable('item').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('name', 'text').execute();
    await first.insertInto('item').values({ name: 'kept' }).execute();
    await first.destroy();

    started = performance.now();
    const reopened = new Kysely<Database>({ dialect: new PostgresDialect({ pool: await createPglitePool(dir) }) });
    console.log(`createPglitePool(<existing dir>) started in ${Math.round(performance.now() - started)} ms`);
    try {
      expect(await reopened.selectFrom('item').select('name').execute()).toEqual([{ name: 'kept' }]);
    } finally {
      await reopened.destroy();
    }
  });

  test('end() waits for the leased client, then the pool refuses new work', async () => {
    const pool = await createPglitePool(path.join(tmp, 'ending'));
    const client = await pool.connect();
    let ended = false;
    const ending = pool.end().then(() => {
      ended = true;
    });
    await expect(pool.connect()).rejects.toThrow(/after calling end/);
    await client.query('select 1', []);
    expect(ended).toBe(false);
    client.release();
    await ending;
    expect(ended).toBe(true);
  });
});

// The integration tier runs against a real PostgreSQL: the embedded database must answer exactly like it.
describe('parity with node-postgres on a real server', () => {
  test('the same queries return the same values', async () => {
    configurePgTypeParsers();
    const real = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 }) }),
    });
    const embedded = new Kysely<Database>({ dialect: new PostgresDialect({ pool: await createPglitePool('memory://') }) });
    try {
      await withTimeZone('Europe/Amsterdam', async () => {
        const midnight = new Date(2024, 0, 1);
        const query = sql<Record<string, unknown>>`
          select 9007199254740991::int8 as i8, 12.5::numeric as num, '2024-02-29'::date as d,
                 '2024-01-01 12:00:00+00'::timestamptz as tstz, '2024-01-01 12:00:00'::timestamp as ts,
                 '{"a": [1, {"b": null}]}'::jsonb as jb, '{"x": 1}'::json as j, array[1, 2]::int8[] as i8a,
                 array[1.5]::numeric[] as na, array['2024-01-01']::date[] as da,
                 array['2024-01-01 00:00:00+00']::timestamptz[] as tsa, '1 day 02:00'::interval as iv,
                 '\\x6869'::bytea as bytes, true as b, 1.5::float8 as f8, 7::int2 as i2, null::int8 as nothing,
                 array['x', 'y'] as texts, '00000000-0000-0000-0000-000000000001'::uuid as id,
                 ${midnight}::date as p_day, ${midnight}::timestamp as p_ts, ${midnight}::timestamptz as p_tstz,
                 ${[1, 2]}::int8[] as p_ints, ${JSON.stringify({ k: 'v' })}::jsonb as p_json, ${'tekst'}::text as p_text,
                 ${true}::boolean as p_bool, ${Buffer.from('hi')}::bytea as p_bytes, ${42}::int8 as p_int8`;
        const [fromReal, fromEmbedded] = await Promise.all([query.execute(real), query.execute(embedded)]);
        expect(fromEmbedded.rows).toEqual(fromReal.rows);
      });
    } finally {
      await Promise.all([real.destroy(), embedded.destroy()]);
    }
  });
});
