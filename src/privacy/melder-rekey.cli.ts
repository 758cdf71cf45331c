/* Usage: npm run melder:rekey. Re-encrypts shielded melders' identities under the first key of MELDER_ENCRYPTION_KEYS
 * (and seals any still in plain columns). Afterwards the older keys can be removed from the configuration. */
import { openDatabase } from '../../db/database';
import { AuditTrail } from '../audit/audit-trail';
import { config, melderKeys } from '../config/config';
import { systemClock } from '../shared/clock';
import { MelderCipher } from './melder-cipher';
import { rekeyMelderIdentities } from './melder-rekey';

async function main(): Promise<void> {
  const cfg = config();
  const database = await openDatabase({ url: cfg.DATABASE_URL, embeddedDir: cfg.EMBEDDED_DATA_DIR, poolSize: 1 });
  try {
    const cipher = new MelderCipher(melderKeys(cfg));
    const report = await rekeyMelderIdentities({ db: database.db, cipher, clock: systemClock, audit: new AuditTrail({ db: database.db, clock: systemClock }) });
    process.stdout.write(`melder identities under key '${cipher.currentKeyId}': ${report.rekeyed} re-encrypted, ${report.sealed} moved out of plain columns\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`melder:rekey failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
