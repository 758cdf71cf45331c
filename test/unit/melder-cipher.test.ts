import { randomBytes } from 'node:crypto';
import { ConfigError, melderKeys, parseConfig } from '../../src/config/config';
import { MelderCipher } from '../../src/privacy/melder-cipher';

const CASE_A = '5c0e1f3a-0000-4000-8000-00000000000a';
const CASE_B = '5c0e1f3a-0000-4000-8000-00000000000b';
const identity = { name: 'Buurvrouw Şahin', contact: '06-12345678' };
const key = (id: string) => ({ id, key: randomBytes(32) });

describe('MelderCipher (AES-256-GCM)', () => {
  const k1 = key('k1');
  const k2 = key('k2');

  it('round-trips, with a fresh IV each time and no plaintext in the ciphertext', () => {
    const cipher = new MelderCipher([k1]);
    const a = cipher.seal(CASE_A, identity);
    const b = cipher.seal(CASE_A, identity);
    expect(a.key_id).toBe('k1');
    expect(a.iv).toHaveLength(12);
    expect(a.auth_tag).toHaveLength(16);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.ciphertext.toString('utf8')).not.toContain('Şahin');
    expect(a.ciphertext.toString('latin1')).not.toContain('06-12345678');
    expect(cipher.open(CASE_A, a)).toEqual(identity);
  });

  it('refuses a ciphertext moved to another case, or changed by one bit', () => {
    const cipher = new MelderCipher([k1]);
    const sealed = cipher.seal(CASE_A, identity);
    expect(() => cipher.open(CASE_B, sealed)).toThrow(/unable to authenticate/i);
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0] = flipped[0]! ^ 1;
    expect(() => cipher.open(CASE_A, { ...sealed, ciphertext: flipped })).toThrow(/unable to authenticate/i);
  });

  it('rotates: the first key encrypts, every configured key decrypts, an unknown key id is named', () => {
    const old = new MelderCipher([k1]).seal(CASE_A, identity);
    const rotated = new MelderCipher([k2, k1]);
    expect(rotated.currentKeyId).toBe('k2');
    expect(rotated.open(CASE_A, old)).toEqual(identity);
    expect(rotated.seal(CASE_A, identity).key_id).toBe('k2');
    expect(() => new MelderCipher([k2]).open(CASE_A, old)).toThrow(/key 'k1', which is not configured/);
    // Same id, other key material: authentication fails rather than returning garbage.
    expect(() => new MelderCipher([{ id: 'k1', key: randomBytes(32) }]).open(CASE_A, old)).toThrow(/unable to authenticate/i);
  });
});

describe('MELDER_ENCRYPTION_KEYS', () => {
  const base = { AUTH_JWT_SECRET: 'x'.repeat(32) };
  const b64 = randomBytes(32).toString('base64');

  it('parses id:base64 pairs, the first being current', () => {
    const cfg = parseConfig({ ...base, MELDER_ENCRYPTION_KEYS: `2026-11:${b64}, 2025-01:${randomBytes(32).toString('base64')}` });
    expect(melderKeys(cfg).map((k) => k.id)).toEqual(['2026-11', '2025-01']);
    expect(melderKeys(cfg)[0]!.key.toString('base64')).toBe(b64);
  });

  it('names a key of the wrong length, a bad id and a repeated id', () => {
    expect(() => parseConfig({ ...base, MELDER_ENCRYPTION_KEYS: `k1:${randomBytes(16).toString('base64')}` })).toThrow(/MELDER_ENCRYPTION_KEYS: key 'k1' must be 32 bytes/);
    expect(() => parseConfig({ ...base, MELDER_ENCRYPTION_KEYS: `bad id:${b64}` })).toThrow(/key id 'bad id'/);
    expect(() => parseConfig({ ...base, MELDER_ENCRYPTION_KEYS: `k1:${b64},k1:${b64}` })).toThrow(/unique/);
  });

  it('has a development default outside production only', () => {
    expect(melderKeys(parseConfig(base)).map((k) => k.id)).toEqual(['development-only']);
    const production = parseConfig({ ...base, NODE_ENV: 'production' });
    expect(() => melderKeys(production)).toThrow(ConfigError);
    expect(() => melderKeys(production)).toThrow(/MELDER_ENCRYPTION_KEYS: required in production/);
    expect(() => parseConfig({ ...base, NODE_ENV: 'production', MELDER_ENCRYPTION_KEYS: '' })).toThrow(/MELDER_ENCRYPTION_KEYS: must name at least one key/);
    expect(melderKeys(parseConfig({ ...base, NODE_ENV: 'production', MELDER_ENCRYPTION_KEYS: `prod-1:${b64}` }))[0]!.id).toBe('prod-1');
  });
});
