/**
 * GET /v1/cases: team scoping, ordering by the nearest open deadline, filters and keyset pagination.
 *
 * "Now" is Monday 23 Nov 2026 09:00 CET. Assessment deadlines (end of the 5th werkdag after the day of receipt, CET = UTC+1):
 *   received Fri 13 Nov → Fri 20 Nov 23:59:59.999 CET = 2026-11-20T22:59:59.999Z
 *   received Mon 16 Nov → Mon 23 Nov                  = 2026-11-23T22:59:59.999Z
 *   received Wed 18 Nov → Wed 25 Nov                  = 2026-11-25T22:59:59.999Z
 *   received Thu 19 Nov → Thu 26 Nov                  = 2026-11-26T22:59:59.999Z
 *   received Fri 20 Nov → Fri 27 Nov                  = 2026-11-27T22:59:59.999Z
 *   received Mon 23 Nov → Mon 30 Nov                  = 2026-11-30T22:59:59.999Z
 * Acute melding received Mon 23 Nov 08:00 CET: action due 4 hours later, 12:00 CET = 2026-11-23T11:00:00.000Z.
 * Onderzoek decided Mon 23 Nov: feedback to the melder due 5 werkdagen later, Mon 30 Nov = 2026-11-30T22:59:59.999Z
 * (the onderzoek itself is due 1 Feb 2027, later).
 */
import { apiError } from '../support/api-error';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { CaseDriver, staff, type Staff } from './drive';
import { PLAN } from '../support/plan-van-aanpak';

jest.setTimeout(60_000);

const NOW = '2026-11-23T09:00:00+01:00';

interface Summary {
  id: string;
  state: string;
  version: number;
  teamId: string;
  gemeente: string;
  receivedAt: string;
  nextDueAt: string | null;
  closedAt: string | null;
}
interface Page {
  items: Summary[];
  nextCursor: string | null;
  links: { next: string | null };
}

