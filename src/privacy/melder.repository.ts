import type { Transaction } from 'kysely';
import type { DB, MelderIdentityRow } from '../../db/schema';
import type { SealedIdentity } from './melder-cipher';

/** The SQL of key rotation for shielded melders' identities. */
export const melderRepository = {
  /** A batch of identities under another key than `currentKeyId`, locked; concurrent runs skip each other's rows. */
  async lockStaleIdentities(trx: Transaction<DB>, currentKeyId: string, limit: number): Promise<MelderIdentityRow[]> {
    return trx.selectFrom('melder_identities').selectAll().where('key_id', '!=', currentKeyId).orderBy('case_id').limit(limit).forUpdate().skipLocked().execute();
  },

  async replaceIdentity(trx: Transaction<DB>, caseId: string, sealed: SealedIdentity, at: Date): Promise<void> {
    await trx.updateTable('melder_identities').set({ ...sealed, rekeyed_at: at }).where('case_id', '=', caseId).execute();
  },

  /** Shielded melders whose identity is still in plain columns (rows written before the identities were kept apart). */
  async lockPlainShielded(trx: Transaction<DB>, limit: number) {
    return trx
      .selectFrom('melders')
      .select(['case_id', 'name', 'contact'])
      .where('shielded', '=', true)
      .where((eb) => eb.or([eb('name', 'is not', null), eb('contact', 'is not', null)]))
      .orderBy('case_id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  },

  async sealPlain(trx: Transaction<DB>, caseId: string, sealed: SealedIdentity, at: Date): Promise<void> {
    await trx.insertInto('melder_identities').values({ case_id: caseId, ...sealed, created_at: at, rekeyed_at: null }).execute();
    await trx.updateTable('melders').set({ name: null, contact: null }).where('case_id', '=', caseId).execute();
  },
};
