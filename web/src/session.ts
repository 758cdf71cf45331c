/**
 * Who is signed in. The token lives in sessionStorage (this tab only, gone when it closes), never in a URL.
 * The claims are read for the interface only (which views to show); the API verifies the token on every call.
 */
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { Role } from '../../src/auth/principal';
import type { DashboardConfig } from './api';

const KEY = 'vt-dashboard-token';
const ROLES: readonly Role[] = ['medewerker', 'teamleider', 'manager', 'gemeente', 'beheerder'];

export interface Session {
  token: string;
  sub: string;
  role: Role;
  teams: string[];
  gemeente: string | null;
  expiresAt: number | null;
}

function base64UrlDecode(part: string): string {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Reads a JWT's claims; null when it is not a token this service could accept. */
export function sessionFromToken(token: string): Session | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const claims = JSON.parse(base64UrlDecode(parts[1])) as Record<string, unknown>;
    const role = claims.role;
    if (typeof claims.sub !== 'string' || typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) return null;
    const teams = Array.isArray(claims.teams) ? claims.teams.filter((t): t is string => typeof t === 'string') : [];
    const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : null;
    return { token: token.trim(), sub: claims.sub, role: role as Role, teams, gemeente: typeof claims.gemeente === 'string' ? claims.gemeente : null, expiresAt: exp };
  } catch {
    return null;
  }
}

export function storedSession(): Session | null {
  const token = sessionStorage.getItem(KEY);
  return token ? sessionFromToken(token) : null;
}

export function storeSession(session: Session): void {
  sessionStorage.setItem(KEY, session.token);
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** Authorization code flow with PKCE (oidc-client-ts); the access token is the API's bearer token. */
export function oidcManager(oidc: NonNullable<DashboardConfig['oidc']>): UserManager {
  const redirect = `${window.location.origin}/`;
  return new UserManager({
    authority: oidc.issuer,
    client_id: oidc.clientId,
    redirect_uri: redirect,
    post_logout_redirect_uri: redirect,
    response_type: 'code',
    scope: oidc.scope,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
  });
}

/** After the provider redirects back with ?code=…&state=…: exchanges the code, then removes it from the address bar. */
export async function completeOidcSignIn(oidc: NonNullable<DashboardConfig['oidc']>): Promise<Session | null> {
  const params = new URLSearchParams(window.location.search);
  if (!params.has('code') || !params.has('state')) return null;
  const user = await oidcManager(oidc).signinRedirectCallback();
  window.history.replaceState(null, '', '/');
  const session = sessionFromToken(user.access_token);
  if (!session) throw new Error('het toegangstoken van de identiteitsprovider bevat geen rol voor deze dienst');
  storeSession(session);
  return session;
}