describe('GET /v1/cases', () => {
  let t: TestApp;
  let alice: Staff;
  let bob: Staff;
  let dave: Staff;
  let erin: Staff;
  let manager: Staff;
  let gemeenteToken: string;
  /** Case ids by the names used below. */
  const ids: Record<string, string> = {};
  /** The expected nearest open deadline of each case. */
  const due: Record<string, string | null> = {};

  async function register(name: string, by: Staff, overrides: Record<string, unknown>, expectedDue: string): Promise<CaseDriver> {
    const d = await CaseDriver.register(t, by, meldingBody({ persons: [{ role: 'ouder', name: `Ouder ${name}`, birthDate: '1980-01-01' }], ...overrides }));
    ids[name] = d.id;
    due[name] = expectedDue;
    return d;
  }

  async function close(d: CaseDriver, name: string, code: 'VT-00' | 'VT-99', proposer: Staff, approver: Staff): Promise<void> {
    await d.send(proposer, 'DECISION_PROPOSED', { safety: 'geen', code, rationale: 'Afgesloten bij de veiligheidsbeoordeling.' }, 'besluit_ter_goedkeuring');
    await d.send(approver, 'DECISION_APPROVED', {}, code === 'VT-00' ? 'niet_ontvankelijk' : 'doorverwezen');
    due[name] = null;
  }

  async function list(by: Staff | string, query = ''): Promise<Page> {
    const res = await t.request('GET', `/v1/cases${query ? `?${query}` : ''}`, typeof by === 'string' ? by : by.token);
    if (res.statusCode !== 200) throw new Error(`GET /v1/cases?${query}: ${res.statusCode} ${res.body}`);
    return res.json<Page>();
  }

  const names = (page: Page) => page.items.map((i) => Object.keys(ids).find((n) => ids[n] === i.id) ?? `unknown ${i.id}`);
  const byId = (...ns: string[]) => [...ns].sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));

  beforeAll(async () => {
    t = await startTestApp({ now: new Date(NOW) });
    alice = await staff(t, 'alice', 'medewerker', ['team-zwolle']);
    bob = await staff(t, 'bob', 'medewerker', ['team-zwolle']);
    dave = await staff(t, 'dave', 'medewerker', ['team-deventer']);
    erin = await staff(t, 'erin', 'medewerker', ['team-deventer']);
    manager = await staff(t, 'mia', 'manager', []);
    gemeenteToken = await t.token('gemeente-zwolle', 'gemeente', { gemeente: 'GM0193' });

    // team-zwolle
    await register('L-acuut', alice, { gemeente: 'GM0160', receivedAt: '2026-11-23T08:00:00+01:00', acuteDanger: true }, '2026-11-23T11:00:00.000Z');
    await register('A', alice, { gemeente: 'GM0193', receivedAt: '2026-11-16T10:00:00+01:00' }, '2026-11-23T22:59:59.999Z');
    await register('B1', alice, { gemeente: 'GM0166', receivedAt: '2026-11-18T09:00:00+01:00' }, '2026-11-25T22:59:59.999Z');
    await register('B2', bob, { gemeente: 'GM0193', receivedAt: '2026-11-18T15:00:00+01:00' }, '2026-11-25T22:59:59.999Z');
    await register('B3', alice, { gemeente: 'GM0193', receivedAt: '2026-11-18T20:00:00+01:00' }, '2026-11-25T22:59:59.999Z');
    const d = await register('D', alice, { gemeente: 'GM0148', receivedAt: '2026-11-19T10:00:00+01:00' }, '2026-11-26T22:59:59.999Z');
    await d.send(alice, 'DECISION_PROPOSED', { safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek.' }, 'besluit_ter_goedkeuring');
    await register('C', alice, { gemeente: 'GM0166', receivedAt: '2026-11-20T08:00:00+01:00' }, '2026-11-27T22:59:59.999Z');
    const k = await register('K', alice, { gemeente: 'GM0177', receivedAt: '2026-11-20T12:00:00+01:00' }, '2026-11-27T22:59:59.999Z');
    await k.send(alice, 'DECISION_PROPOSED', { safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek.' }, 'besluit_ter_goedkeuring');
    await k.send(bob, 'DECISION_APPROVED', {}, 'wacht_op_onderzoek');
    await k.send(alice, 'ONDERZOEK_STARTED', PLAN, 'onderzoek');
    due.K = '2026-11-30T22:59:59.999Z';
    await close(await register('F', alice, { gemeente: 'GM0193', receivedAt: '2026-11-17T10:00:00+01:00' }, ''), 'F', 'VT-00', alice, bob);
    await close(await register('G', bob, { gemeente: 'GM0166', receivedAt: '2026-11-17T11:00:00+01:00' }, ''), 'G', 'VT-99', bob, alice);
    await close(await register('G2', alice, { gemeente: 'GM0193', receivedAt: '2026-11-19T11:00:00+01:00' }, ''), 'G2', 'VT-00', alice, bob);
    // team-deventer (J is a Zwolle family handled by the Deventer team)
    await register('H', dave, { gemeente: 'GM0150', receivedAt: '2026-11-13T10:00:00+01:00' }, '2026-11-20T22:59:59.999Z');
    await register('I', dave, { gemeente: 'GM0150', receivedAt: '2026-11-23T08:00:00+01:00' }, '2026-11-30T22:59:59.999Z');
    await register('J', erin, { gemeente: 'GM0193', receivedAt: '2026-11-19T10:00:00+01:00' }, '2026-11-26T22:59:59.999Z');
  });
  afterAll(async () => t.close());
  beforeEach(() => t.clock.set(new Date(NOW)));

  const ZWOLLE_ORDER = () => ['L-acuut', 'A', ...byId('B1', 'B2', 'B3'), 'D', 'C', 'K', ...byId('F', 'G', 'G2')];

  it("lists only the medewerker's team, nearest open deadline first, closed cases (no deadline) last", async () => {
    const page = await list(alice);
    expect(page.nextCursor).toBeNull();
    expect(names(page)).toEqual(ZWOLLE_ORDER());
    expect(page.items.map((i) => i.nextDueAt)).toEqual(ZWOLLE_ORDER().map((n) => due[n]));
    expect(new Set(page.items.map((i) => i.teamId))).toEqual(new Set(['team-zwolle']));
    for (const n of ['F', 'G', 'G2']) expect(page.items.find((i) => i.id === ids[n])).toMatchObject({ nextDueAt: null, closedAt: expect.any(String) });
    // The list row carries no names or free text.
    for (const item of page.items) {
      expect(item).not.toHaveProperty('summary');
      expect(item).not.toHaveProperty('persons');
      expect(item).not.toHaveProperty('melder');
    }
    // The list agrees with the case itself.
    const k = (await t.request('GET', `/v1/cases/${ids.K}`, alice.token)).json<{ nextDueAt: string; state: string }>();
    expect(k).toMatchObject({ state: 'onderzoek', nextDueAt: '2026-11-30T22:59:59.999Z' });

    const deventer = await list(dave);
    expect(names(deventer)).toEqual(['H', 'J', 'I']);
  });

  it('filters by state (one or a comma list) and by gemeente', async () => {
    expect(names(await list(alice, 'state=veiligheidsbeoordeling'))).toEqual(['L-acuut', 'A', ...byId('B1', 'B2', 'B3'), 'C']);
    expect(names(await list(alice, 'state=besluit_ter_goedkeuring,onderzoek'))).toEqual(['D', 'K']);
    expect(names(await list(alice, 'state=niet_ontvankelijk,doorverwezen'))).toEqual(byId('F', 'G', 'G2'));
    expect(names(await list(alice, 'state=afgesloten'))).toEqual([]);
    expect(names(await list(alice, 'gemeente=GM0166'))).toEqual([...byId('B1'), 'C', 'G']);
    // Zwolle families of another team stay invisible.
    expect(names(await list(alice, 'gemeente=GM0193'))).toEqual(['A', ...byId('B2', 'B3'), ...byId('F', 'G2')]);
    expect(names(await list(alice, 'gemeente=GM0193&state=veiligheidsbeoordeling'))).toEqual(['A', ...byId('B2', 'B3')]);

    const badState = await t.request('GET', '/v1/cases?state=veiligheidsbeoordeling,gesloten', alice.token);
    expect(badState.statusCode).toBe(400);
    expect(apiError(badState.json()).issues[0]?.field).toContain('state');
    const badGemeente = await t.request('GET', '/v1/cases?gemeente=GM0363', alice.token);
    expect(badGemeente.statusCode).toBe(400);
    expect(apiError(badGemeente.json()).issues[0]?.field).toContain('gemeente');
  });

  it('filters by dueBefore and, as the clock passes due dates, by overdue=true', async () => {
    expect(names(await list(alice, `dueBefore=${encodeURIComponent('2026-11-26T00:00:00+01:00')}`))).toEqual(['L-acuut', 'A', ...byId('B1', 'B2', 'B3')]);
    expect(names(await list(alice, `dueBefore=${encodeURIComponent('2026-11-23T12:00:00+01:00')}`))).toEqual([]);
    expect(names(await list(alice, `dueBefore=${encodeURIComponent('2026-11-23T12:00:00.001+01:00')}`))).toEqual(['L-acuut']);

    expect(names(await list(alice, 'overdue=true'))).toEqual([]);
    expect(names(await list(dave, 'overdue=true'))).toEqual(['H']);
    expect(names(await list(alice, 'overdue=false'))).toEqual(ZWOLLE_ORDER());

    t.clock.set(new Date('2026-11-23T12:30:00+01:00'));
    expect(names(await list(alice, 'overdue=true'))).toEqual(['L-acuut']);
    t.clock.set(new Date('2026-11-24T09:00:00+01:00'));
    expect(names(await list(alice, 'overdue=true'))).toEqual(['L-acuut', 'A']);
    t.clock.set(new Date('2026-11-26T08:00:00+01:00'));
    expect(names(await list(alice, 'overdue=true'))).toEqual(['L-acuut', 'A', ...byId('B1', 'B2', 'B3')]);
    expect(names(await list(alice, 'overdue=true&gemeente=GM0166'))).toEqual(['B1']);
    expect(names(await list(manager, 'overdue=true'))).toEqual(['H', 'L-acuut', 'A', ...byId('B1', 'B2', 'B3')]);
  });

  it('pages with limit=2 and nextCursor through every row exactly once, in order', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: Page = await list(alice, `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      sizes.push(page.items.length);
      seen.push(...names(page));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(seen).toEqual(ZWOLLE_ORDER());
    expect(new Set(seen).size).toBe(seen.length);
    expect(sizes).toEqual([2, 2, 2, 2, 2, 1]);

    // The next link is the same query with the cursor set; following it gives the same page as sending the cursor.
    const first = await t.request('GET', '/v1/cases?limit=2&gemeente=GM0193', alice.token);
    const body = first.json<Page>();
    expect(body.links.next).toBe(`/v1/cases?limit=2&gemeente=GM0193&cursor=${encodeURIComponent(body.nextCursor!)}`);
    expect(first.headers.link).toBe(`<${body.links.next}>; rel="next"`);
    const followed = await t.request('GET', body.links.next!, alice.token);
    expect(followed.json<Page>().items).toEqual((await list(alice, `limit=2&gemeente=GM0193&cursor=${encodeURIComponent(body.nextCursor!)}`)).items);

    // The same walk with a filter and with the manager's view.
    const filtered: string[] = [];
    cursor = null;
    for (let i = 0; i < 20; i++) {
      const page: Page = await list(alice, `limit=2&gemeente=GM0193${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      filtered.push(...names(page));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(filtered).toEqual(names(await list(alice, 'gemeente=GM0193')));

    const all: string[] = [];
    cursor = null;
    for (let i = 0; i < 20; i++) {
      const page: Page = await list(manager, `limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      all.push(...names(page));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(all).toEqual(names(await list(manager)));
    expect(all).toHaveLength(Object.keys(ids).length);

    const badCursor = await t.request('GET', '/v1/cases?limit=2&cursor=not-a-cursor', alice.token);
    expect(badCursor.statusCode).toBe(400);
    expect(apiError(badCursor.json()).issues).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });

  it('a manager sees every team; a team filter narrows it', async () => {
    const page = await list(manager);
    const expected = ['H', 'L-acuut', 'A', ...byId('B1', 'B2', 'B3'), ...byId('D', 'J'), 'C', ...byId('K', 'I'), ...byId('F', 'G', 'G2')];
    expect(names(page)).toEqual(expected);
    expect(new Set(page.items.map((i) => i.teamId))).toEqual(new Set(['team-zwolle', 'team-deventer']));
    expect(names(await list(manager, 'team=team-deventer'))).toEqual(['H', 'J', 'I']);
    expect(names(await list(manager, 'gemeente=GM0193&state=veiligheidsbeoordeling'))).toEqual(['A', ...byId('B2', 'B3'), 'J']);
    // A manager reads any team's case, giving a reason (break the glass).
    expect((await t.request('GET', `/v1/cases/${ids.H}`, manager.token)).statusCode).toBe(403);
    const read = await t.app.inject({ method: 'GET', url: `/v1/cases/${ids.H}`, headers: { authorization: `Bearer ${manager.token}`, 'x-access-reason': 'Steekproef kwaliteit afhandeling' } });
    expect(read.statusCode).toBe(200);
  });

  it('refuses a gemeente token, and another team reading or changing a case', async () => {
    for (const url of ['/v1/cases', `/v1/cases/${ids.A}`, `/v1/cases/${ids.A}/history`, `/v1/cases/${ids.A}/transitions`]) {
      const res = await t.request('GET', url, gemeenteToken);
      expect(`${url}: ${res.statusCode}`).toBe(`${url}: 403`);
      expect(apiError(res.json()).code).toBe('AUTH.FORBIDDEN');
    }

    for (const url of [`/v1/cases/${ids.A}`, `/v1/cases/${ids.A}/history`, `/v1/cases/${ids.A}/transitions`]) {
      const res = await t.request('GET', url, dave.token);
      expect(`${url}: ${res.statusCode}`).toBe(`${url}: 404`);
      expect(apiError(res.json()).code).toBe('CASE.NOT_FOUND');
    }
    const before = (await t.request('GET', `/v1/cases/${ids.A}`, alice.token)).json<{ version: number }>();
    const write = await t.request('POST', `/v1/cases/${ids.A}/events`, dave.token, { type: 'NOTE_ADDED', expectedVersion: before.version, text: 'Niet mijn zaak.' });
    expect(write.statusCode).toBe(404);
    expect(apiError(write.json()).code).toBe('CASE.NOT_FOUND');
    expect((await t.request('GET', `/v1/cases/${ids.A}`, alice.token)).json<{ version: number }>().version).toBe(before.version);
    expect((await t.request('GET', `/v1/cases/${ids.A}/history`, alice.token)).json<{ items: unknown[] }>().items).toHaveLength(before.version);

    const otherTeam = await t.request('GET', '/v1/cases?team=team-deventer', alice.token);
    expect(otherTeam.statusCode).toBe(403);
    expect(apiError(otherTeam.json()).code).toBe('CASE.FORBIDDEN');

    const noToken = await t.request('GET', '/v1/cases', null);
    expect(noToken.statusCode).toBe(401);
  });
});
