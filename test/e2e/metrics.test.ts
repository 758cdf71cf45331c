import { apiError } from '../support/api-error';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { PLAN } from '../support/plan-van-aanpak';

type Fig = { value: number | null; suppressed: boolean };

/** Registers n meldingen at `receivedAt` (clock set just after), optionally with extra violence types. */
async function register(t: TestApp, token: string, n: number, receivedAt: string, gemeente: string, types: string[] = ['kindermishandeling']) {
  t.clock.set(new Date(new Date(receivedAt).getTime() + 3_600_000));
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await t.request('POST', '/v1/meldingen', token, meldingBody({ receivedAt, gemeente, violenceTypes: types }));
    expect(res.statusCode).toBe(201);
    ids.push(res.json().id);
  }
  return ids;
}

/** Decides "no further steps" (VT-01-03, no unsafety) at `at`: proposed by alice, approved by bob. */
async function assess(t: TestApp, alice: string, bob: string, ids: string[], at: string) {
  t.clock.set(new Date(at));
  for (const id of ids) {
    const p = await t.request('POST', `/v1/cases/${id}/events`, alice, { type: 'DECISION_PROPOSED', expectedVersion: 1, safety: 'geen', code: 'VT-01-03', rationale: 'Geen zorgen na gesprek.' });
    expect(p.statusCode).toBe(200);
    const a = await t.request('POST', `/v1/cases/${id}/events`, bob, { type: 'DECISION_APPROVED', expectedVersion: 2 });
    expect(a.statusCode).toBe(200);
  }
}

async function fixture(t: TestApp) {
  const alice = await t.token('alice', 'medewerker', { teams: ['team-ijssel'] });
  const bob = await t.token('bob', 'medewerker', { teams: ['team-ijssel'] });
  // Zwolle, Monday 5 October 2026: 8 meldingen of child abuse, 4 of child abuse and partner violence.
  const zwolle = [
    ...(await register(t, alice, 8, '2026-10-05T10:00:00+02:00', 'GM0193')),
    ...(await register(t, alice, 4, '2026-10-05T10:00:00+02:00', 'GM0193', ['partnergeweld', 'kindermishandeling'])),
  ];
  // Kampen, Monday 12 October: 3 meldingen, never assessed.
  await register(t, alice, 3, '2026-10-12T10:00:00+02:00', 'GM0166');
  // Two adviezen in Zwolle on 6 October, one about partner violence and child abuse.
  t.clock.set(new Date('2026-10-06T12:00:00+02:00'));
  for (const violenceTypes of [['partnergeweld', 'kindermishandeling'], ['ouderenmishandeling']]) {
    const body = { receivedAt: '2026-10-06T11:00:00+02:00', gemeente: 'GM0193', violenceTypes, caller: { professional: true, sector: 'huisarts' }, summary: 'Huisarts vraagt advies (synthetisch).' };
    expect((await t.request('POST', '/v1/adviezen', alice, body)).statusCode).toBe(201);
  }
  // Six assessed on 7 October (in time: due end of 12 October), two on 20 October (late).
  await assess(t, alice, bob, zwolle.slice(0, 6), '2026-10-07T11:00:00+02:00');
  await assess(t, alice, bob, zwolle.slice(6, 8), '2026-10-20T11:00:00+02:00');
  t.clock.set(new Date('2026-11-23T09:00:00+01:00'));
}

