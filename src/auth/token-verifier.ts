import { webcrypto } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../shared/errors';
import { claimsSchema, principalFromClaims, type Principal, type Role } from './principal';

export interface TokenVerifierOptions {
  /** HS256 shared secret. */
  secret?: string;
  /** RS256/ES256 keys from an OIDC provider. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** The longest a token may live, from its `iat` (or from now, without one): AUTH_TOKEN_MAX_LIFETIME_MINUTES. */
  maxLifetimeSeconds?: number;
}

/** The default of AUTH_TOKEN_MAX_LIFETIME_MINUTES, in seconds: one working day and its evening. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;
/** Clocks of issuer and service may differ this much. */
const CLOCK_SKEW_SECONDS = 60;
/** A verified token is taken from the cache for at most this long (and never past its exp): JWKS keys are cached by jose for longer. */
const VERIFIED_TTL_MS = 60_000;
/** At most this many verified tokens are remembered; the oldest goes first. */
const VERIFIED_MAX = 10_000;

interface Verified {
  principal: Principal;
  /** Date.now() until which the verification stands: the cache's TTL, or exp with the clock tolerance jose allows. */
  validUntil: number;
}

/**
 * Verifies bearer tokens: HS256 with a shared secret, or asymmetric keys from a JWKS URL.
 *
 * The HS256 secret is imported as a CryptoKey once (jose imports a raw Uint8Array again on every call). A token that
 * verified is remembered for up to a minute, never past its exp, so the same staff member's next requests skip the
 * signature and claims checks: every check that passed stays passed while the token lives (signature, issuer,
 * audience, nbf, iat not in the future, the maximum lifetime); only exp moves, and that is checked on every hit.
 * Only tokens that verified are kept, so garbage cannot fill the cache; it holds at most VERIFIED_MAX of them.
 */
export class TokenVerifier {
  private readonly key: Promise<webcrypto.CryptoKey> | JWTVerifyGetKey;
  private readonly algorithms: string[];
  private readonly verified = new Map<string, Verified>();

  constructor(private readonly options: TokenVerifierOptions) {
    if (options.jwksUrl) {
      this.key = createRemoteJWKSet(new URL(options.jwksUrl));
      this.algorithms = ['RS256', 'ES256', 'PS256'];
    } else if (options.secret) {
      this.key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(options.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
      this.algorithms = ['HS256'];
    } else {
      throw new Error('TokenVerifier needs a secret or a JWKS URL');
    }
  }

  async verify(authorization: string | undefined): Promise<Principal> {
    if (!authorization) throw new AppError('AUTH.MISSING_TOKEN', 'Authorization: Bearer <token> is required');
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw new AppError('AUTH.INVALID_TOKEN', 'the Authorization header must be "Bearer <token>"');
    const token = match[1];
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.validUntil) return { ...known.principal };
      this.verified.delete(token);
    }
    let payload: unknown;
    try {
      const verifyOptions = { algorithms: this.algorithms, issuer: this.options.issuer, audience: this.options.audience, requiredClaims: ['exp'], clockTolerance: CLOCK_SKEW_SECONDS };
      payload = typeof this.key === 'function' ? (await jwtVerify(token, this.key, verifyOptions)).payload : (await jwtVerify(token, await this.key, verifyOptions)).payload;
    } catch {
      throw new AppError('AUTH.INVALID_TOKEN', 'the token is invalid or expired (an exp claim is required)');
    }
    const expiresAt = lifetimeCheck(payload as { exp?: unknown; iat?: unknown }, this.options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new AppError('AUTH.INVALID_TOKEN', `the token's claims are incomplete: ${claims.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const principal: Principal = { ...principalFromClaims(claims.data), expiresAt };
    this.remember(token, principal, expiresAt);
    return { ...principal };
  }

  private remember(token: string, principal: Principal, expiresAt: Date): void {
    // jose accepts a token until exp + clockTolerance (seconds); the cache stops at the same moment or sooner.
    const validUntil = Math.min(Date.now() + VERIFIED_TTL_MS, expiresAt.getTime() + CLOCK_SKEW_SECONDS * 1000);
    if (this.verified.size >= VERIFIED_MAX) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(token, { principal, validUntil });
  }
}

/**
 * A token lives at most `maxSeconds`: a stolen token with `exp` in the year 9999 must not work for ever, and one
 * issued in the future (`iat` ahead of the clock) is a forgery or a broken issuer. Returns when it expires.
 */
function lifetimeCheck(payload: { exp?: unknown; iat?: unknown }, maxSeconds: number): Date {
  const now = Math.floor(Date.now() / 1000);
  const exp = typeof payload.exp === 'number' ? payload.exp : NaN;
  if (!Number.isFinite(exp)) throw new AppError('AUTH.INVALID_TOKEN', 'the token needs a numeric exp claim');
  const iat = typeof payload.iat === 'number' ? payload.iat : undefined;
  if (iat !== undefined && iat > now + CLOCK_SKEW_SECONDS) throw new AppError('AUTH.INVALID_TOKEN', 'the token was issued in the future (iat)');
  const from = iat ?? now;
  if (exp - from > maxSeconds || exp - now > maxSeconds) {
    throw new AppError('AUTH.INVALID_TOKEN', `the token lives longer than the ${Math.round(maxSeconds / 60)} minutes allowed (exp)`);
  }
  return new Date(exp * 1000);
}

export interface TokenRequest {
  sub: string;
  role: Role;
  teams?: string[];
  gemeente?: string;
  /** The professional's discipline (claim `discipline`), for FOUR_EYES_APPROVERS. */
  discipline?: string;
  expiresIn?: string;
}

/** Signs an HS256 token with this service's claims; for development and tests. */
export async function signDevelopmentToken(secret: string, request: TokenRequest, issuer?: string, audience?: string): Promise<string> {
  const claims = claimsSchema.parse({ sub: request.sub, role: request.role, teams: request.teams ?? [], gemeente: request.gemeente, discipline: request.discipline });
  let jwt = new SignJWT({ role: claims.role, teams: claims.teams, ...(claims.gemeente ? { gemeente: claims.gemeente } : {}), ...(claims.discipline ? { discipline: claims.discipline } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '8h');
  if (issuer) jwt = jwt.setIssuer(issuer);
  if (audience) jwt = jwt.setAudience(audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

