import { SignJWT } from 'jose';
import { signDevelopmentToken, TokenVerifier } from '../../src/auth/token-verifier';

const SECRET = 'unit-secret-unit-secret-unit-secret-0000';

/** A token that lives `seconds` from now, signed with SECRET. */
async function tokenFor(seconds: number): Promise<string> {
  return new SignJWT({ role: 'medewerker', teams: ['team-zwolle'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('alice')
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .sign(new TextEncoder().encode(SECRET));
}

describe('TokenVerifier: the verified-token cache', () => {
  afterEach(() => jest.useRealTimers());

  it('refuses a remembered token once it has expired (exp plus the 60 s tolerance), as a fresh verification would', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    jest.setSystemTime(new Date('2026-12-03T09:00:00Z'));
    const verifier = new TokenVerifier({ secret: SECRET });
    const token = `Bearer ${await tokenFor(30)}`;
    expect((await verifier.verify(token)).sub).toBe('alice');
    jest.setSystemTime(new Date('2026-12-03T09:01:29Z'));
    expect((await verifier.verify(token)).sub).toBe('alice');
    jest.setSystemTime(new Date('2026-12-03T09:01:31Z'));
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
    // And the fresh check agrees: a new verifier (no cache) refuses it too.
    await expect(new TokenVerifier({ secret: SECRET }).verify(token)).rejects.toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
  });

  it('never remembers a token that did not verify: a forged one is refused every time', async () => {
    const verifier = new TokenVerifier({ secret: SECRET });
    const forged = `Bearer ${await signDevelopmentToken('another-secret-another-secret-another-00', { sub: 'mallory', role: 'manager' })}`;
    for (let i = 0; i < 3; i++) await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
  });

  it('hands each caller its own principal: changing one answer does not change the next', async () => {
    const verifier = new TokenVerifier({ secret: SECRET });
    const token = `Bearer ${await tokenFor(600)}`;
    const first = await verifier.verify(token);
    first.sub = 'changed';
    expect((await verifier.verify(token)).sub).toBe('alice');
  });
});
