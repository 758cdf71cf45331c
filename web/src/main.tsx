import { render } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { Api, loadConfig, type DashboardConfig } from './api';
import { ROLE_LABELS } from './labels';
import { clearSession, completeOidcSignIn, oidcManager, storedSession, type Session } from './session';
import { CasePage } from './views/case-page';
import { GemeenteView } from './views/gemeente';
import { LoginView } from './views/login';
import { MyWorkView } from './views/my-work';
import { RegisterMeldingView } from './views/register-melding';
import { QualityView } from './views/quality';
import { QualityPlanView } from './views/quality-plan';
import { TeamleiderView } from './views/teamleider';
import './styles.css';

type Route =
  | { view: 'werk' }
  | { view: 'melding' }
  | { view: 'teamleider' }
  | { view: 'zaak'; id: string }
  | { view: 'gemeente' }
  | { view: 'kwaliteit' }
  | { view: 'verbeterplan' }
  | { view: 'start' };

/** Routes live in the fragment: case ids are UUIDs, never names, and nothing personal goes into a URL. */
function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const zaak = /^zaak\/([0-9a-f-]{36})$/i.exec(path);
  if (zaak?.[1]) return { view: 'zaak', id: zaak[1] };
  if (path === 'melding/nieuw') return { view: 'melding' };
  if (path === 'werk' || path === 'teamleider' || path === 'gemeente' || path === 'kwaliteit' || path === 'verbeterplan') return { view: path };
  return { view: 'start' };
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}

const STAFF = ['medewerker', 'teamleider', 'manager'];
const WORKERS = ['medewerker', 'teamleider'];
const canSee = {
  werk: (s: Session) => WORKERS.includes(s.role),
  melding: (s: Session) => WORKERS.includes(s.role),
  teamleider: (s: Session) => STAFF.includes(s.role),
  zaak: (s: Session) => STAFF.includes(s.role),
  gemeente: (s: Session) => s.role === 'gemeente' || s.role === 'manager',
  kwaliteit: (s: Session) => s.role === 'teamleider' || s.role === 'manager',
  verbeterplan: (s: Session) => s.role === 'teamleider' || s.role === 'manager' || s.role === 'gemeente',
};

function App() {
  const [config, setConfig] = useState<DashboardConfig | null>(null);
  const [session, setSession] = useState<Session | null>(() => storedSession());
  const [error, setError] = useState<string | null>(null);
  const route = useRoute();

  useEffect(() => {
    loadConfig()
      .then(async (c) => {
        setConfig(c);
        if (c.oidc) {
          const s = await completeOidcSignIn(c.oidc);
          if (s) setSession(s);
        }
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  const signOut = useCallback(() => {
    clearSession();
    setSession(null);
    if (config?.oidc) void oidcManager(config.oidc).removeUser();
  }, [config]);

  const api = useMemo(() => (session ? new Api(session.token, signOut) : null), [session, signOut]);

  if (error) return <main id="inhoud"><p role="alert">Het dashboard kon niet starten: {error}</p></main>;
  if (!config) return <main id="inhoud"><p>Het dashboard wordt geladen…</p></main>;
  if (!session || !api) return <LoginView config={config} onSignIn={setSession} />;

  const views: Array<{ key: 'werk' | 'teamleider' | 'gemeente' | 'kwaliteit' | 'verbeterplan'; label: string }> = [
    ...(session.role === 'medewerker' ? [{ key: 'werk' as const, label: 'Mijn werk' }] : []),
    { key: 'teamleider', label: 'Signalen en zaken' },
    { key: 'gemeente', label: 'Gemeente' },
    { key: 'kwaliteit', label: 'Kwaliteit' },
    { key: 'verbeterplan', label: 'Kwaliteit & verbeterplan' },
    ...(session.role === 'teamleider' ? [{ key: 'werk' as const, label: 'Mijn werk' }] : []),
  ];
  const available = views.filter((v) => canSee[v.key](session));
  const effective: Route = route.view === 'start' ? (available[0] ? { view: available[0].key } : { view: 'start' }) : route;
  const home = available[0]?.key === 'werk' ? 'werk' : 'teamleider';
  const current = effective.view === 'zaak' ? home : effective.view === 'melding' ? 'werk' : effective.view;
  const back = home === 'werk' ? { href: '#/werk', label: 'Terug naar mijn werk' } : { href: '#/teamleider', label: 'Terug naar signalen en zaken' };

  let content;
  if (effective.view === 'start') content = <p>Voor uw rol ({ROLE_LABELS[session.role]}) heeft het dashboard geen overzicht.</p>;
  else if (!canSee[effective.view](session)) content = <p role="alert">Deze pagina is niet beschikbaar voor uw rol ({ROLE_LABELS[session.role]}).</p>;
  else if (effective.view === 'teamleider') content = <TeamleiderView api={api} session={session} onUnauthorized={signOut} />;
  else if (effective.view === 'zaak') content = <CasePage api={api} id={effective.id} back={back} outcomeLabels={config.labels.onderzoekOutcomes} />;
  else if (effective.view === 'werk') content = <MyWorkView api={api} config={config} />;
  else if (effective.view === 'melding') content = <RegisterMeldingView api={api} config={config} session={session} />;
  else if (effective.view === 'gemeente') content = <GemeenteView api={api} session={session} config={config} />;
  else if (effective.view === 'verbeterplan') content = <QualityPlanView api={api} config={config} staff={session.role !== 'gemeente'} manager={session.role === 'manager'} />;
  else content = <QualityView api={api} session={session} config={config} />;

  return (
    <>
      <a class="skip" href="#inhoud" onClick={(e) => { e.preventDefault(); document.getElementById('inhoud')?.focus(); }}>Naar de inhoud</a>
      <header class="top">
        <span class="brand">Veilig Thuis {config.region.name}</span>
        <nav aria-label="Hoofdmenu">
          <ul>
            {available.map((v) => (
              <li key={v.key}>
                <a href={`#/${v.key}`} aria-current={current === v.key ? 'page' : undefined}>{v.label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">
          {session.sub} · {ROLE_LABELS[session.role]}
          {session.teams.length > 0 ? ` · ${session.teams.join(', ')}` : ''}
          {session.gemeente ? ` · ${session.gemeente}` : ''}
        </span>
        <button type="button" class="secondary" onClick={signOut}>Afmelden</button>
      </header>
      <main id="inhoud" tabIndex={-1}>{content}</main>
    </>
  );
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
