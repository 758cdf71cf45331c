import { sql, type Kysely } from 'kysely';
import { APP_ROLE } from './20261123T0100_audit_trail';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * The audit chain no longer serialises the write path (issue 19). A change or read inserts its audit row unchained
 * (seq from a sequence, `row_hash` over its contents) and queues it in `audit_pending`, in its own transaction and
 * without any lock; one sealer (src/audit/audit-sealer.ts) takes queued rows in batches and appends their links to
 * `audit_seal`: position, the row's seq, the previous link's hash and the link's hash over both and the row's hash.
 *
 * Rows written before this migration keep their own chain in `audit_log.prev_hash/hash` (positions 1..n, which are
 * their seqs); the first link continues from that chain's head. `audit_log` and `audit_seal` are append-only for
 * everyone short of a superuser (triggers) and insert/select only for the application role; `audit_pending` is the
 * sealer's queue (insert, select, delete), and a row that is neither sealed nor queued is reported by `audit:verify`.
 */
export async function up(db: AnyDB): Promise<void> {
  await sql`alter table audit_log alter column prev_hash drop not null, alter column hash drop not null`.execute(db);
  await sql`alter table audit_log add column row_hash text check (row_hash ~ '^[0-9a-f]{64}$')`.execute(db);
  await sql`alter table audit_log add constraint audit_log_chained_or_row_hashed check (hash is not null or row_hash is not null)`.execute(db);
  await sql`create sequence audit_log_seq_seq owned by audit_log.seq`.execute(db);
  await sql`select setval('audit_log_seq_seq', coalesce((select max(seq) from audit_log), 0) + 1, false)`.execute(db);
  await sql`alter table audit_log alter column seq set default nextval('audit_log_seq_seq')`.execute(db);

  await db.schema
    .createTable('audit_seal')
    .addColumn('chain_seq', 'bigint', (c) => c.primaryKey().check(sql`chain_seq > 0`))
    .addColumn('audit_seq', 'bigint', (c) => c.notNull().unique())
    .addColumn('prev_hash', 'text', (c) => c.notNull().check(sql`prev_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('hash', 'text', (c) => c.notNull().unique().check(sql`hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('sealed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`comment on table audit_seal is 'append-only hash chain over audit_log rows, in the order the sealer took them'`.execute(db);
  await db.schema
    .createTable('audit_pending')
    .addColumn('audit_seq', 'bigint', (c) => c.primaryKey())
    .addColumn('queued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`comment on table audit_pending is 'audit_log rows not yet sealed into audit_seal (the sealer queue)'`.execute(db);

  await sql`
    create function audit_seal_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_seal is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger audit_seal_no_update_delete before update or delete on audit_seal for each row execute function audit_seal_append_only()`.execute(db);
  await sql`create trigger audit_seal_no_truncate before truncate on audit_seal for each statement execute function audit_seal_append_only()`.execute(db);

  await sql`
    do $$
    begin
      if exists (select from pg_roles where rolname = ${sql.lit(APP_ROLE)}) then
        execute format('grant select, insert on audit_seal to %I', ${sql.lit(APP_ROLE)});
        execute format('revoke update, delete, truncate, references, trigger on audit_seal from %I', ${sql.lit(APP_ROLE)});
        execute format('grant select, insert, delete on audit_pending to %I', ${sql.lit(APP_ROLE)});
        execute format('revoke update, truncate, references, trigger on audit_pending from %I', ${sql.lit(APP_ROLE)});
        execute format('grant usage, select on sequence audit_log_seq_seq to %I', ${sql.lit(APP_ROLE)});
      end if;
    end $$`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await db.schema.dropTable('audit_pending').execute();
  await sql`alter table audit_seal disable trigger user`.execute(db);
  await db.schema.dropTable('audit_seal').execute();
  await sql`drop function audit_seal_append_only()`.execute(db);
  await sql`alter table audit_log alter column seq drop default`.execute(db);
  await sql`drop sequence audit_log_seq_seq`.execute(db);
  await sql`alter table audit_log drop constraint audit_log_chained_or_row_hashed, drop column row_hash`.execute(db);
}
