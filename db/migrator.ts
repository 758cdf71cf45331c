import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { MIGRATIONS } from './migrations';

export function createMigrator<T>(db: Kysely<T>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
}

function check(result: MigrationResultSet): void {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${result.error instanceof Error ? result.error.message : JSON.stringify(result.error)}`);
  }
}

/** Applies every pending migration; throws (and the caller exits non-zero) on the first failure. */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  const result = await createMigrator(db).migrateToLatest();
  check(result);
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function migrateDown<T>(db: Kysely<T>): Promise<string[]> {
  const result = await createMigrator(db).migrateDown();
  check(result);
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
