/**
 * Embedded PostgreSQL (PGlite, WASM) behind the pool interface Kysely's `PostgresDialect` expects,
 * so the embedded default runs the exact same dialect/driver code path as production's `pg.Pool`.
 *
 * Parity with production is by construction, not by a parallel table of rules:
 * - result values are parsed by node-postgres' own type parsers (`pg.types`), after
 *   `configurePgTypeParsers()` has set the project-wide overrides (int8/numeric -> number, date -> string);
 * - parameters are converted by node-postgres' own `prepareValue` (Dates in local time with offset,
 *   JS arrays as Postgres array literals, objects as JSON), exactly what `pg` would send.
 *
 * PGlite is a single connection. The pool therefore hands out one client at a time (FIFO); a client
 * released while a transaction is still open is rolled back before the next waiter gets it.
 * PGlite runs in this process's thread: it suits the embedded default and tests, not heavy load.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, types as pgliteTypes, type Results } from '@electric-sql/pglite';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import pg from 'pg';

type TextParser = (value: string) => unknown;

/** `pg.types` with OIDs as plain numbers (its typings only admit the scalar built-ins, not e.g. array OIDs). */
const pgTypes = pg.types as unknown as {
  getTypeParser(oid: number): TextParser;
  setTypeParser(oid: number, parser: TextParser): void;
};

const OID = {
  INT8: 20,
  NUMERIC: 1700,
  DATE: 1082,
  INT8_ARRAY: 1016,
  NUMERIC_ARRAY: 1231,
  DATE_ARRAY: 1182,
  TEXT_ARRAY: 1009,
} as const;

/** Built-in type OIDs are below this; user-defined types (enums, domains, ...) get OIDs from here on. */
const FIRST_NORMAL_OBJECT_ID = 16384;

/**
 * Project-wide node-postgres type parsing. Call once at startup before creating a `pg.Pool`
 * (idempotent; `createPglitePool` calls it too, so both backends always agree):
 * - int8 (20) and numeric (1700) -> JS number. Values beyond Number.MAX_SAFE_INTEGER (int8) or
 *   beyond double precision (numeric) lose precision; the schema is expected not to need them.
 * - date (1082) -> the 'YYYY-MM-DD' string as sent by Postgres (no timezone shift via Date).
 * - the matching arrays (int8[], numeric[], date[]) likewise, so elements parse like scalars.
 * timestamp/timestamptz -> Date and json/jsonb -> parsed value are node-postgres' defaults.
 */
export function configurePgTypeParsers(): void {
  const numberArray = pgTypes.getTypeParser(OID.NUMERIC_ARRAY); // pg's parseFloatArray: elements -> number
  const stringArray = pgTypes.getTypeParser(OID.TEXT_ARRAY); // pg's parseStringArray: elements kept as text
  pgTypes.setTypeParser(OID.INT8, Number);
  pgTypes.setTypeParser(OID.NUMERIC, Number);
  pgTypes.setTypeParser(OID.DATE, (value: string) => value);
  pgTypes.setTypeParser(OID.INT8_ARRAY, numberArray);
  pgTypes.setTypeParser(OID.NUMERIC_ARRAY, numberArray);
  pgTypes.setTypeParser(OID.DATE_ARRAY, stringArray);
}

/** node-postgres' parameter conversion. Not in its typings, but a public path ("./lib/*" in pg's exports map). */
const prepareValue = ((): ((value: unknown) => unknown) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pgUtils = require('pg/lib/utils') as { prepareValue?: unknown };
  const fn = pgUtils.prepareValue;
  if (typeof fn !== 'function') {
    throw new Error('pg/lib/utils no longer exports prepareValue; db/pglite-pool.ts needs updating for this pg version');
  }
  return fn as (value: unknown) => unknown;
})();

/**
 * PGlite serializes each parameter by its described type. After `prepareValue` every value is a string,
 * a Buffer or null, and a string must go to Postgres verbatim (as with `pg`); PGlite's own serializers
 * would otherwise e.g. reject strings for bytea. Buffers still reach PGlite's bytea serializer.
 */
function passStringsThrough(serializers: Record<number | string, (value: unknown) => string>) {
  const wrapped: Record<number | string, (value: unknown) => string> = {};
  for (const [key, serialize] of Object.entries(serializers)) {
    wrapped[key] = (value: unknown) => (typeof value === 'string' ? value : serialize(value));
  }
  return wrapped;
}

/**
 * A parser table for PGlite that delegates to node-postgres for every OID either side knows about
 * (looked up per value, so later `pg.types.setTypeParser` calls for these OIDs apply to both).
 * OIDs that pg does not parse come back as strings, as they do from `pg`.
 */
function pgParserTable(pgliteKnownOids: Iterable<string>): Record<number, TextParser> {
  const oids = new Set<number>();
  for (const key of pgliteKnownOids) {
    if (/^\d+$/.test(key)) oids.add(Number(key));
  }
  const unparsed = pgTypes.getTypeParser(0); // OID 0 is never a type: this is pg's "no parser" fallback
  for (let oid = 1; oid < FIRST_NORMAL_OBJECT_ID; oid++) {
    if (pgTypes.getTypeParser(oid) !== unparsed) oids.add(oid);
  }
  const table: Record<number, TextParser> = {};
  for (const oid of oids) {
    table[oid] = (value: string) => pgTypes.getTypeParser(oid)(value);
  }
  return table;
}

export interface PglitePoolClient extends PostgresPoolClient {
  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  /** Cursors (Kysely's `stream()`) are not supported by the embedded database. */
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  release(): void;
}

