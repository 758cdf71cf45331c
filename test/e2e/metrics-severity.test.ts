import { CaseDriver, staff, type Staff } from './drive';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';

/**
 * Severity is the outcome of the melding's own veiligheidsbeoordeling as decided, counted in the month the melding
 * was received, whenever the decision lands; a herbeoordeling waits from its own start.
 */
describe('municipal metrics: severity as decided, and the wait of a herbeoordeling', () => {
  let t: TestApp;
  let alice: Staff;
  let bob: Staff;
  let gemeente: string;
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-09-30T21:00:00+02:00'), env: { DISCLOSURE_MIN_COUNT: '0', DISCLOSURE_ROUND_TO: '1' } });
    alice = await staff(t, 'alice', 'medewerker', ['team-ijssel']);
    bob = await staff(t, 'bob', 'medewerker', ['team-ijssel']);
    gemeente = await t.token('ana', 'gemeente', { gemeente: 'GM0193' });
  });
  afterAll(async () => t.close());

  const severity = async (query: string) => {
    const body = (await t.request('GET', `/v1/metrics/wachtlijst?gemeente=GM0193&${query}`, gemeente)).json();
    const s = body.periods[0].gemeente.bySeverity as Record<string, { value: number }>;
    return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.value]));
  };
  const kept = async () => (await t.db.selectFrom('metrics_monthly').select('month').orderBy('month').execute()).map((r) => r.month);

  it('a melding received on the last day of a month and assessed in the next shows its severity in its own month, kept and live', async () => {
    const persons = [{ role: 'ouder', name: 'Testouder Een', birthDate: '1985-04-02', bsn: '111222333' }];
    const d = await CaseDriver.register(t, alice, meldingBody({ receivedAt: '2026-09-30T20:00:00+02:00', persons }));

    // Thursday 1 October: September is complete and kept, its melding not yet assessed.
    t.clock.set(new Date('2026-10-01T10:00:00+02:00'));
    expect(await severity('month=2026-09')).toEqual({ acuut: 0, structureel: 0, geen_of_onbeoordeeld: 1 });
    expect(await kept()).toEqual(['2026-09']);

    let c = await d.send(alice, 'INFORMAL_NETWORK_RECORDED', { involved: 'Buurvrouw' }, 'veiligheidsbeoordeling');
    c = await d.send(alice, 'MONITORING_CONTACT_PLANNED', { with: 'wijkteam', plannedFor: '2026-10-30' }, 'veiligheidsbeoordeling');
    const contactId = (c as unknown as { monitoringContacts: Array<{ id: string }> }).monitoringContacts[0]!.id;
    await d.send(alice, 'SAFETY_PLAN_RECORDED', { summary: 'Veiligheidsplan.' }, 'veiligheidsbeoordeling');
    await d.send(alice, 'DECISION_PROPOSED', { safety: 'structureel', code: 'VT-01-02', rationale: 'Overdracht aan het wijkteam.' }, 'besluit_ter_goedkeuring');
    await d.send(bob, 'DECISION_APPROVED', {}, 'overdracht', { at: '2026-10-02T11:00:00+02:00' });
    // The kept September was forgotten in the decision's transaction, and counts the decided severity again.
    expect(await kept()).toEqual([]);
    const decided = { acuut: 0, structureel: 1, geen_of_onbeoordeeld: 0 };
    expect(await severity('month=2026-09')).toEqual(decided);
    expect(await kept()).toEqual(['2026-09']);
    expect(await severity('month=2026-09')).toEqual(decided);
    // Live: the current half-year composed from the kept September and the October being counted.
    expect(await severity('half=2026-H2')).toEqual(decided);
    expect(await severity('month=2026-10')).toEqual({ acuut: 0, structureel: 0, geen_of_onbeoordeeld: 0 });
    // Counted from scratch by the nightly job: the same.
    await t.db.deleteFrom('metrics_monthly').execute();
    await t.services.metrics.countCompleteMonths();
    expect(await severity('month=2026-09')).toEqual(decided);

    // Monitoring finds new worries on Monday 2 November: a herbeoordeling, which later decides "geen".
    await d.send(alice, 'MELDER_FEEDBACK_GIVEN', { moment: 'na_beoordeling' }, 'overdracht');
    await d.send(bob, 'HANDOVER_CONFIRMED', { confirmedBy: 'Wijkteam Zwolle-Noord' }, 'monitoring');
    await d.send(
      alice,
      'MONITORING_CONTACT_HELD',
      { contactId, stepsCarriedOut: false, violenceStopped: false, safetyRestored: false, followUp: 'herbeoordeling', summary: 'Afspraken niet nagekomen.' },
      'veiligheidsbeoordeling',
      { at: '2026-11-02T10:00:00+01:00' },
    );

    // Friday 6 November: one melding waits for its (re)assessment, three werkdagen since the herbeoordeling began,
    // not the 26 since the melding was received.
    t.clock.set(new Date('2026-11-06T12:00:00+01:00'));
    const now = (await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&month=2026-11', gemeente)).json().periods[0].gemeente;
    expect(now.waitingForAssessment.count.value).toBe(1);
    expect(now.waitingForAssessment.pastTerm.value).toBe(0);
    expect(now.waitingForAssessment.ageWerkdagenP50.value).toBeGreaterThanOrEqual(3);
    expect(now.waitingForAssessment.ageWerkdagenP50.value).toBeLessThanOrEqual(4);

    await d.send(alice, 'DECISION_PROPOSED', { safety: 'geen', code: 'VT-01-03', rationale: 'Geen zorgen meer na gesprek.' }, 'besluit_ter_goedkeuring');
    await d.send(bob, 'DECISION_APPROVED', {}, 'afronding');
    const row = await t.db.selectFrom('cases').select(['safety', 'assessed_safety']).where('id', '=', d.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ safety: 'geen', assessed_safety: 'structureel' });
    // The herbeoordeling changes the case, not the severity of the melding as it was assessed in its month.
    expect(await severity('month=2026-09')).toEqual(decided);
  });
});
