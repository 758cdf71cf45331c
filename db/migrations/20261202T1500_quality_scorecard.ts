import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * What managers record about the Inspectie's expectations: the status of an organisational expectation with its
 * evidence, and norms that replace the catalogue's defaults. Append-only rows: the latest of each kind wins, the rest
 * is the history (and lets the quarterly trend read each quarter as it stood then).
 */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('quality_expectation_records')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('expectation_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('status', 'norm')`))
    .addColumn('figure', 'text')
    .addColumn('status', 'text', (c) => c.check(sql`status in ('met', 'not_met')`))
    .addColumn('norm', 'double precision', (c) => c.check(sql`norm >= 0 and norm <= 1`))
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_role', 'text', (c) => c.notNull())
    .addColumn('set_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint(
      'quality_expectation_records_shape',
      sql`(kind = 'status' and status is not null and figure is null and norm is null) or (kind = 'norm' and norm is not null and figure is not null and status is null)`,
    )
    .execute();
  await sql`create index quality_expectation_records_idx on quality_expectation_records (expectation_id, kind, set_at)`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await db.schema.dropTable('quality_expectation_records').execute();
}
