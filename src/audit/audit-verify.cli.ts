/* Usage: npm run audit:verify. Walks the whole audit chain (DATABASE_URL, or the embedded database) and exits 1 naming
 * the first broken row. On success it prints the head (chain position and hash): record it elsewhere to detect a
 * cut-off tail later; and the unsealed tail (rows the sealer has not chained yet) with the age of its oldest row. */
import { openDatabase } from '../../db/database';
import { config } from '../config/config';
import { verifyAuditChain } from './audit.service';

async function main(): Promise<void> {
  const cfg = config();
  const database = await openDatabase({ url: cfg.DATABASE_URL, embeddedDir: cfg.EMBEDDED_DATA_DIR, poolSize: 1 });
  try {
    let reported = 0;
    const verdict = await verifyAuditChain(database.db, {
      onBatch: (checked) => {
        if (checked - reported >= 1_000_000) {
          reported = checked;
          process.stderr.write(`… ${checked} rows checked\n`);
        }
      },
    });
    if (verdict.ok) {
      const head = verdict.head ? `head seq ${verdict.head.seq} hash ${verdict.head.hash}` : 'nothing sealed yet';
      const { rows, oldestQueuedAt } = verdict.unsealed;
      const tail = rows === 0 ? 'unsealed tail: none' : `unsealed tail: ${rows} rows, oldest queued ${oldestQueuedAt ? `${((Date.now() - oldestQueuedAt.getTime()) / 1000).toFixed(1)} s ago (${oldestQueuedAt.toISOString()})` : 'at an unknown time'}`;
      process.stdout.write(`audit chain intact: ${verdict.rows} rows; ${head}; ${tail}\n`);
    } else {
      process.stderr.write(`audit chain BROKEN at seq ${verdict.broken.seq}: ${verdict.broken.reason} (the ${verdict.rows} rows before it are intact)\n`);
      process.exitCode = 1;
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
