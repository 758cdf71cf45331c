/**
 * Adviezen: registered and read back, validated with the offending field named, and converted into a melding at
 * most once; a failed conversion writes nothing.
 */
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { staff, tableCounts, type Staff } from './drive';
import { apiError } from '../support/api-error';

jest.setTimeout(60_000);

const NOW = '2026-11-23T09:00:00+01:00';

function adviesBody(overrides: Record<string, unknown> = {}) {
  return {
    receivedAt: '2026-11-20T14:30:00+01:00',
    gemeente: 'GM0166',
    violenceTypes: ['partnergeweld', 'kindermishandeling'],
    caller: { professional: true, sector: 'huisarts' },
    summary: 'Huisarts vraagt advies over zorgen bij een gezin (synthetisch).',
    ...overrides,
  };
}

interface AdviesJson {
  id: string;
  teamId: string;
  gemeente: string;
  violenceTypes: string[];
  receivedAt: string;
  registeredAt: string;
  registeredBy: string;
  caller: { professional: boolean; sector: string | null };
  summary: string;
  convertedCaseId: string | null;
}

describe('adviezen', () => {
  let t: TestApp;
  let alice: Staff;
  let bob: Staff;
  let dave: Staff;

  beforeAll(async () => {
    t = await startTestApp({ now: new Date(NOW) });
    alice = await staff(t, 'alice', 'medewerker', ['team-zwolle']);
    bob = await staff(t, 'bob', 'medewerker', ['team-zwolle']);
    dave = await staff(t, 'dave', 'medewerker', ['team-deventer']);
  });
  afterAll(async () => t.close());

  async function createAdvies(by: Staff, overrides: Record<string, unknown> = {}): Promise<AdviesJson> {
    const res = await t.request('POST', '/v1/adviezen', by.token, adviesBody(overrides));
    if (res.statusCode !== 201) throw new Error(`POST /v1/adviezen: ${res.statusCode} ${res.body}`);
    return res.json<AdviesJson>();
  }

  async function getAdvies(by: Staff, id: string): Promise<AdviesJson> {
    const res = await t.request('GET', `/v1/adviezen/${id}`, by.token);
    if (res.statusCode !== 200) throw new Error(`GET /v1/adviezen/${id}: ${res.statusCode} ${res.body}`);
    return res.json<AdviesJson>();
  }

  it('registers an advies (201) and reads it back', async () => {
    t.clock.set(new Date(NOW));
    const before = await tableCounts(t);
    const res = await t.request('POST', '/v1/adviezen', alice.token, adviesBody());
    expect(res.statusCode).toBe(201);
    const created = res.json<AdviesJson>();
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      teamId: 'team-zwolle',
      gemeente: 'GM0166',
      violenceTypes: ['partnergeweld', 'kindermishandeling'],
      receivedAt: '2026-11-20T13:30:00.000Z',
      registeredAt: '2026-11-23T08:00:00.000Z',
      registeredBy: 'alice',
      caller: { professional: true, sector: 'huisarts' },
      summary: 'Huisarts vraagt advies over zorgen bij een gezin (synthetisch).',
      convertedCaseId: null,
    });
    expect(await getAdvies(alice, created.id)).toEqual(created);
    expect(await getAdvies(bob, created.id)).toEqual(created);
    // An advies leaves responsibility with the caller: no case follows (the team row is made on first use).
    const after = await tableCounts(t);
    expect(after).toEqual({ ...before, adviezen: before.adviezen + 1, teams: after.teams });
    expect(after.teams).toBe(before.teams + 1);

    // A non-professional caller has no sector; receivedAt defaults to now.
    t.clock.advance(60_000);
    const layperson = await createAdvies(alice, { receivedAt: undefined, caller: { professional: false } });
    expect(layperson).toMatchObject({ caller: { professional: false, sector: null }, receivedAt: '2026-11-23T08:01:00.000Z', registeredAt: '2026-11-23T08:01:00.000Z' });
    expect(await getAdvies(alice, layperson.id)).toEqual(layperson);
  });

  it.each([
    ['an unknown gemeente', { gemeente: 'GM9999' }, 'gemeente'],
    ['a gemeente outside the region', { gemeente: 'GM0363' }, 'gemeente'],
    ['empty violenceTypes', { violenceTypes: [] }, 'violenceTypes'],
    ['a repeated violence type', { violenceTypes: ['partnergeweld', 'partnergeweld'] }, 'violenceTypes'],
    ['an unknown violence type', { violenceTypes: ['stalking'] }, 'violenceTypes.0'],
    ['a professional caller without sector', { caller: { professional: true } }, 'caller.sector'],
    ['a non-professional caller with a sector', { caller: { professional: false, sector: 'politie' } }, 'caller.sector'],
    ['an unknown sector', { caller: { professional: true, sector: 'bakker' } }, 'caller.sector'],
    ['an empty summary', { summary: '   ' }, 'summary'],
    ['a receivedAt without offset', { receivedAt: '2026-11-20T14:30:00' }, 'receivedAt'],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_what, overrides, field) => {
    const before = await tableCounts(t);
    const res = await t.request('POST', '/v1/adviezen', alice.token, adviesBody(overrides));
    expect(res.statusCode).toBe(400);
    const error = apiError(res.json());
    expect(error.code).toBe('REQUEST.VALIDATION');
    expect(error.issues.map((i) => i.field)).toContain(field);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('refuses a receivedAt in the future with 400 naming receivedAt, and writes nothing', async () => {
    t.clock.set(new Date(NOW));
    const before = await tableCounts(t);
    const res = await t.request('POST', '/v1/adviezen', alice.token, adviesBody({ receivedAt: '2026-11-23T09:00:00.001+01:00' }));
    expect(res.statusCode).toBe(400);
    expect(apiError(res.json()).issues).toEqual([expect.objectContaining({ field: 'receivedAt' })]);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('keeps an advies to its team and to staff', async () => {
    const advies = await createAdvies(alice);
    // Another team's advies answers as one that does not exist.
    const other = await t.request('GET', `/v1/adviezen/${advies.id}`, dave.token);
    expect(other.statusCode).toBe(404);
    const unknown = await t.request('GET', '/v1/adviezen/6f1c2b0e-3d4a-4b5c-8d6e-7f8091a2b3c4', alice.token);
    expect(unknown.statusCode).toBe(404);
    expect(apiError(unknown.json()).code).toBe('ADVIES.NOT_FOUND');
    const gemeente = await t.token('gemeente-kampen', 'gemeente', { gemeente: 'GM0166' });
    const before = await tableCounts(t);
    const byGemeente = await t.request('POST', '/v1/adviezen', gemeente, adviesBody());
    expect(byGemeente.statusCode).toBe(403);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('converts an advies into a melding: the advies shows the case, the case names the advies', async () => {
    t.clock.set(new Date(NOW));
    const advies = await createAdvies(alice);
    const before = await tableCounts(t);
    t.clock.advance(3_600_000);
    const res = await t.request('POST', '/v1/meldingen', bob.token, meldingBody({ gemeente: 'GM0166', adviesId: advies.id }));
    expect(res.statusCode).toBe(201);
    const created = res.json<{ id: string; state: string; version: number; teamId: string }>();
    expect(created).toMatchObject({ state: 'veiligheidsbeoordeling', version: 1, teamId: 'team-zwolle' });

    expect(await getAdvies(alice, advies.id)).toEqual({ ...advies, convertedCaseId: created.id });
    const history = (await t.request('GET', `/v1/cases/${created.id}/history`, bob.token)).json<{ items: Array<{ type: string; payload: Record<string, unknown> }> }>().items;
    expect(history).toEqual([expect.objectContaining({ type: 'MELDING_REGISTERED', payload: expect.objectContaining({ adviesId: advies.id }) })]);
    const after = await tableCounts(t);
    expect(after).toMatchObject({ cases: before.cases + 1, adviezen: before.adviezen, converted_adviezen: before.converted_adviezen + 1 });
  });

  it('refuses to convert the same advies twice: 409 ADVIES.ALREADY_CONVERTED, no second case', async () => {
    const advies = await createAdvies(alice);
    const first = await t.request('POST', '/v1/meldingen', alice.token, meldingBody({ adviesId: advies.id }));
    expect(first.statusCode).toBe(201);
    const firstCaseId = first.json<{ id: string }>().id;

    const before = await tableCounts(t);
    const casesBefore = (await t.request('GET', '/v1/cases?limit=200', alice.token)).json<{ items: Array<{ id: string }> }>().items;
    const second = await t.request('POST', '/v1/meldingen', bob.token, meldingBody({ adviesId: advies.id }));
    expect(second.statusCode).toBe(409);
    expect(apiError(second.json()).code).toBe('ADVIES.ALREADY_CONVERTED');
    expect(await tableCounts(t)).toEqual(before);
    expect((await t.request('GET', '/v1/cases?limit=200', alice.token)).json<{ items: Array<{ id: string }> }>().items).toEqual(casesBefore);
    expect((await getAdvies(alice, advies.id)).convertedCaseId).toBe(firstCaseId);
  });

  it('converts an advies at most once when two conversions race', async () => {
    const advies = await createAdvies(alice);
    const before = await tableCounts(t);
    const results = await Promise.all([
      t.request('POST', '/v1/meldingen', alice.token, meldingBody({ adviesId: advies.id })),
      t.request('POST', '/v1/meldingen', bob.token, meldingBody({ adviesId: advies.id })),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const winner = results.find((r) => r.statusCode === 201)!.json<{ id: string }>().id;
    expect((await getAdvies(alice, advies.id)).convertedCaseId).toBe(winner);
    expect(await tableCounts(t)).toMatchObject({ cases: before.cases + 1, converted_adviezen: before.converted_adviezen + 1 });
  });

  it('refuses a conversion by another team, who may not even read the advies: 404, nothing written', async () => {
    const advies = await createAdvies(alice);
    expect((await t.request('GET', `/v1/adviezen/${advies.id}`, dave.token)).statusCode).toBe(404);
    const before = await tableCounts(t);
    const res = await t.request('POST', '/v1/meldingen', dave.token, meldingBody({ adviesId: advies.id }));
    expect(`${res.statusCode} ${res.statusCode === 404 ? '' : res.body.slice(0, 120)}`).toBe('404 ');
    expect(await tableCounts(t)).toEqual(before);
    expect((await getAdvies(alice, advies.id)).convertedCaseId).toBeNull();
  });

  it('refuses an unknown adviesId with 404 ADVIES.NOT_FOUND and writes no case', async () => {
    const before = await tableCounts(t);
    const res = await t.request('POST', '/v1/meldingen', alice.token, meldingBody({ adviesId: '0b5e7c1a-9d2f-4e3b-8a6c-5d4e3f2a1b0c' }));
    expect(res.statusCode).toBe(404);
    expect(apiError(res.json()).code).toBe('ADVIES.NOT_FOUND');
    // Nothing at all: no case, person, melder, history, deadline.
    expect(await tableCounts(t)).toEqual(before);

    const notUuid = await t.request('POST', '/v1/meldingen', alice.token, meldingBody({ adviesId: 'advies-1' }));
    expect(notUuid.statusCode).toBe(400);
    expect(apiError(notUuid.json()).issues).toEqual([expect.objectContaining({ field: 'adviesId' })]);
    expect(await tableCounts(t)).toEqual(before);
  });
});
