/**
 * What the dashboard repeats or words of the server's rules: its BSN 11-proef must agree with the API's, and every
 * reason the rules and the workspace give must come out in Dutch, with the child or person it is about.
 */
import fc from 'fast-check';
import { isValidBsn as serverBsn } from '../../workflows/reference';
import { chainPartnerReasons, childContactReasons, informalNetworkReasons, initialContext, safetyPlanReasons, type PersistedMelding } from '../../workflows/melding';
import { waitsFor } from '../../src/workspace/waits-for';
import { isValidBsn as webBsn } from '../../web/src/bsn';
import { reasonText, ruleText } from '../../web/src/reasons';
import { BSN_ERROR_MESSAGE } from '../../workflows/reference/bsn';

const settings = { childSpokenFromAge: 6, fourEyes: true };
const AT = '2026-11-24T09:00:00+01:00';

describe('the dashboard’s BSN check', () => {
  it('agrees with the API’s 11-proef on every nine-digit string and on other input', () => {
    fc.assert(fc.property(fc.stringMatching(/^\d{9}$/), (s) => webBsn(s) === serverBsn(s)), { numRuns: 20_000, seed: 18 });
    fc.assert(fc.property(fc.string({ maxLength: 12 }), (s) => webBsn(s) === serverBsn(s)), { numRuns: 5_000, seed: 18 });
    expect(webBsn('111222333')).toBe(true);
    expect(webBsn('111222334')).toBe(false);
    expect(webBsn('000000000')).toBe(false);
  });
});

describe('reasons in Dutch', () => {
  const ctx = initialContext({
    caseId: 'c',
    receivedAt: AT,
    acuteDanger: true,
    melderReachable: true,
    persons: [
      { id: 'p1', role: 'ouder', birthDate: '1980-01-01', vulnerable: true },
      { id: 'k1', role: 'kind', birthDate: '2023-05-01', vulnerable: false },
      { id: 'k2', role: 'kind', birthDate: '2018-05-01', vulnerable: false },
    ],
  });

  it('names the child and age, or the vulnerable person, from the rule’s own reasons', () => {
    const texts = [...childContactReasons(ctx, AT, settings), ...chainPartnerReasons(ctx)].map((r) => reasonText(r));
    expect(texts).toEqual([
      'kind 1 (3 jaar) nog niet gezien, en geen reden vastgelegd',
      'kind 2 (8 jaar) nog niet gezien, en geen reden vastgelegd',
      'kind 2 (8 jaar) nog niet gesproken, en geen reden vastgelegd',
      'kwetsbare persoon 1 heeft geen ketenpartner, en geen reden waarom niet',
    ]);
  });

  it('words every reason the workspace gives, in every open state, without falling back to the API’s English', () => {
    const states = ['veiligheidsbeoordeling', 'besluit_ter_goedkeuring', 'wacht_op_onderzoek', 'onderzoek', 'overdracht', 'monitoring', 'afronding'] as const;
    const withProposal = { ...ctx, safety: 'structureel' as const, proposal: { kind: 'besluit' as const, by: 'alice', at: AT, decisionCode: 'VT-01-01' as const, followUp: null, safety: 'structureel' as const, returnTo: 'veiligheidsbeoordeling' } };
    for (const state of states) {
      const snapshot = { machine: 'melding', version: 2, state, context: withProposal } as unknown as PersistedMelding;
      const reasons = waitsFor(snapshot, AT, settings);
      expect(reasons.length).toBeGreaterThan(0);
      for (const r of reasons) expect(reasonText(r)).not.toBe(r.message);
    }
    for (const r of [...informalNetworkReasons(ctx), ...safetyPlanReasons(ctx, 'acuut')]) expect(reasonText(r)).not.toBe(r.message);
    const pending = { code: 'PROPOSAL_PENDING', message: 'the besluit proposed by alice awaits a second professional' };
    expect(reasonText(pending)).toBe('besluit ter goedkeuring bij een collega');
    expect(reasonText(pending, { mayApprove: true })).toBe('besluit wacht op uw goedkeuring');
  });

  it('words the API’s field rules', () => {
    expect(ruleText(BSN_ERROR_MESSAGE)).toMatch(/geen geldig BSN/);
    expect(ruleText('must not be empty')).toBe('Vul dit veld in.');
    expect(ruleText('must be at most 200 characters')).toBe('Gebruik hoogstens 200 tekens.');
  });
});