describe('municipal metrics: exact figures before disclosure control (minCount 0, roundTo 1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { DISCLOSURE_MIN_COUNT: '0', DISCLOSURE_ROUND_TO: '1' } });
    await fixture(t);
  });
  afterAll(async () => t.close());

  it('matches the hand-computed fixture for October 2026', async () => {
    const zwolleToken = await t.token('ana', 'gemeente', { gemeente: 'GM0193' });
    const res = await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&month=2026-10', zwolleToken);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const [oct] = body.months;
    const v = (f: Fig) => f.value;
    expect(oct.month).toBe('2026-10');
    expect(oct.asOf).toBe('2026-10-31T23:00:00.000Z');
    const z = oct.gemeente;
    expect(v(z.received)).toBe(12);
    expect(v(z.byViolenceType.kindermishandeling)).toBe(12);
    expect(v(z.byViolenceType.partnergeweld)).toBe(4);
    // Zwolle's report (over 100,000 inhabitants: the 'uitgebreid' plan): no unsafety found or not yet assessed, one category.
    expect(body.gemeenteCategories.detail).toBe('uitgebreid');
    expect(v(z.bySeverity.geen_of_onbeoordeeld)).toBe(12);
    expect(v(z.bySeverity.structureel)).toBe(0);
    expect(v(z.byMelderType.jeugd_onderwijs)).toBe(12);
    // The ouder's BSN recurs while the first case is open: one first melding, eleven vervolgmeldingen added to it.
    expect(v(z.byReport.eerste)).toBe(1);
    expect(v(z.byReport.vervolgmelding)).toBe(11);
    expect(v(z.byReport.hermelding)).toBe(0);
    // Type × severity as assessed: the eight child-abuse-only meldingen were assessed "geen", the four with partner violence not yet.
    expect(v(z.byViolenceTypeAndSeverity.kindermishandeling.geen_of_onbeoordeeld)).toBe(12);
    expect(v(z.byViolenceTypeAndSeverity.partnergeweld.geen_of_onbeoordeeld)).toBe(4);
    expect(v(z.byViolenceTypeAndSeverity.partnergeweld.structureel)).toBe(0);
    expect(v(z.adviezen.count)).toBe(2);
    expect(v(z.adviezen.byViolenceType.partnergeweld)).toBe(1);
    expect(v(z.adviezen.byViolenceType.ouderenmishandeling)).toBe(1);
    expect(v(oct.region.adviezen.count)).toBe(2);
    // Four waiting at the end of October, all past the 5-werkdagen term; 19 werkdagen old (6–30 October).
    expect(v(z.waitingForAssessment.count)).toBe(4);
    expect(v(z.waitingForAssessment.pastTerm)).toBe(4);
    expect(z.waitingForAssessment.ageWerkdagenP50.value).toBe(19);
    expect(z.waitingForAssessment.ageWerkdagenP90.value).toBe(19);
    expect(v(z.assessedWithinTerm.assessed)).toBe(8);
    expect(v(z.assessedWithinTerm.withinTerm)).toBe(6);
    expect(z.assessedWithinTerm.share.value).toBe(0.75);
    expect(z.assessedWithinTerm.norm).toBe(0.9);
    expect(v(z.onderzoekenWithinTerm.finished)).toBe(0);
    expect(v(z.handovers)).toBe(0);
    const r = oct.region;
    expect(v(r.received)).toBe(15);
    expect(v(r.waitingForAssessment.count)).toBe(7);
    // Region ages: Kampen's three are 14 werkdagen old (13–30 October), Zwolle's four 19.
    expect(r.waitingForAssessment.ageWerkdagenP50.value).toBe(19);
    expect(v(r.byReport.vervolgmelding)).toBe(14);
  });

  it('composes quarters, half-years and years from the counts of their months, flows summed and stocks at the end', async () => {
    const token = await t.token('ana', 'gemeente', { gemeente: 'GM0193' });
    const half = (await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&half=2026-H2', token)).json();
    expect(half.period).toBe('half');
    expect(half.months).toEqual([]);
    const [h2] = half.periods;
    expect(h2).toMatchObject({ period: '2026-H2', kind: 'half', firstMonth: '2026-07', lastMonth: '2026-12', complete: false });
    expect(h2.gemeente.received.value).toBe(12);
    expect(h2.gemeente.assessedWithinTerm.assessed.value).toBe(8);
    // Waiting now (23 November), not the sum of the month ends: the same four, 35 werkdagen old by now.
    expect(h2.gemeente.waitingForAssessment.count.value).toBe(4);
    expect(h2.region.received.value).toBe(15);
    const quarters = (await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&from=2026-Q3&to=2026-Q4', token)).json();
    expect(quarters.periods.map((p: { period: string }) => p.period)).toEqual(['2026-Q3', '2026-Q4']);
    expect(quarters.periods[0].gemeente.received.value).toBe(0);
    expect(quarters.periods[0].complete).toBe(true);
    expect(quarters.periods[1].gemeente.received.value).toBe(12);
    const year = (await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&year=2026', token)).json();
    expect(year.periods[0].gemeente.received.value).toBe(12);
    const mixed = await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&from=2026-H1&to=2026-Q4', token);
    expect(mixed.statusCode).toBe(400);
    expect(apiError(mixed.json()).issues[0]).toEqual({ field: 'to', rule: 'must be a period of the same kind as from (half)' });
  });

  it('answers the same figures as CSV', async () => {
    const token = await t.token('ana', 'gemeente', { gemeente: 'GM0193' });
    const json = (await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&month=2026-10', token)).json();
    const csvRes = await t.app.inject({ method: 'GET', url: '/v1/metrics/wachtlijst?gemeente=GM0193&month=2026-10', headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } });
    expect(csvRes.headers['content-type']).toContain('text/csv');
    const rows = csvRes.body.trim().split('\r\n').map((l) => l.split(','));
    expect(rows[0]).toEqual(['section', 'period', 'scope', 'figure', 'value', 'suppressed']);
    const find = (scope: string, figure: string) => rows.find((row) => row[0] === 'month' && row[2] === scope && row[3] === figure);
    expect(find('GM0193', 'received.value')).toBeUndefined();
    expect(find('GM0193', 'received')?.[4]).toBe(String(json.months[0].gemeente.received.value));
    expect(find('GM0193', 'waitingForAssessment.count')?.[4]).toBe('4');
    expect(find('REGIO', 'received')?.[4]).toBe('15');
    expect(find('GM0193', 'assessedWithinTerm.share')?.[4]).toBe('0.75');
  });
});

describe('municipal metrics: complete months are counted once and kept', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { DISCLOSURE_MIN_COUNT: '0', DISCLOSURE_ROUND_TO: '1' } });
    await fixture(t);
  });
  afterAll(async () => t.close());

  const kept = async () => (await t.db.selectFrom('metrics_monthly').select(['month', 'counts']).orderBy('month').execute()).map((r) => r.month);

  it('keeps a complete month on first request, never the current one, and serves the same figures from it', async () => {
    const token = await t.token('ana', 'gemeente', { gemeente: 'GM0193' });
    const first = (await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&from=2026-10&to=2026-11', token)).json();
    expect(await kept()).toEqual(['2026-10']);
    const again = (await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&from=2026-10&to=2026-11', token)).json();
    expect(again.months).toEqual(first.months);
    expect(again.months[0].gemeente.received.value).toBe(12);
  });

  it('forgets the month of a melding registered late, and later months, so the count includes it', async () => {
    const alice = await t.token('alice', 'medewerker', { teams: ['team-ijssel'] });
    const token = await t.token('ana', 'gemeente', { gemeente: 'GM0193' });
    await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&from=2026-08&to=2026-10', token);
    expect(await kept()).toEqual(['2026-08', '2026-09', '2026-10']);
    // Registered on 23 November, received on 30 September.
    const late = await t.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt: '2026-09-30T16:00:00+02:00', gemeente: 'GM0193' }));
    expect(late.statusCode).toBe(201);
    expect(await kept()).toEqual(['2026-08']);
    const body = (await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&from=2026-09&to=2026-10', token)).json();
    expect(body.months[0].gemeente.received.value).toBe(1);
    expect(body.months[1].gemeente.received.value).toBe(12);
  });

  it('the nightly job counts the complete months of the last three years that are not kept yet', async () => {
    const result = await t.services.metrics.countCompleteMonths();
    expect(result).toBe(33);
    expect((await kept()).length).toBe(36);
    expect((await kept())[0]).toBe('2023-11');
    expect(await t.services.metrics.countCompleteMonths()).toBe(0);
  });
});