export interface PglitePool extends PostgresPool {
  connect(): Promise<PglitePoolClient>;
  end(): Promise<void>;
}

/** FIFO mutex: `acquire` resolves when it is the caller's turn; `release` passes the turn on. */
class FifoLock {
  #held = false;
  readonly #waiters: Array<() => void> = [];

  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#held = false;
  }
}

/** The one connection. A single client object, like a physical `pg` client reused by `pg.Pool`. */
class PgliteClient implements PglitePoolClient {
  #leased = false;

  constructor(
    private readonly db: PGlite,
    private readonly lock: FifoLock,
  ) {}

  lease(): this {
    this.#leased = true;
    return this;
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') {
      throw new Error('The embedded PGlite database does not support cursors/streaming (Kysely stream()); use execute().');
    }
    return this.#run<R>(sqlOrCursor, parameters ?? []);
  }

  async #run<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    if (!this.#leased) {
      throw new Error('PGlite client used after release() (or before connect()); acquire a new one from the pool.');
    }
    const result: Results<R> = await this.db.query<R>(sql, parameters.map((value) => prepareValue(value)));
    return {
      // PGlite reports the command tag's first word, as pg does ('SELECT', 'INSERT', ... also 'CREATE',
      // 'BEGIN'); Kysely's type lists only the ones it inspects. `WITH ... UPDATE` is tagged 'UPDATE'.
      command: (result.command ?? '') as PostgresQueryResult<R>['command'],
      // The command tag's row count (rows affected by DML, rows returned by SELECT), like pg's rowCount.
      rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length,
      rows: result.rows,
    };
  }

  release(): void {
    if (!this.#leased) {
      throw new Error('Release called on a PGlite client which has already been released to the pool.');
    }
    this.#leased = false;
    let inTransaction: boolean;
    try {
      inTransaction = this.db.isInTransaction();
    } catch {
      inTransaction = false; // database already closed
    }
    if (!inTransaction) {
      this.lock.release();
      return;
    }
    // Released with a transaction still open (or aborted): never hand that to the next caller.
    this.db
      .exec('ROLLBACK')
      .catch((error: unknown) => console.error('pglite-pool: ROLLBACK of a transaction left open on release failed', error))
      .finally(() => this.lock.release());
  }
}

class PglitePoolImpl implements PglitePool {
  readonly #lock = new FifoLock();
  readonly #client: PgliteClient;
  #ending: Promise<void> | undefined;

  constructor(
    private readonly db: PGlite,
    private readonly unlockDataDir: () => Promise<void>,
  ) {
    this.#client = new PgliteClient(db, this.#lock);
  }

  async connect(): Promise<PglitePoolClient> {
    if (this.#ending) throw new Error('Cannot use a PGlite pool after calling end() on it.');
    await this.#lock.acquire();
    return this.#client.lease();
  }

  /** Lets clients already handed out or queued finish, then closes PGlite. Idempotent. */
  end(): Promise<void> {
    this.#ending ??= this.#lock
      .acquire()
      .then(() => this.db.close())
      .finally(() => this.unlockDataDir());
    return this.#ending;
  }
}

const LOCK_FILE = '.pglite-pool.lock';
const lockedInThisProcess = new Set<string>();

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite does not stop two processes (say `--role api` and `--role worker`) from opening the same
 * directory, which corrupts it. A pid lock file refuses the second opener; a lock left by a process
 * that has died (or by an earlier run with our own pid, e.g. pid 1 in a container) is taken over.
 */
async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  if (lockedInThisProcess.has(dir)) {
    throw new Error(`The PGlite database in ${dir} is already open in this process; end() its pool first.`);
  }
  const lockPath = path.join(dir, LOCK_FILE);
  for (let attempt = 1; ; attempt++) {
    try {
      await writeFile(lockPath, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (attempt > 1 || (holder > 0 && holder !== process.pid && isProcessAlive(holder))) {
        throw new Error(
          `The PGlite database in ${dir} is in use by process ${Number.isNaN(holder) ? '?' : holder} ` +
            `(${lockPath}). Run one process on it, or set DATABASE_URL. Delete the lock file only if that process is gone.`,
        );
      }
      await rm(lockPath, { force: true }); // stale
    }
  }
  lockedInThisProcess.add(dir);
  return async () => {
    lockedInThisProcess.delete(dir);
    await rm(lockPath, { force: true });
  };
}

/**
 * Opens (creating if needed) the embedded database in `dataDir` — a directory such as './.data/pglite'
 * (created with mkdir -p, and locked against a second process) or a PGlite URL such as 'memory://' —
 * and returns a Kysely-compatible pool: `new PostgresDialect({ pool: await createPglitePool(dir) })`.
 * Starting takes a few seconds when the directory is new (initdb; always so for 'memory://'), well
 * under a second when it already holds a database.
 */
export async function createPglitePool(dataDir: string): Promise<PglitePool> {
  configurePgTypeParsers();
  let location = dataDir;
  let unlock = async (): Promise<void> => {};
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(dataDir)) {
    location = path.resolve(dataDir);
    await mkdir(location, { recursive: true });
    unlock = await lockDataDir(location);
  }
  let db: PGlite;
  try {
    db = await PGlite.create(location, {
      serializers: passStringsThrough(pgliteTypes.serializers),
    });
  } catch (error) {
    await unlock();
    throw error;
  }
  // After startup, since PGlite (re)builds its array parsers while starting; these replace them too.
  Object.assign(db.parsers, pgParserTable(Object.keys(db.parsers)));
  return new PglitePoolImpl(db, unlock);
}
