import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

/** A shielded melder's identity: what is encrypted. */
export interface MelderIdentity {
  name: string | null;
  contact: string | null;
}

/** The stored form: AES-256-GCM under the key `key_id`. */
export interface SealedIdentity {
  key_id: string;
  iv: Buffer;
  ciphertext: Buffer;
  auth_tag: Buffer;
}

export interface MelderKey {
  id: string;
  key: Buffer;
}

const identitySchema = z.object({ name: z.string().nullable(), contact: z.string().nullable() }).strict();

/** Binds a ciphertext to its case: moved to another case's row, it no longer decrypts. */
const associatedData = (caseId: string) => Buffer.from(`vt-melder-identity-v1:${caseId}`, 'utf8');

/**
 * Encrypts and decrypts shielded melders' identities with AES-256-GCM (node:crypto), a fresh 96-bit IV per record.
 * The first key encrypts; every configured key decrypts, so a key can be rotated: add the new one in front, re-encrypt
 * (`npm run melder:rekey`), then drop the old one.
 */
export class MelderCipher {
  private readonly byId: Map<string, Buffer>;
  private readonly current: MelderKey;

  constructor(keys: readonly MelderKey[]) {
    const [current] = keys;
    if (!current) throw new Error('MelderCipher needs at least one key');
    for (const k of keys) if (k.key.length !== 32) throw new Error(`melder key ${k.id} is not 32 bytes`);
    this.current = current;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
    if (this.byId.size !== keys.length) throw new Error('melder key ids must be unique');
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(caseId: string, identity: MelderIdentity): SealedIdentity {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(associatedData(caseId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(identitySchema.parse(identity)), 'utf8'), cipher.final()]);
    return { key_id: this.current.id, iv, ciphertext, auth_tag: cipher.getAuthTag() };
  }

  /** Throws when the key is not configured or the record was tampered with (GCM authentication fails). */
  open(caseId: string, sealed: SealedIdentity): MelderIdentity {
    const key = this.byId.get(sealed.key_id);
    if (!key) throw new Error(`melder identity of case ${caseId} is encrypted under key '${sealed.key_id}', which is not configured (MELDER_ENCRYPTION_KEYS)`);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(associatedData(caseId));
    decipher.setAuthTag(sealed.auth_tag);
    const plain = Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    return identitySchema.parse(JSON.parse(plain));
  }
}
