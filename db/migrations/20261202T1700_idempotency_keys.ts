import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * Idempotency keys of POST and PUT requests (the `Idempotency-Key` header): one row per subject and key, claimed by
 * the first request (the primary key decides between concurrent ones), holding its response once it is answered.
 * The response can hold case data: rows are purged by the nightly `idempotency-purge` job after 24 hours.
 */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('completed_at', 'timestamptz')
    .addColumn('status_code', 'integer')
    .addColumn('response_headers', 'jsonb')
    .addColumn('response_body', 'text')
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['subject', 'key'])
    .addCheckConstraint('idempotency_keys_completed_check', sql`(completed_at is null) = (status_code is null)`)
    .execute();
  await sql`create index idempotency_keys_created_idx on idempotency_keys (created_at)`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}
