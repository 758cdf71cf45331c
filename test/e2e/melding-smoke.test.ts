import { meldingBody, startTestApp, type TestApp } from '../support/test-app';

describe('melding registration (smoke)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('registers a melding and shows its assessment deadline', async () => {
    const alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    const res = await t.request('POST', '/v1/meldingen', alice, meldingBody());
    expect(res.statusCode).toBe(201);
    const created = res.json();
    const got = await t.request('GET', `/v1/cases/${created.id}`, alice);
    expect(got.statusCode).toBe(200);
    const body = got.json();
    expect(body).toMatchObject({ id: created.id, state: 'veiligheidsbeoordeling', version: 1, gemeente: 'GM0193', receivedAt: '2026-11-20T09:00:00.000Z' });
    // Received Friday 20 Nov 2026: five werkdagen after is Friday 27 Nov, end of day in Amsterdam (CET).
    expect(body.deadlines).toEqual([expect.objectContaining({ kind: 'veiligheidsbeoordeling', dueAt: '2026-11-27T22:59:59.999Z', status: 'open' })]);
    expect(body.persons[1]).toMatchObject({ role: 'kind', birthDate: '2017-06-15' });
  });
});
