/* Usage: npm run migrate [-- up|down|status]. Uses MIGRATION_DATABASE_URL (the schema owner, when DATABASE_URL is the
 * application role), else DATABASE_URL, else the embedded database. */
import { openDatabase } from './database';
import { createMigrator, migrateDown, migrateToLatest } from './migrator';

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'up';
  const database = await openDatabase({ url: process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL, embeddedDir: process.env.EMBEDDED_DATA_DIR ?? './.data/pglite' });
  const { db, kind } = database;
  try {
    if (command === 'up') console.log(`applied on ${kind}:`, (await migrateToLatest(db)).join(', ') || 'nothing pending');
    else if (command === 'down') console.log(`reverted on ${kind}:`, (await migrateDown(db)).join(', ') || 'nothing to revert');
    else if (command === 'status') {
      for (const m of await createMigrator(db).getMigrations()) console.log(m.executedAt ? 'applied' : 'pending', m.name);
    } else throw new Error(`unknown command '${command}' (use up, down or status)`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
