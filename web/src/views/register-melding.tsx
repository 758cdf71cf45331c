import { useState } from 'preact/hooks';
import { ApiError, ok, type Api, type MeldingBody, type CaseView, type DashboardConfig } from '../api';
import { isValidBsn } from '../bsn';
import { ROLE_OPTIONS, VULNERABILITY_OPTIONS } from '../form-labels';
import { VIOLENCE_LABELS } from '../labels';
import { ruleText } from '../reasons';
import { ErrorSummary, fieldId, type FieldErrors } from '../schema-form';
import type { Session } from '../session';

interface PersonDraft {
  key: number;
  role: string;
  name: string;
  birthDate: string;
  bsn: string;
  vulnerabilities: string[];
}

const FORM = 'melding';
const entries = <K extends string>(r: Record<K, string>) => Object.entries(r) as Array<[K, string]>;

const LABELS: Record<string, string> = {
  receivedAt: 'Ontvangen op',
  gemeente: 'Gemeente',
  violenceTypes: 'Vorm van geweld',
  acuteDanger: 'Acuut gevaar',
  'reporter.professional': 'Soort melder',
  'reporter.sector': 'Sector',
  'reporter.anonymous': 'Anoniem',
  'reporter.shielded': 'Afgeschermd',
  'reporter.name': 'Naam melder',
  'reporter.contact': 'Contact melder',
  persons: 'Personen',
  summary: 'Samenvatting van de melding',
  teamId: 'Team',
};

function labelOf(path: string): string {
  const person = /^persons\.(\d+)\.?(\w*)/.exec(path);
  if (person) {
    const field: Record<string, string> = { role: 'rol', name: 'naam', birthDate: 'geboortedatum', bsn: 'BSN', vulnerabilities: 'kwetsbaarheid' };
    return `Persoon ${Number(person[1]) + 1}${person[2] ? `, ${field[person[2]] ?? person[2]}` : ''}`;
  }
  return LABELS[path] ?? path;
}

