import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

/** Claims the provider puts into the access token for the one user it signs in. */
export interface ProviderUser {
  sub: string;
  role: string;
  teams?: string[];
  gemeente?: string;
}

export interface TestOidcProvider {
  issuer: string;
  jwksUrl: string;
  /** Token requests, with whether their PKCE verifier matched the challenge. */
  tokenRequests: Array<{ pkceOk: boolean; clientId: string | null }>;
  close(): Promise<void>;
}

/**
 * A small OpenID Connect provider on 127.0.0.1 for the browser test of the dashboard's sign-in: discovery, an
 * authorization endpoint that signs `user` in at once, a token endpoint that checks the PKCE verifier (S256) and
 * issues RS256 tokens, and the JWKS the API verifies them with. CORS is open, as a provider's token endpoint is.
 */
export async function startOidcProvider(opts: { clientId: string; audience: string; user: ProviderUser }): Promise<TestOidcProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; redirectUri: string; nonce: string | null; clientId: string }>();
  const tokenRequests: TestOidcProvider['tokenRequests'] = [];
  let issuer = '';

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString('utf8')));
      req.on('end', () => resolve(data));
      req.on('error', reject);
    });
  const sign = (claims: Record<string, unknown>, audience: string) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(issuer).setAudience(audience).setSubject(opts.user.sub).setIssuedAt().setExpirationTime('1h').sign(privateKey);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type, authorization', 'access-control-allow-methods': 'GET, POST' });
      res.end();
      return;
    }
    if (url.pathname === '/.well-known/openid-configuration') {
      json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
      return;
    }
    if (url.pathname === '/jwks') {
      json(res, 200, { keys: [jwk] });
      return;
    }
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri');
      if (q.get('client_id') !== opts.clientId || !redirectUri || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || q.get('response_type') !== 'code') {
        json(res, 400, { error: 'invalid_request' });
        return;
      }
      const code = randomUUID();
      codes.set(code, { challenge: q.get('code_challenge')!, redirectUri, nonce: q.get('nonce'), clientId: opts.clientId });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { location: back.toString() });
      res.end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const grant = codes.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const pkceOk = Boolean(grant) && createHash('sha256').update(verifier).digest('base64url') === grant!.challenge;
      tokenRequests.push({ pkceOk, clientId: form.get('client_id') });
      if (!grant || !pkceOk || form.get('redirect_uri') !== grant.redirectUri || form.get('grant_type') !== 'authorization_code') {
        json(res, 400, { error: 'invalid_grant' });
        return;
      }
      codes.delete(form.get('code')!);
      const { sub: _sub, ...claims } = opts.user;
      const access = await sign(claims, opts.audience);
      const id = await sign(grant.nonce ? { nonce: grant.nonce } : {}, grant.clientId);
      json(res, 200, { access_token: access, id_token: id, token_type: 'Bearer', expires_in: 3600, scope: 'openid profile' });
      return;
    }
    json(res, 404, { error: 'not_found' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => json(res, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    tokenRequests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
