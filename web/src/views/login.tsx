import { useState } from 'preact/hooks';
import type { DashboardConfig } from '../api';
import { oidcManager, sessionFromToken, storeSession, type Session } from '../session';

/** Sign-in: with the OIDC provider where one is configured; else (development) by pasting a bearer token. */
export function LoginView({ config, onSignIn }: { config: DashboardConfig; onSignIn: (s: Session) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = (e: Event) => {
    e.preventDefault();
    const session = sessionFromToken(token);
    if (!session) {
      setError('Dit is geen geldig token: een JWT met de claims sub en role is nodig.');
      return;
    }
    if (session.expiresAt !== null && session.expiresAt < Date.now()) {
      setError('Dit token is verlopen.');
      return;
    }
    storeSession(session);
    onSignIn(session);
  };

  return (
    <main id="inhoud" class="login">
      <h1>Veilig Thuis {config.region.name} – dashboard</h1>
      {config.oidc ? (
        <section aria-labelledby="oidc-kop">
          <h2 id="oidc-kop">Aanmelden</h2>
          <p>U meldt zich aan bij de identiteitsprovider van uw organisatie.</p>
          <button type="button" onClick={() => void oidcManager(config.oidc!).signinRedirect().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))}>
            Aanmelden
          </button>
        </section>
      ) : (
        <form onSubmit={submit} aria-labelledby="token-kop">
          <h2 id="token-kop">Aanmelden met een token</h2>
          <p>
            Plak een toegangstoken (ontwikkeling: <code>npm run token -- --sub naam --role teamleider --team team-zwolle</code>). Het token blijft
            alleen in dit tabblad bewaard.
          </p>
          <label for="token">Toegangstoken</label>
          <textarea id="token" name="token" rows={5} value={token} onInput={(e) => setToken(e.currentTarget.value)} required spellcheck={false} autocomplete="off" />
          <button type="submit">Aanmelden</button>
        </form>
      )}
      {error ? <p role="alert" class="error">{error}</p> : null}
    </main>
  );
}