/** 'YYYY-MM-DDTHH:mm' in the browser's zone (the datetime-local value) for an instant. */
function localInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Register a melding (`POST /v1/meldingen`): the region's gemeenten, the CBS types, persons, the melder. */
export function RegisterMeldingView({ api, config, session }: { api: Api; config: DashboardConfig; session: Session }) {
  const [receivedAt, setReceivedAt] = useState(() => localInput(config.now));
  const [gemeente, setGemeente] = useState('');
  const [violence, setViolence] = useState<string[]>([]);
  const [acute, setAcute] = useState<'' | 'ja' | 'nee'>('');
  const [professional, setProfessional] = useState<'' | 'ja' | 'nee'>('');
  const [sector, setSector] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [shielded, setShielded] = useState(false);
  const [melderName, setMelderName] = useState('');
  const [melderContact, setMelderContact] = useState('');
  const [persons, setPersons] = useState<PersonDraft[]>([{ key: 1, role: 'kind', name: '', birthDate: '', bsn: '', vulnerabilities: [] }]);
  const [summary, setSummary] = useState('');
  const [team, setTeam] = useState(session.teams[0] ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const updatePerson = (key: number, change: Partial<PersonDraft>) => setPersons((ps) => ps.map((p) => (p.key === key ? { ...p, ...change } : p)));

  function check(): FieldErrors {
    const e: FieldErrors = {};
    if (!receivedAt) e.receivedAt = 'Vul in wanneer de melding binnenkwam.';
    if (!gemeente) e.gemeente = 'Kies een gemeente van de regio.';
    if (violence.length === 0) e.violenceTypes = 'Kies ten minste één vorm van geweld.';
    if (!acute) e.acuteDanger = 'Geef aan of er acuut gevaar is.';
    if (!professional) e['reporter.professional'] = 'Geef aan of de melder een professional is.';
    if (professional === 'ja' && !sector) e['reporter.sector'] = 'Kies de sector van de professionele melder.';
    if (anonymous && (melderName.trim() || melderContact.trim())) e['reporter.anonymous'] = 'Een anonieme melder heeft geen naam of contactgegevens.';
    if (!summary.trim()) e.summary = 'Vul een samenvatting in.';
    persons.forEach((p, i) => {
      if (!p.name.trim()) e[`persons.${i}.name`] = 'Vul de naam in.';
      if (p.bsn.trim() && !isValidBsn(p.bsn.trim())) e[`persons.${i}.bsn`] = 'Dit is geen geldig BSN (9 cijfers die voldoen aan de 11-proef).';
    });
    return e;
  }

  function body(): MeldingBody {
    return {
      receivedAt: new Date(receivedAt).toISOString(),
      // The options come from the region and the API's own value lists; the API checks them again.
      gemeente: gemeente as MeldingBody['gemeente'],
      violenceTypes: violence as MeldingBody['violenceTypes'],
      acuteDanger: acute === 'ja',
      reporter: {
        professional: professional === 'ja',
        ...(professional === 'ja' ? { sector: sector as MeldingBody['reporter']['sector'] } : {}),
        anonymous,
        shielded,
        ...(melderName.trim() ? { name: melderName.trim() } : {}),
        ...(melderContact.trim() ? { contact: melderContact.trim() } : {}),
      },
      persons: persons.map((p) => ({
        role: p.role as MeldingBody['persons'][number]['role'],
        name: p.name.trim(),
        ...(p.birthDate ? { birthDate: p.birthDate } : {}),
        ...(p.bsn.trim() ? { bsn: p.bsn.trim() } : {}),
        vulnerabilities: p.vulnerabilities as MeldingBody['persons'][number]['vulnerabilities'],
      })),
      summary: summary.trim(),
      ...(team ? { teamId: team } : {}),
    };
  }

  const focusSummary = () => setTimeout(() => document.getElementById('melding-fouten')?.focus(), 0);

  async function submit(e: Event) {
    e.preventDefault();
    setFailure(null);
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) return focusSummary();
    setBusy(true);
    try {
      const created: CaseView = await ok(api.client.POST('/v1/meldingen', { body: body() }));
      window.location.hash = `#/zaak/${created.id}`;
    } catch (err) {
      if (err instanceof ApiError && err.issues.length > 0) {
        setErrors(Object.fromEntries(err.issues.map((i) => [i.field, ruleText(i.rule)])));
        focusSummary();
      } else setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const described = (path: string) => (errors[path] ? `${fieldId(FORM, path)}-fout` : undefined);
  const ErrorText = ({ path }: { path: string }) => (errors[path] ? <p id={`${fieldId(FORM, path)}-fout`} class="field-error">{errors[path]}</p> : null);
  const invalid = (path: string) => (errors[path] ? true : undefined);

  return (
    <>
      <p><a href="#/werk">← Terug naar mijn werk</a></p>
      <h1>Nieuwe melding registreren</h1>
      <form class="panel form" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="melding-kop">
        <h2 id="melding-kop" class="visually-hidden">Melding</h2>
        <ErrorSummary id="melding-fouten" formId={FORM} errors={errors} labels={labelOf} />
        {failure ? <p role="alert" class="error">De melding is niet geregistreerd: {failure}</p> : null}
        <div class="form-grid">
          <div class="field">
            <label for={fieldId(FORM, 'receivedAt')}>Ontvangen op</label>
            <ErrorText path="receivedAt" />
            <input id={fieldId(FORM, 'receivedAt')} type="datetime-local" value={receivedAt} aria-invalid={invalid('receivedAt')} aria-describedby={described('receivedAt')} onInput={(e) => setReceivedAt(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for={fieldId(FORM, 'gemeente')}>Gemeente</label>
            <ErrorText path="gemeente" />
            <select id={fieldId(FORM, 'gemeente')} value={gemeente} aria-invalid={invalid('gemeente')} aria-describedby={described('gemeente')} onChange={(e) => setGemeente(e.currentTarget.value)}>
              <option value="">Kies…</option>
              {config.region.gemeenten.map((g) => (
                <option key={g.code} value={g.code}>{g.name} ({g.code})</option>
              ))}
            </select>
          </div>
          {session.teams.length > 1 ? (
            <div class="field">
              <label for={fieldId(FORM, 'teamId')}>Team</label>
              <ErrorText path="teamId" />
              <select id={fieldId(FORM, 'teamId')} value={team} onChange={(e) => setTeam(e.currentTarget.value)}>
                {session.teams.map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
            </div>
          ) : null}
        </div>

        <fieldset class="choices" id={fieldId(FORM, 'violenceTypes')} tabIndex={-1} aria-describedby={described('violenceTypes')}>
          <legend>Vorm van geweld (CBS)</legend>
          <ErrorText path="violenceTypes" />
          {entries(VIOLENCE_LABELS).map(([code, label]) => (
            <div class="choice" key={code}>
              <input type="checkbox" id={`${FORM}-geweld-${code}`} checked={violence.includes(code)} onChange={(e) => setViolence((v) => (e.currentTarget.checked ? [...v, code] : v.filter((c) => c !== code)))} />
              <label for={`${FORM}-geweld-${code}`}>{label}</label>
            </div>
          ))}
        </fieldset>

        <fieldset class="choices inline" id={fieldId(FORM, 'acuteDanger')} tabIndex={-1} aria-describedby={described('acuteDanger')}>
          <legend>Acuut gevaar</legend>
          <ErrorText path="acuteDanger" />
          {(['ja', 'nee'] as const).map((v) => (
            <div class="choice" key={v}>
              <input type="radio" name="acuut" id={`${FORM}-acuut-${v}`} checked={acute === v} onChange={() => setAcute(v)} />
              <label for={`${FORM}-acuut-${v}`}>{v === 'ja' ? 'Ja, acuut gevaar' : 'Nee'}</label>
            </div>
          ))}
        </fieldset>

        <fieldset class="group">
          <legend>Melder</legend>
          <fieldset class="choices inline" id={fieldId(FORM, 'reporter.professional')} tabIndex={-1} aria-describedby={described('reporter.professional')}>
            <legend>Soort melder</legend>
            <ErrorText path="reporter.professional" />
            {(['ja', 'nee'] as const).map((v) => (
              <div class="choice" key={v}>
                <input type="radio" name="professional" id={`${FORM}-professional-${v}`} checked={professional === v} onChange={() => setProfessional(v)} />
                <label for={`${FORM}-professional-${v}`}>{v === 'ja' ? 'Professional' : 'Niet-professional (burger)'}</label>
              </div>
            ))}
          </fieldset>
          {professional === 'ja' ? (
            <div class="field">
              <label for={fieldId(FORM, 'reporter.sector')}>Sector</label>
              <ErrorText path="reporter.sector" />
              <select id={fieldId(FORM, 'reporter.sector')} value={sector} aria-invalid={invalid('reporter.sector')} aria-describedby={described('reporter.sector')} onChange={(e) => setSector(e.currentTarget.value)}>
                <option value="">Kies…</option>
                {Object.entries(config.labels.melderSectors).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
              </select>
            </div>
          ) : null}
          <div class="field choice">
            <input type="checkbox" id={fieldId(FORM, 'reporter.anonymous')} checked={anonymous} aria-describedby={described('reporter.anonymous')} onChange={(e) => setAnonymous(e.currentTarget.checked)} />
            <label for={fieldId(FORM, 'reporter.anonymous')}>Anoniem (geen naam of contact bekend)</label>
            <ErrorText path="reporter.anonymous" />
          </div>
          <div class="field choice">
            <input type="checkbox" id={fieldId(FORM, 'reporter.shielded')} checked={shielded} onChange={(e) => setShielded(e.currentTarget.checked)} />
            <label for={fieldId(FORM, 'reporter.shielded')}>Afgeschermd: naam en contact alleen voor medewerkers op de zaak (versleuteld)</label>
          </div>
          {!anonymous ? (
            <div class="form-grid">
              <div class="field">
                <label for={fieldId(FORM, 'reporter.name')}>Naam melder <span class="optional">(optioneel)</span></label>
                <ErrorText path="reporter.name" />
                <input id={fieldId(FORM, 'reporter.name')} type="text" autoComplete="off" maxLength={200} value={melderName} onInput={(e) => setMelderName(e.currentTarget.value)} />
              </div>
              <div class="field">
                <label for={fieldId(FORM, 'reporter.contact')}>Contact melder <span class="optional">(optioneel)</span></label>
                <ErrorText path="reporter.contact" />
                <input id={fieldId(FORM, 'reporter.contact')} type="text" autoComplete="off" maxLength={300} value={melderContact} onInput={(e) => setMelderContact(e.currentTarget.value)} />
              </div>
            </div>
          ) : null}
        </fieldset>

        <fieldset class="group" id={fieldId(FORM, 'persons')} tabIndex={-1}>
          <legend>Betrokken personen</legend>
          <ErrorText path="persons" />
          {persons.map((p, i) => {
            const path = (f: string) => `persons.${i}.${f}`;
            return (
              <fieldset class="group person" key={p.key}>
                <legend>Persoon {i + 1}</legend>
                <div class="form-grid">
                  <div class="field">
                    <label for={fieldId(FORM, path('role'))}>Rol</label>
                    <ErrorText path={path('role')} />
                    <select id={fieldId(FORM, path('role'))} value={p.role} onChange={(e) => updatePerson(p.key, { role: e.currentTarget.value })}>
                      {entries(ROLE_OPTIONS).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
                    </select>
                  </div>
                  <div class="field">
                    <label for={fieldId(FORM, path('name'))}>Naam</label>
                    <ErrorText path={path('name')} />
                    <input id={fieldId(FORM, path('name'))} type="text" autoComplete="off" maxLength={200} value={p.name} aria-invalid={invalid(path('name'))} aria-describedby={described(path('name'))} onInput={(e) => updatePerson(p.key, { name: e.currentTarget.value })} />
                  </div>
                  <div class="field">
                    <label for={fieldId(FORM, path('birthDate'))}>Geboortedatum <span class="optional">(optioneel)</span></label>
                    <ErrorText path={path('birthDate')} />
                    <input id={fieldId(FORM, path('birthDate'))} type="date" value={p.birthDate} aria-invalid={invalid(path('birthDate'))} aria-describedby={described(path('birthDate'))} onInput={(e) => updatePerson(p.key, { birthDate: e.currentTarget.value })} />
                  </div>
                  <div class="field">
                    <label for={fieldId(FORM, path('bsn'))}>BSN <span class="optional">(optioneel)</span></label>
                    <ErrorText path={path('bsn')} />
                    <input id={fieldId(FORM, path('bsn'))} type="text" inputMode="numeric" autoComplete="off" maxLength={9} value={p.bsn} aria-invalid={invalid(path('bsn'))} aria-describedby={described(path('bsn'))} onInput={(e) => updatePerson(p.key, { bsn: e.currentTarget.value })} />
                  </div>
                </div>
                <fieldset class="choices compact">
                  <legend>Kwetsbaarheid <span class="optional">(optioneel)</span></legend>
                  {entries(VULNERABILITY_OPTIONS).map(([code, label]) => {
                    const id = `${fieldId(FORM, path('vulnerabilities'))}-${code}`;
                    return (
                      <div class="choice" key={code}>
                        <input type="checkbox" id={id} checked={p.vulnerabilities.includes(code)} onChange={(e) => updatePerson(p.key, { vulnerabilities: e.currentTarget.checked ? [...p.vulnerabilities, code] : p.vulnerabilities.filter((v) => v !== code) })} />
                        <label for={id}>{label}</label>
                      </div>
                    );
                  })}
                </fieldset>
                {persons.length > 1 ? (
                  <button type="button" class="secondary" onClick={() => setPersons((ps) => ps.filter((x) => x.key !== p.key))}>Persoon {i + 1} verwijderen</button>
                ) : null}
              </fieldset>
            );
          })}
          <button type="button" class="secondary" onClick={() => setPersons((ps) => [...ps, { key: Math.max(0, ...ps.map((x) => x.key)) + 1, role: 'ouder', name: '', birthDate: '', bsn: '', vulnerabilities: [] }])}>
            Persoon toevoegen
          </button>
        </fieldset>

        <div class="field">
          <label for={fieldId(FORM, 'summary')}>Samenvatting van de melding</label>
          <ErrorText path="summary" />
          <textarea id={fieldId(FORM, 'summary')} rows={5} maxLength={20000} value={summary} aria-invalid={invalid('summary')} aria-describedby={described('summary')} onInput={(e) => setSummary(e.currentTarget.value)} />
        </div>
        <button type="submit" disabled={busy}>{busy ? 'Bezig met registreren…' : 'Melding registreren'}</button>
      </form>
    </>
  );
}
