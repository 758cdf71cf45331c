import { addYears, anonymisedPersons, destructionDate, isDue, redactEventPayload, redactPayload, DEFAULT_RETENTION_SETTINGS } from '../../workflows/retention/retention-policy';
import { CASE_HISTORY_EVENT_TYPES, MELDING_EVENT_TYPES, RECORD_EVENT_TYPES } from '../../workflows/melding';

const S = DEFAULT_RETENTION_SETTINGS;
const kind = (birthDate: string | null) => ({ role: 'kind' as const, birthDate });

describe('retention policy', () => {
  it('adds years to local dates; 29 February rolls to 1 March in a year without one', () => {
    expect(addYears('2026-11-23', 20)).toBe('2046-11-23');
    expect(addYears('2024-02-29', 20)).toBe('2044-02-29');
    expect(addYears('2008-02-29', 18)).toBe('2026-03-01');
    expect(addYears('2000-02-29', 100)).toBe('2100-03-01');
    expect(() => addYears('23-11-2026', 1)).toThrow(/local date/);
  });

  it('keeps a dossier 20 years after closure, and never before the youngest child is 18', () => {
    expect(destructionDate('2026-11-23', [], S)).toEqual({ destroyOn: '2046-11-23', rule: 'closure_term' });
    expect(destructionDate('2026-11-23', [{ role: 'ouder', birthDate: '1980-01-01' }], S)).toEqual({ destroyOn: '2046-11-23', rule: 'closure_term' });
    expect(destructionDate('2026-11-23', [kind('2017-06-15'), kind('2010-01-01')], S)).toEqual({ destroyOn: '2046-11-23', rule: 'closure_term' });
    const short = { years: 5, minAgeOfYoungestChild: 18 };
    expect(destructionDate('2026-11-23', [kind('2010-01-01'), kind('2017-06-15')], short)).toEqual({ destroyOn: '2035-06-15', rule: 'youngest_child' });
    // The youngest child decides, not the first or the oldest.
    expect(destructionDate('2026-11-23', [kind('2017-06-15'), kind('2020-03-03'), kind('2012-01-01')], short).destroyOn).toBe('2038-03-03');
    // A child turning 18 on the very last day of the term does not move it.
    expect(destructionDate('2026-11-23', [kind('2013-11-23')], short)).toEqual({ destroyOn: '2031-11-23', rule: 'closure_term' });
    expect(destructionDate('2026-11-23', [kind('2013-11-24')], short)).toEqual({ destroyOn: '2031-11-24', rule: 'youngest_child' });
  });

  it('takes a child of unknown birth date as born on the day of closure at the latest', () => {
    const short = { years: 5, minAgeOfYoungestChild: 18 };
    expect(destructionDate('2026-11-23', [kind(null)], short)).toEqual({ destroyOn: '2044-11-23', rule: 'youngest_child' });
    expect(destructionDate('2026-11-23', [kind(null)], S)).toEqual({ destroyOn: '2046-11-23', rule: 'closure_term' });
  });

  it('is due from its date on, unless held', () => {
    expect(isDue('2046-11-23', '2046-11-22', false)).toBe(false);
    expect(isDue('2046-11-23', '2046-11-23', false)).toBe(true);
    expect(isDue('2046-11-23', '2050-01-01', true)).toBe(false);
    expect(isDue(null, '2050-01-01', false)).toBe(false);
  });

  it('redacts every free-text value of a history payload and keeps codes, ids, dates, booleans and numbers', () => {
    const id = '3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b';
    const { payload, removed } = redactPayload({
      text: 'Gesprek met Jan Jansen',
      safety: 'structureel',
      code: 'VT-01-02',
      personId: id,
      contactDate: '2026-11-20',
      seen: true,
      werkdagen: 3,
      gemeente: 'GM0193',
      violenceTypes: ['kindermishandeling', 'Jan'],
      persons: [id],
      nested: { with: 'oma Jansen', followUp: 'doorgaan', at: '2026-11-20T10:00:00.000Z' },
      adviesId: null,
    });
    expect(payload).toEqual({
      safety: 'structureel',
      code: 'VT-01-02',
      personId: id,
      contactDate: '2026-11-20',
      seen: true,
      werkdagen: 3,
      gemeente: 'GM0193',
      violenceTypes: ['kindermishandeling'],
      persons: [id],
      nested: { followUp: 'doorgaan', at: '2026-11-20T10:00:00.000Z' },
      adviesId: null,
    });
    expect(removed).toBe(3);
    expect(redactPayload({ reason: 'Strafzaak tegen P. de Vries' })).toEqual({ payload: {}, removed: 1 });
    expect(redactPayload({ stepsCarriedOut: true, violenceStopped: false, safetyRestored: true })).toEqual({ payload: { stepsCarriedOut: true, violenceStopped: false, safetyRestored: true }, removed: 0 });
  });

  it('redacts a history row by the closed list of history event types: an unknown type keeps nothing', () => {
    expect(new Set(CASE_HISTORY_EVENT_TYPES).size).toBe(MELDING_EVENT_TYPES.length + RECORD_EVENT_TYPES.length);
    expect(redactEventPayload('LEGAL_HOLD_PLACED', { reason: 'Strafzaak', at: '2026-11-20' })).toEqual({ payload: { at: '2026-11-20' }, removed: 1 });
    expect(redactEventPayload('DECISION_APPROVED', { code: 'VT-00' })).toEqual({ payload: { code: 'VT-00' }, removed: 0 });
    expect(redactEventPayload('SOMETHING_NEW', { code: 'VT-00', seen: true })).toEqual({ payload: {}, removed: 2 });
  });

  it('keeps role and vulnerability of persons in the snapshot, with birth dates at month grain', () => {
    expect(anonymisedPersons([{ id: 'p1', role: 'kind', birthDate: '2017-06-15', vulnerable: false }, { id: 'p2', role: 'oudere', birthDate: null, vulnerable: true }])).toEqual([
      { id: 'p1', role: 'kind', birthDate: '2017-06-01', vulnerable: false },
      { id: 'p2', role: 'oudere', birthDate: null, vulnerable: true },
    ]);
  });
});
