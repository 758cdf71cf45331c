import { CaseDriver, staff, type Staff } from './drive';
import { apiError } from '../support/api-error';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { PLAN } from '../support/plan-van-aanpak';

const ITEMS = ['soort', 'aard', 'personen', 'hoedanigheid', 'datumMelding', 'datumStartOnderzoek', 'datumAfrondingOnderzoek', 'uitkomst', 'vervolgtraject'];

describe('the statutory CBS delivery (Uitvoeringsbesluit Wmo 2015 art. 4.3.2)', () => {
  let t: TestApp;
  let alice: Staff;
  let bob: Staff;
  let onderzoekCase: string;
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-03-02T12:00:00+01:00') });
    alice = await staff(t, 'alice', 'medewerker', ['team-ijssel']);
    bob = await staff(t, 'bob', 'medewerker', ['team-ijssel']);
    const persons = [
      { role: 'ouder', name: 'Testouder Een', birthDate: '1985-04-02', bsn: '111222333', sex: 'vrouw' },
      { role: 'partner', name: 'Testpartner Een', birthDate: '1983-01-09' },
    ];
    const d = await CaseDriver.register(t, alice, meldingBody({ receivedAt: '2026-03-02T09:00:00+01:00', violenceTypes: ['partnergeweld'], persons }));
    onderzoekCase = d.id;
    await d.send(alice, 'INFORMAL_NETWORK_RECORDED', { involved: 'Zus' }, 'veiligheidsbeoordeling');
    await d.send(alice, 'SAFETY_PLAN_RECORDED', { summary: 'Veiligheidsplan.' }, 'veiligheidsbeoordeling');
    await d.send(alice, 'DECISION_PROPOSED', { safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek nodig.' }, 'besluit_ter_goedkeuring');
    await d.send(bob, 'DECISION_APPROVED', {}, 'wacht_op_onderzoek');
    await d.send(alice, 'ONDERZOEK_STARTED', PLAN, 'onderzoek', { at: '2026-03-05T10:00:00+01:00' });
    await d.send(alice, 'ONDERZOEK_CONCLUSION_PROPOSED', { safety: 'structureel', followUp: 'afsluiten', outcomes: { partnergeweld: 'bevestigd' }, conclusion: 'Zorgen bevestigd, hulp loopt.' }, 'conclusie_ter_goedkeuring', { at: '2026-04-20T10:00:00+02:00' });
    await d.send(bob, 'ONDERZOEK_CONCLUSION_APPROVED', {}, 'afronding');
    t.clock.set(new Date('2026-05-04T10:00:00+02:00'));
    const advies = { receivedAt: '2026-05-04T09:00:00+02:00', gemeente: 'GM0166', violenceTypes: ['ouderenmishandeling'], caller: { professional: false }, summary: 'Buurman vraagt advies (synthetisch).' };
    expect((await t.request('POST', '/v1/adviezen', alice.token, advies)).statusCode).toBe(201);
    // Received in 2026-H2: not in the delivery of H1.
    t.clock.set(new Date('2026-07-02T10:00:00+02:00'));
    await CaseDriver.register(t, alice, meldingBody({ receivedAt: '2026-07-01T09:00:00+02:00' }));
    t.clock.set(new Date('2026-07-10T10:00:00+02:00'));
  });
  afterAll(async () => t.close());

  it('delivers one record per advies, melding and onderzoek of the half-year, with exactly the items of the article', async () => {
    const beheerder = await t.token('bea', 'beheerder');
    const res = await t.request('GET', '/v1/cbs/beleidsinformatie?half=2026-H1', beheerder);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['from', 'half', 'records', 'to']);
    for (const r of body.records) expect(Object.keys(r).sort()).toEqual([...ITEMS].sort());
    expect(body.records).toEqual([
      { soort: 'advies', aard: ['ouderenmishandeling'], personen: [], hoedanigheid: 'niet_professioneel', datumMelding: null, datumStartOnderzoek: null, datumAfrondingOnderzoek: null, uitkomst: null, vervolgtraject: null },
      {
        soort: 'melding',
        aard: ['partnergeweld'],
        // The partner has no BSN and is delivered without one.
        personen: [
          { bsn: '111222333', geboortedatum: '1985-04-02', geslacht: 'vrouw' },
          { bsn: null, geboortedatum: '1983-01-09', geslacht: null },
        ],
        hoedanigheid: 'onderwijs',
        datumMelding: '2026-03-02',
        datumStartOnderzoek: null,
        datumAfrondingOnderzoek: null,
        uitkomst: null,
        vervolgtraject: null,
      },
      {
        soort: 'onderzoek',
        aard: ['partnergeweld'],
        personen: [{ bsn: '111222333', geboortedatum: null, geslacht: null }],
        hoedanigheid: null,
        datumMelding: null,
        datumStartOnderzoek: '2026-03-05',
        datumAfrondingOnderzoek: '2026-04-20',
        uitkomst: [{ aard: 'partnergeweld', uitkomst: 'bevestigd' }],
        vervolgtraject: 'afsluiten',
      },
    ]);
    // No name, summary or case id leaves.
    expect(res.body).not.toContain('Testouder');
    expect(res.body).not.toContain(onderzoekCase);
    // Audited as a read of every case in it, once each.
    const audited = await t.db.selectFrom('audit_log').select(['case_id', 'detail', 'actor_id']).where('action', '=', 'cbs.delivery').execute();
    expect(audited).toEqual([{ case_id: onderzoekCase, detail: '2026-H1', actor_id: 'bea' }]);
  });

  it('answers CSV, refuses other roles, and documents its schema in the OpenAPI document', async () => {
    const beheerder = await t.token('bea', 'beheerder');
    const csv = await t.app.inject({ method: 'GET', url: '/v1/cbs/beleidsinformatie?half=2026-H1', headers: { authorization: `Bearer ${beheerder}`, accept: 'text/csv' } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(ITEMS.join(','));
    expect(lines[2]).toBe('melding,partnergeweld,111222333;1985-04-02;vrouw|;1983-01-09;,onderwijs,2026-03-02,,,,');
    expect(lines[3]).toBe('onderzoek,partnergeweld,111222333;;,,,2026-03-05,2026-04-20,partnergeweld:bevestigd,afsluiten');
    const manager = await t.token('mona', 'manager');
    const refused = await t.request('GET', '/v1/cbs/beleidsinformatie?half=2026-H1', manager);
    expect(refused.statusCode).toBe(403);
    const bad = await t.request('GET', '/v1/cbs/beleidsinformatie?half=2026-Q1', beheerder);
    expect(bad.statusCode).toBe(400);
    expect(apiError(bad.json()).issues[0]!.field).toBe('querystring.half');
    const openapi = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = openapi.paths['/v1/cbs/beleidsinformatie'].get;
    expect(JSON.stringify(op.responses['200'])).toContain('datumAfrondingOnderzoek');
    // The outcome item is published as one outcome per type of violence, in the CBS vocabulary.
    expect(JSON.stringify(op.responses['200'])).toContain('geen_oordeel_mogelijk');
  });
});