describe('municipal metrics: waiting for an onderzoek to start (exact figures)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { DISCLOSURE_MIN_COUNT: '0', DISCLOSURE_ROUND_TO: '1' } });
  });
  afterAll(async () => t.close());

  it('counts meldingen decided for an onderzoek that has not started, with how long they wait, month by month', async () => {
    const alice = await t.token('alice', 'medewerker', { teams: ['team-ijssel'] });
    const bob = await t.token('bob', 'medewerker', { teams: ['team-ijssel'] });
    // Deventer, Monday 5 October 2026: three meldingen, decided for an onderzoek on Wednesday 7 October.
    const ids = await register(t, alice, 3, '2026-10-05T10:00:00+02:00', 'GM0150');
    t.clock.set(new Date('2026-10-07T11:00:00+02:00'));
    for (const id of ids) {
      const p = await t.request('POST', `/v1/cases/${id}/events`, alice, { type: 'DECISION_PROPOSED', expectedVersion: 1, safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek nodig.' });
      expect(p.statusCode).toBe(200);
      const a = await t.request('POST', `/v1/cases/${id}/events`, bob, { type: 'DECISION_APPROVED', expectedVersion: 2 });
      expect(a.json().state).toBe('wacht_op_onderzoek');
    }
    // One onderzoek starts on 14 October; a second on 3 November.
    t.clock.set(new Date('2026-10-14T09:00:00+02:00'));
    expect((await t.request('POST', `/v1/cases/${ids[0]}/events`, alice, { type: 'ONDERZOEK_STARTED', expectedVersion: 3, ...PLAN })).json().state).toBe('onderzoek');
    t.clock.set(new Date('2026-11-03T09:00:00+01:00'));
    expect((await t.request('POST', `/v1/cases/${ids[1]}/events`, alice, { type: 'ONDERZOEK_STARTED', expectedVersion: 3, ...PLAN })).statusCode).toBe(200);
    t.clock.set(new Date('2026-11-23T09:00:00+01:00'));

    const token = await t.token('ana', 'gemeente', { gemeente: 'GM0193' });
    const res = await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0150&from=2026-09&to=2026-11', token);
    expect(res.statusCode).toBe(200);
    const [sep, oct, nov] = res.json().months;
    expect(sep.gemeente.waitingForOnderzoekStart.count.value).toBe(0);
    // End of October: two still waiting, 17 werkdagen since the decision (8–30 October); all three onderzoeken open.
    // Both past their start term (five days after receipt, art. 4.1.7 lid 1) at the end of October.
    expect(oct.gemeente.waitingForOnderzoekStart).toEqual({
      count: { value: 2, suppressed: false },
      pastTerm: { value: 2, suppressed: false },
      waitedWerkdagenP50: { value: 17, suppressed: false },
      waitedWerkdagenP90: { value: 17, suppressed: false },
    });
    expect(oct.gemeente.openOnderzoeken.count.value).toBe(3);
    expect(oct.region.waitingForOnderzoekStart.count.value).toBe(2);
    // As of Monday 23 November 09:00: one still waiting since 7 October (8 October – 23 November: 33 werkdagen begun).
    expect(nov.gemeente.waitingForOnderzoekStart.count.value).toBe(1);
    expect(nov.gemeente.waitingForOnderzoekStart.pastTerm.value).toBe(1);
    expect(nov.gemeente.waitingForOnderzoekStart.waitedWerkdagenP50.value).toBe(33);
    expect(nov.asOf).toBe('2026-11-23T08:00:00.000Z');
  });
});

