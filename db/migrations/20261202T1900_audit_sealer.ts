import { sql, type Kysely } from 'kysely';
import { APP_ROLE } from './20261123T0100_audit_trail';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * The audit chain without a lock on the write path. A change inserts its row unchained, in its own transaction:
 * `seq` comes from a sequence (unique, ordered by insertion, gaps on rollback) and `row_hash` binds the row's contents.
 * One sealer at a time (an advisory lock) later gives each unsealed row its place in the chain: `chain_seq` (1, 2, 3…,
 * gapless, in sealing order), `prev_hash`, `hash` and `sealed_at`.
 *
 * Append-only stays: the application role may UPDATE only the four seal columns (column grants), and the trigger lets
 * an UPDATE through only when it seals a row that was unsealed, changes nothing else, and fills all four. A sealed
 * row cannot be changed by anyone short of the owner disabling the trigger (which `audit:verify` detects).
 * Rows from before this migration keep their v1 hashes: `chain_seq` = `seq`, `row_hash` null.
 */
export async function up(db: AnyDB): Promise<void> {
  await sql`alter table audit_log add column chain_seq bigint, add column row_hash text, add column sealed_at timestamptz`.execute(db);
  await sql`alter table audit_log alter column prev_hash drop not null, alter column hash drop not null`.execute(db);
  await sql`alter table audit_log add constraint audit_log_chain_seq_key unique (chain_seq)`.execute(db);
  await sql`alter table audit_log add constraint audit_log_chain_seq_positive check (chain_seq > 0)`.execute(db);
  await sql`alter table audit_log add constraint audit_log_row_hash_format check (row_hash ~ '^[0-9a-f]{64}$')`.execute(db);
  await sql`alter table audit_log add constraint audit_log_sealed_whole check ((chain_seq is null) = (hash is null) and (hash is null) = (prev_hash is null))`.execute(db);
  await sql`create index audit_log_unsealed_idx on audit_log (seq) where hash is null`.execute(db);

  await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(db);
  await sql`update audit_log set chain_seq = seq, sealed_at = at`.execute(db);
  await sql`alter table audit_log enable trigger audit_log_no_update_delete`.execute(db);

  await sql`create sequence audit_log_seq_seq owned by audit_log.seq`.execute(db);
  await sql`select setval('audit_log_seq_seq', coalesce((select max(seq) from audit_log), 0) + 1, false)`.execute(db);
  await sql`alter table audit_log alter column seq set default nextval('audit_log_seq_seq')`.execute(db);

  // Same function, same triggers: only a seal (null → value on the four seal columns of an unsealed row) passes.
  await sql`
    create or replace function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.hash is null and new.hash is not null and new.prev_hash is not null
         and new.chain_seq is not null and new.sealed_at is not null
         and (new.seq, new.at, new.actor_id, new.actor_role, new.actor_teams, new.action, new.case_id, new.case_team,
              new.person_id, new.detail, new.break_glass, new.reason, new.row_hash)
             is not distinct from
             (old.seq, old.at, old.actor_id, old.actor_role, old.actor_teams, old.action, old.case_id, old.case_team,
              old.person_id, old.detail, old.break_glass, old.reason, old.row_hash) then
        return new;
      end if;
      raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);

  await sql`
    do $$
    begin
      if exists (select from pg_roles where rolname = ${sql.lit(APP_ROLE)}) then
        execute format('grant update (chain_seq, prev_hash, hash, sealed_at) on audit_log to %I', ${sql.lit(APP_ROLE)});
        execute format('grant usage, select on sequence audit_log_seq_seq to %I', ${sql.lit(APP_ROLE)});
      end if;
    end $$`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await sql`
    do $$
    begin
      if exists (select from pg_roles where rolname = ${sql.lit(APP_ROLE)}) then
        execute format('revoke update (chain_seq, prev_hash, hash, sealed_at) on audit_log from %I', ${sql.lit(APP_ROLE)});
      end if;
    end $$`.execute(db);
  await sql`
    create or replace function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`alter table audit_log alter column seq drop default`.execute(db);
  await sql`drop sequence audit_log_seq_seq`.execute(db);
  await sql`drop index audit_log_unsealed_idx`.execute(db);
  // Unsealed rows cannot be kept by the old schema (hash not null); down refuses rather than dropping them.
  await sql`alter table audit_log alter column prev_hash set not null, alter column hash set not null`.execute(db);
  await sql`alter table audit_log drop constraint audit_log_sealed_whole, drop constraint audit_log_row_hash_format, drop constraint audit_log_chain_seq_positive, drop constraint audit_log_chain_seq_key`.execute(db);
  await sql`alter table audit_log drop column sealed_at, drop column row_hash, drop column chain_seq`.execute(db);
}
