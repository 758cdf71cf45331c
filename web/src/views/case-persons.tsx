import type { CaseView } from '../api';
import { actionLabel, enumLabel } from '../form-labels';
import { formatDate } from '../labels';
import type { OpenForm } from './case-actions';

const yesNo = (b: boolean) => (b ? 'ja' : 'nee');
const duty = (d: { given: boolean } | null) => (d ? (d.given ? 'gegeven' : 'niet gegeven (reden)') : 'nog niet vastgelegd');

/**
 * The case's persons and monitoring contacts, each with the record-keeping actions that concern it; the action opens
 * the same form generated from the event's schema, with the person or contact already chosen.
 */
export function PersonsPanel({ c, allowed, onOpen }: { c: CaseView; allowed: string[]; onOpen: (form: OpenForm) => void }) {
  const may = (type: string) => allowed.includes(type);
  const action = (type: string, initial: Record<string, unknown>, about: string) =>
    may(type) ? (
      <button type="button" class="secondary small" onClick={() => onOpen({ type, initial })}>
        {actionLabel(type)}<span class="visually-hidden"> voor {about}</span>
      </button>
    ) : null;

  return (
    <section aria-labelledby="personen-kop" class="panel">
      <h2 id="personen-kop">Personen en contacten</h2>
      <table data-testid="persons">
        <caption class="visually-hidden">Betrokken personen, met contact en ketenpartner</caption>
        <thead>
          <tr><th scope="col">Persoon</th><th scope="col">Geboren</th><th scope="col">Contact / ketenpartner</th><th scope="col"><span class="visually-hidden">Acties</span></th></tr>
        </thead>
        <tbody>
          {c.persons.map((p) => {
            const about = `persoon ${p.ordinal}`;
            return (
              <tr key={p.id} data-person-id={p.id}>
                <th scope="row">{p.ordinal}. {p.name} <span class="meta">({enumLabel('role', p.role)}{p.vulnerabilities.length > 0 ? ', kwetsbaar' : ''})</span></th>
                <td>{p.birthDate ? formatDate(p.birthDate) : 'onbekend'}</td>
                <td>
                  {p.role === 'kind' ? (
                    p.childContact ? (
                      <span>gezien: {yesNo(p.childContact.seen || p.childContact.reasonNotSeen)}{p.childContact.reasonNotSeen ? ' (reden)' : ''}, gesproken: {yesNo(p.childContact.spoken || p.childContact.reasonNotSpoken)}{p.childContact.reasonNotSpoken ? ' (reden)' : ''}</span>
                    ) : (
                      <span>nog geen contact</span>
                    )
                  ) : null}
                  {p.vulnerabilities.length > 0 ? <span> ketenpartner: {p.chainPartnerRecorded ? 'vastgelegd' : 'nog niet'}</span> : null}
                  <span> informatie eerste contact: {duty(p.firstContactInformation)}</span>
                  <span> vertrouwenspersoon: {duty(p.vertrouwenspersoonInformation)}</span>
                  {p.householdMember ? <span> veiligheid: {p.memberSafety ? (p.memberSafety.safety ? enumLabel('safety', p.memberSafety.safety) : 'niet beoordeeld (reden)') : 'nog niet beoordeeld'}</span> : null}
                </td>
                <td class="row-actions">
                  {p.role === 'kind' ? action('CHILD_CONTACT_RECORDED', { personId: p.id }, about) : null}
                  {action('CHAIN_PARTNER_RECORDED', { personId: p.id }, about)}
                  {action('FIRST_CONTACT_INFORMATION_RECORDED', { personId: p.id }, about)}
                  {action('VERTROUWENSPERSOON_INFORMATION_RECORDED', { personId: p.id }, about)}
                  {p.householdMember ? action('MEMBER_SAFETY_ASSESSED', { personId: p.id }, about) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class="meta">
        Informeel netwerk: {c.informalNetworkRecorded ? 'vastgelegd' : 'nog niet vastgelegd'} · Veiligheidsplan: {c.safetyPlanRecorded ? 'vastgelegd' : 'nog niet vastgelegd'}
      </p>
      <h3>Monitoringscontacten</h3>
      {c.monitoringContacts.length === 0 ? (
        <p>Geen monitoringscontacten gepland.</p>
      ) : (
        <ul class="contacts">
          {c.monitoringContacts.map((m) => (
            <li key={m.id}>
              Gepland op {formatDate(m.plannedFor)}: {m.heldAt ? `gehouden ${formatDate(m.heldAt)}${m.positive ? ' (veilig)' : ' (niet veilig)'}` : 'nog niet gehouden'}{' '}
              {m.heldAt ? null : action('MONITORING_CONTACT_HELD', { contactId: m.id }, `het contact van ${formatDate(m.plannedFor)}`)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