describe('municipal metrics: onderzoek terms from the decision and from receipt, running ones failing when they pass', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { DISCLOSURE_MIN_COUNT: '0', DISCLOSURE_ROUND_TO: '1' } });
  });
  afterAll(async () => t.close());

  it('counts each onderzoek term in the month it was met in time, or in the month its end passed', async () => {
    const alice = await t.token('alice', 'medewerker', { teams: ['team-ijssel'] });
    const bob = await t.token('bob', 'medewerker', { teams: ['team-ijssel'] });
    // Deventer, received Monday 1 June 2026: ten weeks from receipt end Monday 10 August. Decided 1 July: the
    // statutory ten weeks (from the decision) end Wednesday 9 September.
    const [a, b, c] = await register(t, alice, 3, '2026-06-01T10:00:00+02:00', 'GM0150');
    const send = async (id: string, who: string, version: number, body: Record<string, unknown>) => {
      const res = await t.request('POST', `/v1/cases/${id}/events`, who, { ...body, expectedVersion: version });
      expect(res.statusCode).toBe(200);
    };
    t.clock.set(new Date('2026-07-01T10:00:00+02:00'));
    for (const id of [a!, b!, c!]) {
      await send(id, alice, 1, { type: 'DECISION_PROPOSED', safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek nodig.' });
      await send(id, bob, 2, { type: 'DECISION_APPROVED' });
      await send(id, alice, 3, { type: 'ONDERZOEK_STARTED', ...PLAN });
    }
    const conclude = async (id: string, at: string) => {
      t.clock.set(new Date(at));
      await send(id, alice, 4, { type: 'ONDERZOEK_CONCLUSION_PROPOSED', safety: 'geen', followUp: 'afsluiten', outcomes: { kindermishandeling: 'niet_bevestigd' }, conclusion: 'Zorgen weggenomen.' });
      await send(id, bob, 5, { type: 'ONDERZOEK_CONCLUSION_APPROVED' });
    };
    // A ends in July, within both; C on 20 August: past ten weeks from receipt, within the statutory term; B runs on.
    await conclude(a!, '2026-07-20T10:00:00+02:00');
    await conclude(c!, '2026-08-20T10:00:00+02:00');
    t.clock.set(new Date('2026-10-05T09:00:00+02:00'));

    const token = await t.token('ana', 'gemeente', { gemeente: 'GM0193' });
    const res = await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0150&from=2026-07&to=2026-09', token);
    expect(res.statusCode).toBe(200);
    const terms = (m: { gemeente: { onderzoekTerms: Record<string, Record<string, Fig | number | null>> } }) =>
      Object.fromEntries(
        Object.entries(m.gemeente.onderzoekTerms).map(([k, v]) => [k, { counted: (v.counted as Fig).value, withinTerm: (v.withinTerm as Fig).value, failing: (v.failing as Fig).value }]),
      );
    const [jul, aug, sep] = res.json().months;
    expect(terms(jul)).toEqual({ statutory: { counted: 1, withinTerm: 1, failing: 0 }, fromReceipt: { counted: 1, withinTerm: 1, failing: 0 } });
    // August: C met the statutory term; against receipt B (still running) and C (ended late) both passed theirs.
    expect(terms(aug)).toEqual({ statutory: { counted: 1, withinTerm: 1, failing: 0 }, fromReceipt: { counted: 2, withinTerm: 0, failing: 2 } });
    // September: B, still running, passes the statutory term and fails it there, not when it ends.
    expect(terms(sep)).toEqual({ statutory: { counted: 1, withinTerm: 0, failing: 1 }, fromReceipt: { counted: 0, withinTerm: 0, failing: 0 } });
    expect(sep.gemeente.onderzoekTerms.statutory.share.value).toBe(0);
    // The finished-only figure beside it still counts only onderzoeken that ended in the month.
    expect(sep.gemeente.onderzoekenWithinTerm.finished.value).toBe(0);
    expect(aug.gemeente.onderzoekenWithinTerm.finished.value).toBe(1);
    // In the CSV too.
    const csv = (await t.app.inject({ method: 'GET', url: '/v1/metrics/wachtlijst?gemeente=GM0150&from=2026-09&to=2026-09', headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } })).body;
    expect(csv).toContain('month,2026-09,GM0150,onderzoekTerms.statutory.failing,1,false');
  });
});

