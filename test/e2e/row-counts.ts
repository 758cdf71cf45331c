import { sql } from 'kysely';
import type { Database } from '../../db/database';

/** Every table a request could write to; a rejected request must leave all of them as they were. */
export const WRITABLE_TABLES = ['cases', 'persons', 'melders', 'case_events', 'deadlines', 'adviezen', 'teams'] as const;

/**
 * Row counts of every writable table, plus two sums that move on updates without inserts (a case version bump,
 * an advies marked converted), read in one statement so they are one consistent picture.
 */
export type RowCounts = Record<(typeof WRITABLE_TABLES)[number] | 'case_version_sum' | 'converted_adviezen', number>;

export async function rowCounts(db: Database): Promise<RowCounts> {
  const counts = WRITABLE_TABLES.map((table) => sql`(select count(*)::int from ${sql.table(table)}) as ${sql.ref(table)}`);
  const { rows } = await sql<RowCounts>`
    select ${sql.join(counts)},
      (select coalesce(sum(version), 0)::int from cases) as case_version_sum,
      (select count(*)::int from adviezen where converted_case_id is not null) as converted_adviezen`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('row count query returned nothing');
  return row;
}

/** Runs `fn` and asserts that no table gained or lost a row (and no case changed version); returns what `fn` returned. */
export async function expectNothingWritten<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  const before = await rowCounts(db);
  const result = await fn();
  expect(await rowCounts(db)).toEqual(before);
  return result;
}
