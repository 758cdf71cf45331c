/**
 * Through the API: the types of violence of a melding corrected with history, the conclusion of its onderzoek with
 * an outcome per (corrected) type, the municipal figures of both (the kept month recounted once under the new types,
 * the outcomes per gemeente), and the CBS delivery's outcome item per type.
 */
import { sql } from 'kysely';
import { apiError } from '../support/api-error';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { PLAN } from '../support/plan-van-aanpak';
import { CaseDriver, staff, type Staff } from './drive';

type Fig = { value: number | null; suppressed: boolean };
type Scope = { received: Fig; byViolenceType: Record<string, Fig>; onderzoekOutcomes: Record<string, Record<string, Fig>> };

describe('onderzoek outcomes per type of violence, and corrected types', () => {
  let t: TestApp;
  let alice: Staff;
  let bob: Staff;
  let d: CaseDriver;
  let gemeente: string;
  const metrics = async (month: string): Promise<{ gemeente: Scope; region: Scope }> => {
    const res = await t.request('GET', `/v1/metrics/wachtlijst?gemeente=GM0193&month=${month}`, gemeente);
    expect(res.statusCode).toBe(200);
    return res.json<{ periods: Array<{ gemeente: Scope; region: Scope }> }>().periods[0]!;
  };
  const correct = (body: Record<string, unknown>, token = alice.token) => t.request('PUT', `/v1/cases/${d.id}/violence-types`, token, body);

  beforeAll(async () => {
    // Exact figures: no rounding or suppression, so the counts can be compared with the fixture.
    t = await startTestApp({ now: new Date('2026-03-02T12:00:00+01:00'), env: { DISCLOSURE_MIN_COUNT: '0', DISCLOSURE_ROUND_TO: '1' } });
    alice = await staff(t, 'alice', 'medewerker', ['team-ijssel']);
    bob = await staff(t, 'bob', 'medewerker', ['team-ijssel']);
    gemeente = await t.token('ana', 'gemeente', { gemeente: 'GM0193' });
    const persons = [{ role: 'ouder', name: 'Testouder Twee', birthDate: '1984-05-06', bsn: '111222333', sex: 'vrouw' }];
    d = await CaseDriver.register(t, alice, meldingBody({ receivedAt: '2026-03-02T09:00:00+01:00', gemeente: 'GM0193', violenceTypes: ['partnergeweld'], persons }));
    await d.send(alice, 'INFORMAL_NETWORK_RECORDED', { involved: 'Zus' }, 'veiligheidsbeoordeling');
    await d.send(alice, 'SAFETY_PLAN_RECORDED', { summary: 'Veiligheidsplan.' }, 'veiligheidsbeoordeling');
    await d.send(alice, 'DECISION_PROPOSED', { safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek nodig.' }, 'besluit_ter_goedkeuring');
    await d.send(bob, 'DECISION_APPROVED', {}, 'wacht_op_onderzoek');
    await d.send(alice, 'ONDERZOEK_STARTED', PLAN, 'onderzoek', { at: '2026-03-05T10:00:00+01:00' });
    t.clock.set(new Date('2026-04-02T10:00:00+02:00'));
  });
  afterAll(async () => t.close());

  it('corrects the types with history, and the kept month is recounted once under the new types', async () => {
    // March is complete: read once, it is kept with the melding under partnergeweld only.
    const before = await metrics('2026-03');
    expect(before.gemeente.received.value).toBe(1);
    expect(before.region.byViolenceType).toMatchObject({ partnergeweld: { value: 1 }, kindermishandeling: { value: 0 } });
    expect((await sql<{ n: number }>`select count(*)::int as n from metrics_monthly where month = '2026-03'`.execute(t.db)).rows[0]!.n).toBe(1);

    const res = await correct({ violenceTypes: ['partnergeweld', 'kindermishandeling'], reason: 'Bij huisbezoek bleek dat ook de kinderen geslagen worden.', expectedVersion: d.version });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: d.version + 1, violenceTypes: ['partnergeweld', 'kindermishandeling'], state: 'onderzoek' });
    expect(res.headers.etag).toBe(`"${d.version + 1}"`);
    d.version += 1;

    const history = (await t.request('GET', `/v1/cases/${d.id}/history`, alice.token)).json<{ items: Array<{ seq: number; type: string; actor: { id: string }; at: string; payload: Record<string, unknown> }> }>().items;
    expect(history.at(-1)).toMatchObject({
      seq: d.version,
      type: 'VIOLENCE_TYPES_CORRECTED',
      actor: { id: 'alice' },
      at: '2026-04-02T08:00:00.000Z',
      payload: { from: ['partnergeweld'], to: ['partnergeweld', 'kindermishandeling'], reason: 'Bij huisbezoek bleek dat ook de kinderen geslagen worden.' },
    });
    const audited = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'violence-types.correct' and case_id = ${d.id}`.execute(t.db);
    expect(audited.rows[0]!.n).toBe(1);

    // The kept month was forgotten and is counted again: one melding, now under both types.
    const after = await metrics('2026-03');
    expect(after.gemeente.received.value).toBe(1);
    expect(after.region.byViolenceType).toMatchObject({ partnergeweld: { value: 1 }, kindermishandeling: { value: 1 } });
  });

  it('refuses a correction that changes nothing, a stale version, an empty list and a closed vocabulary breach, writing nothing', async () => {
    const same = await correct({ violenceTypes: ['kindermishandeling', 'partnergeweld'], reason: 'Nogmaals.', expectedVersion: d.version });
    expect(same.statusCode).toBe(400);
    expect(apiError(same.json()).issues.map((i) => i.field)).toEqual(['violenceTypes']);
    const stale = await correct({ violenceTypes: ['partnergeweld'], reason: 'Terug.', expectedVersion: d.version - 1 });
    expect(stale.statusCode).toBe(409);
    const empty = await correct({ violenceTypes: [], reason: 'Leeg.', expectedVersion: d.version });
    expect(empty.statusCode).toBe(400);
    expect(apiError(empty.json()).issues[0]!.field).toBe('violenceTypes');
    const unknown = await correct({ violenceTypes: ['stalking'], reason: 'Onbekend.', expectedVersion: d.version });
    expect(unknown.statusCode).toBe(400);
    expect(apiError(unknown.json()).issues[0]!.field).toMatch(/^violenceTypes/);
    const noReason = await correct({ violenceTypes: ['partnergeweld'], expectedVersion: d.version });
    expect(noReason.statusCode).toBe(400);
    expect(apiError(noReason.json()).issues[0]!.field).toBe('reason');
    const gemeenteUser = await correct({ violenceTypes: ['partnergeweld'], reason: 'Niet van mij.', expectedVersion: d.version }, gemeente);
    expect(gemeenteUser.statusCode).toBe(403);
    expect((await d.get(alice)).version).toBe(d.version);
  });

  it('the conclusion needs exactly one outcome for every type as corrected, naming the field', async () => {
    t.clock.set(new Date('2026-04-20T10:00:00+02:00'));
    const payload = { safety: 'structureel', followUp: 'afsluiten', conclusion: 'Partnergeweld bevestigd.' };
    const conclusion = { type: 'ONDERZOEK_CONCLUSION_PROPOSED', ...payload };
    const missing = await t.request('POST', `/v1/cases/${d.id}/events`, alice.token, { ...conclusion, expectedVersion: d.version, outcomes: { partnergeweld: 'bevestigd' } });
    expect(missing.statusCode).toBe(400);
    expect(apiError(missing.json()).issues.map((i) => i.field)).toEqual(['outcomes.kindermishandeling']);
    const extra = await t.request('POST', `/v1/cases/${d.id}/events`, alice.token, {
      ...conclusion,
      expectedVersion: d.version,
      outcomes: { partnergeweld: 'bevestigd', kindermishandeling: 'niet_bevestigd', ouderenmishandeling: 'geen_oordeel_mogelijk' },
    });
    expect(extra.statusCode).toBe(400);
    expect(apiError(extra.json()).issues.map((i) => i.field)).toEqual(['outcomes.ouderenmishandeling']);
    const badValue = await t.request('POST', `/v1/cases/${d.id}/events`, alice.token, { ...conclusion, expectedVersion: d.version, outcomes: { partnergeweld: 'misschien', kindermishandeling: 'bevestigd' } });
    expect(badValue.statusCode).toBe(400);
    expect(apiError(badValue.json()).issues[0]!.field).toBe('outcomes.partnergeweld');
    expect((await d.get(alice)).version).toBe(d.version);

    await d.send(alice, 'ONDERZOEK_CONCLUSION_PROPOSED', { ...payload, outcomes: { partnergeweld: 'bevestigd', kindermishandeling: 'niet_bevestigd' } }, 'conclusie_ter_goedkeuring', { at: '2026-04-20T10:30:00+02:00' });
    // A correction while the conclusion waits for approval makes it stale: the approval is refused until it is proposed again.
    t.clock.set(new Date('2026-04-20T11:00:00+02:00'));
    const corrected = await correct({ violenceTypes: ['kindermishandeling'], reason: 'Partnergeweld was een vergissing.', expectedVersion: d.version });
    expect(corrected.statusCode).toBe(200);
    d.version += 1;
    const stale = await d.refuse(bob, 'ONDERZOEK_CONCLUSION_APPROVED', {}, 'CASE.GUARD_BLOCKED');
    expect(stale.reasons?.map((r) => r.code)).toEqual(['ONDERZOEK_OUTCOMES_STALE']);
    const back = await correct({ violenceTypes: ['partnergeweld', 'kindermishandeling'], reason: 'Toch beide, na overleg.', expectedVersion: d.version });
    expect(back.statusCode).toBe(200);
    d.version += 1;
    await d.send(bob, 'ONDERZOEK_CONCLUSION_APPROVED', {}, 'afronding', { at: '2026-04-20T12:00:00+02:00' });
  });

  it('the metrics report the outcomes per gemeente and region, per type', async () => {
    t.clock.set(new Date('2026-05-04T10:00:00+02:00'));
    const april = await metrics('2026-04');
    expect(april.region.onderzoekOutcomes.partnergeweld).toMatchObject({ concluded: { value: 1 }, bevestigd: { value: 1 }, niet_bevestigd: { value: 0 }, geen_oordeel_mogelijk: { value: 0 } });
    expect(april.region.onderzoekOutcomes.kindermishandeling).toMatchObject({ concluded: { value: 1 }, bevestigd: { value: 0 }, niet_bevestigd: { value: 1 } });
    // Zwolle's plan groups the types; whatever its groups, its outcomes add up to the two concluded types.
    const groups = Object.values(april.gemeente.onderzoekOutcomes);
    expect(groups.reduce((n, g) => n + g.concluded!.value!, 0)).toBe(2);
    expect(groups.reduce((n, g) => n + g.bevestigd!.value! + g.niet_bevestigd!.value! + g.geen_oordeel_mogelijk!.value!, 0)).toBe(2);
    const march = await metrics('2026-03');
    expect(march.region.onderzoekOutcomes.partnergeweld!.concluded!.value).toBe(0);
  });

  it('the CBS delivery carries the outcome per type of the onderzoek, and the melding under its corrected types', async () => {
    t.clock.set(new Date('2026-07-10T10:00:00+02:00'));
    const beheerder = await t.token('bea', 'beheerder');
    const res = await t.request('GET', '/v1/cbs/beleidsinformatie?half=2026-H1', beheerder);
    expect(res.statusCode).toBe(200);
    const records = res.json<{ records: Array<{ soort: string; aard: string[]; uitkomst: unknown }> }>().records;
    expect(records.find((r) => r.soort === 'melding')).toMatchObject({ aard: ['partnergeweld', 'kindermishandeling'], uitkomst: null });
    expect(records.find((r) => r.soort === 'onderzoek')).toMatchObject({
      aard: ['partnergeweld', 'kindermishandeling'],
      uitkomst: [
        { aard: 'partnergeweld', uitkomst: 'bevestigd' },
        { aard: 'kindermishandeling', uitkomst: 'niet_bevestigd' },
      ],
    });
  });
});
