import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * A shielded melder's identity, kept apart from the case and encrypted at rest (AES-256-GCM, the case id as
 * associated data so a ciphertext cannot be moved to another case). `key_id` names the key, so keys can rotate:
 * rows under an old key stay readable while that key is configured, and `npm run melder:rekey` moves them on.
 * Destroying the melder row (retention) destroys the identity with it.
 */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('melder_identities')
    .addColumn('case_id', 'uuid', (c) => c.primaryKey().references('melders.case_id').onDelete('cascade'))
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('iv', 'bytea', (c) => c.notNull().check(sql`length(iv) = 12`))
    .addColumn('ciphertext', 'bytea', (c) => c.notNull())
    .addColumn('auth_tag', 'bytea', (c) => c.notNull().check(sql`length(auth_tag) = 16`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('rekeyed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('melder_identities_key_idx').on('melder_identities').column('key_id').execute();
}

export async function down(db: AnyDB): Promise<void> {
  await db.schema.dropTable('melder_identities').execute();
}
