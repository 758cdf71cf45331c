import type { Database } from '../../db/database';
import type { AuditTrail } from '../audit/audit-trail';
import type { Clock } from '../shared/clock';
import type { MelderCipher } from './melder-cipher';
import { melderRepository as repo } from './melder.repository';

export interface RekeyReport {
  /** Identities re-encrypted from an older key to the current one. */
  rekeyed: number;
  /** Shielded identities found in plain columns and moved, encrypted, into the separate store. */
  sealed: number;
}

/**
 * Key rotation: re-encrypts every shielded melder's identity under the current key (the first of
 * MELDER_ENCRYPTION_KEYS), and moves any shielded identity still in plain columns into the encrypted store. In batches,
 * each its own transaction; safe to interrupt and run again, and to run beside the service. One audit row per batch.
 */
export async function rekeyMelderIdentities(o: { db: Database; cipher: MelderCipher; clock: Clock; audit: AuditTrail; batchSize?: number }): Promise<RekeyReport> {
  const size = o.batchSize ?? 500;
  const actor = { id: 'system:melder-rekey', role: 'system', teams: [] };
  const report: RekeyReport = { rekeyed: 0, sealed: 0 };
  for (;;) {
    const n = await o.db.transaction().execute(async (trx) => {
      const now = o.clock.now();
      const stale = await repo.lockStaleIdentities(trx, o.cipher.currentKeyId, size);
      for (const row of stale) await repo.replaceIdentity(trx, row.case_id, o.cipher.seal(row.case_id, o.cipher.open(row.case_id, row)), now);
      const plain = await repo.lockPlainShielded(trx, size);
      for (const row of plain) await repo.sealPlain(trx, row.case_id, o.cipher.seal(row.case_id, { name: row.name, contact: row.contact }), now);
      if (stale.length + plain.length > 0) {
        await o.audit.recordIn(trx, { actor, action: 'melder.rekey', detail: `key=${o.cipher.currentKeyId} rekeyed=${stale.length} sealed=${plain.length}` });
      }
      report.rekeyed += stale.length;
      report.sealed += plain.length;
      return stale.length + plain.length;
    });
    if (n === 0) return report;
  }
}
