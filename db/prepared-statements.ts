import type { PostgresCursor, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type { PoolClient } from 'pg';

/**
 * Statements sent as named prepared statements: PostgreSQL parses and plans each once per connection instead of on
 * every execution. Only for the few hot statements whose text is fixed (a transition's lock and change statement):
 * parsing and planning the change statement was about half of PostgreSQL's CPU per transition (issue 19).
 *
 * A prepared statement names its result columns (no `*`): PostgreSQL re-plans a prepared statement when the schema
 * changes under it, but refuses to run one whose result columns changed (a migration adding a column while the
 * process runs would otherwise break it until the connection is replaced).
 */
const names = new Map<string, string>();
/** Texts are few (one per statement shape); past this many, further texts are simply not prepared. */
const MAX_PREPARED = 200;

/** Registers `text` to be sent as a named prepared statement; returns it unchanged. */
export function prepared(text: string): string {
  if (!names.has(text) && names.size < MAX_PREPARED) names.set(text, `vt_prepared_${names.size + 1}`);
  return text;
}

/** The pool client Kysely queries through: a registered text goes by its name (parsed once on this connection). */
export class PreparingClient implements PostgresPoolClient {
  /** A query on this connection failed in a way that ends the connection: the pool must not hand it out again. */
  private lost: Error | undefined;

  constructor(
    private readonly client: PoolClient,
    /** Told when a lost connection is destroyed here: pg then emits no 'error' of its own for it (the outage log needs one). */
    private readonly onLost?: (error: Error) => void,
  ) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') return (this.client as unknown as PostgresPoolClient).query(sqlOrCursor);
    const name = names.get(sqlOrCursor);
    const values = parameters ? [...parameters] : [];
    const result = name ? this.client.query({ name, text: sqlOrCursor, values }) : this.client.query(sqlOrCursor, values);
    return result.catch((error: unknown) => {
      if (endsConnection(error)) this.lost = error instanceof Error ? error : new Error(String(error));
      throw error;
    }) as unknown as Promise<PostgresQueryResult<R>>;
  }

  /**
   * Back to the pool, or destroyed if the connection was lost. A statement outside a transaction that fails this way
   * (its backend terminated) would otherwise go back to the pool before pg has seen the socket close, and the next
   * request would get the dead connection; inside a transaction Kysely's ROLLBACK happened to give pg that time.
   */
  release(): void {
    if (this.lost) this.onLost?.(this.lost);
    this.client.release(this.lost);
  }
}

/** SQLSTATE class 08 (connection exception) and 57P01–57P03 (the backend shut down or terminated), or no SQLSTATE at all (the socket failed). */
function endsConnection(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error).code) : undefined;
  if (code === undefined) return true;
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03';
}
