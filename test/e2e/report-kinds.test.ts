import { CaseDriver, staff, type Staff } from './drive';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';

/** CBS's kinds of melding: first, hermelding (known from a closed case), vervolgmelding (added to an open case). */
describe('meldingen by kind: eerste, hermelding, vervolgmelding', () => {
  let t: TestApp;
  let alice: Staff;
  let bob: Staff;
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-10-05T10:00:00+02:00') });
    alice = await staff(t, 'alice', 'medewerker', ['team-ijssel']);
    bob = await staff(t, 'bob', 'medewerker', ['team-ijssel']);
  });
  afterAll(async () => t.close());

  const household = (bsn: string) => [{ role: 'ouder', name: 'Testouder Een', birthDate: '1985-04-02', bsn }];
  const getCase = async (id: string) => (await t.request('GET', `/v1/cases/${id}`, alice.token)).json();

  it('links a new melding about a household with an open case to that case, and shows it there', async () => {
    const open = await CaseDriver.register(t, alice, meldingBody({ receivedAt: '2026-10-05T09:00:00+02:00', persons: household('123456782') }));
    expect(await getCase(open.id)).toMatchObject({ reportKind: 'eerste', linkedCaseId: null, vervolgmeldingen: [] });
    t.clock.advance(3_600_000);
    const next = await CaseDriver.register(t, alice, meldingBody({ receivedAt: '2026-10-05T10:30:00+02:00', persons: household('123456782') }));
    expect(await getCase(next.id)).toMatchObject({ reportKind: 'vervolgmelding', linkedCaseId: open.id, reReport: true });
    expect((await getCase(open.id)).vervolgmeldingen).toEqual([{ caseId: next.id, receivedAt: '2026-10-05T08:30:00.000Z' }]);
    const history = (await t.request('GET', `/v1/cases/${next.id}/history`, alice.token)).json();
    expect(history.items[0].payload.vervolgmeldingOf).toBe(open.id);
  });

  it('counts a melding about persons of a closed case as a hermelding, not linked', async () => {
    const first = await CaseDriver.register(t, alice, meldingBody({ receivedAt: '2026-10-05T09:00:00+02:00', persons: household('111222333') }));
    await first.send(alice, 'INFORMAL_NETWORK_RECORDED', { involved: 'Buurvrouw' }, 'veiligheidsbeoordeling');
    await first.send(alice, 'DECISION_PROPOSED', { safety: 'geen', code: 'VT-01-03', rationale: 'Geen zorgen na gesprek.' }, 'besluit_ter_goedkeuring');
    await first.send(bob, 'DECISION_APPROVED', {}, 'afronding');
    await first.send(alice, 'MELDER_FEEDBACK_GIVEN', { moment: 'na_beoordeling' }, 'afronding');
    await first.send(alice, 'CLOSURE_PROPOSED', { rationale: 'Geen zorgen.' }, 'afsluiting_ter_goedkeuring');
    await first.send(bob, 'CLOSURE_APPROVED', {}, 'afgesloten');
    t.clock.advance(86_400_000);
    const again = await CaseDriver.register(t, alice, meldingBody({ receivedAt: t.clock.now().toISOString(), persons: household('111222333') }));
    expect(await getCase(again.id)).toMatchObject({ reportKind: 'hermelding', linkedCaseId: null });
    const unknown = await CaseDriver.register(t, alice, meldingBody({ receivedAt: t.clock.now().toISOString(), persons: [{ role: 'ouder', name: 'Zonder Bsn', birthDate: '1980-01-01' }] }));
    expect(await getCase(unknown.id)).toMatchObject({ reportKind: 'eerste', linkedCaseId: null });
  });
});