describe('municipal metrics: disclosure control and access', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await fixture(t);
  });
  afterAll(async () => t.close());

  const figures = (node: unknown, out: Fig[] = []): Fig[] => {
    if (typeof node === 'object' && node !== null) {
      if ('suppressed' in node && 'value' in node) out.push(node as Fig);
      else for (const v of Object.values(node)) figures(v, out);
    }
    return out;
  };

  it('publishes no count under 10 or off a multiple of 5, and shows suppressed cells as suppressed', async () => {
    const token = await t.token('ana', 'gemeente', { gemeente: 'GM0193' });
    for (const g of ['GM0193', 'GM0166', 'GM0148']) {
      const res = await t.request('GET', `/v1/metrics/wachtlijst?gemeente=${g}&from=2026-09&to=2026-11`, token);
      expect(res.json()).toHaveProperty('months');
      const body = res.json();
      for (const m of body.months) {
        for (const scope of [m.gemeente, m.region]) {
          const counts = figures({ ...scope, assessedWithinTerm: { ...scope.assessedWithinTerm, share: undefined }, onderzoekenWithinTerm: { ...scope.onderzoekenWithinTerm, share: undefined }, waitingForAssessment: { count: scope.waitingForAssessment.count, pastTerm: scope.waitingForAssessment.pastTerm }, waitingForOnderzoekStart: { count: scope.waitingForOnderzoekStart.count } });
          for (const f of counts) {
            if (f.suppressed) expect(f.value).toBeNull();
            else {
              expect(f.value).toBeGreaterThanOrEqual(10);
              expect(f.value! % 5).toBe(0);
            }
          }
        }
      }
    }
    const oct = (await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0166&month=2026-10', token)).json().months[0];
    // Kampen's 3 meldingen: suppressed, never shown as 3 or 0; the region's 15 is published as 15.
    expect(oct.gemeente.received).toEqual({ value: null, suppressed: true, reason: 'primary' });
    expect(oct.region.received).toEqual({ value: 15, suppressed: false });
    // Zwolle's 12 is published rounded to 10. Kampen cannot be recovered as region minus the others: nine other
    // gemeenten are hidden too (0 is a small cell), so the relation region = sum of gemeenten has many unknowns.
    const zw = (await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&month=2026-10', token)).json().months[0];
    expect(zw.gemeente.received).toEqual({ value: 10, suppressed: false });
    expect(zw.gemeente.byViolenceType.partnergeweld).toEqual({ value: null, suppressed: true, reason: 'primary' });
  });

  it('a gemeente token reaches only its own gemeente (the centrumgemeente all of the region), and never a case', async () => {
    const kampen = await t.token('kim', 'gemeente', { gemeente: 'GM0166' });
    const zwolle = await t.token('ana', 'gemeente', { gemeente: 'GM0193' });
    expect((await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0166&month=2026-10', kampen)).statusCode).toBe(200);
    expect((await t.request('GET', '/v1/metrics/wachtlijst?month=2026-10', kampen)).json().gemeente).toBe('GM0166');
    const other = await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&month=2026-10', kampen);
    expect(other.statusCode).toBe(403);
    expect((await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0166&month=2026-10', zwolle)).statusCode).toBe(200);
    const cases = await t.request('GET', '/v1/cases', kampen);
    expect(cases.statusCode).toBe(403);
    const medewerker = await t.token('alice', 'medewerker', { teams: ['team-ijssel'] });
    expect((await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&month=2026-10', medewerker)).statusCode).toBe(403);
  });

  it('refuses bad months with a 400 naming the field', async () => {
    const token = await t.token('ana', 'gemeente', { gemeente: 'GM0193' });
    const bad = await t.request('GET', '/v1/metrics/wachtlijst?month=2026-13', token);
    expect(bad.statusCode).toBe(400);
    expect(apiError(bad.json()).issues[0]!.field).toBe('querystring.month');
    const future = await t.request('GET', '/v1/metrics/wachtlijst?month=2027-01', token);
    expect(future.statusCode).toBe(400);
    expect(apiError(future.json()).issues[0]).toEqual({ field: 'to', rule: 'must not be a period in the future' });
  });
});
