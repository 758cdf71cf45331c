import { apiError } from '../support/api-error';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';

interface Item {
  id: string;
  state: string;
  nextDueAt: string | null;
  waitsFor: Array<{ code: string; message: string }>;
  proposal: { kind: string; by: string; decisionCode: string | null } | null;
  mayApprove: boolean;
}
interface Workspace {
  mine: Item[];
  unassigned: Item[];
  approvals: Item[];
  truncated: boolean;
}

describe('GET /v1/workspace: a caseworker’s own cases, the team’s unassigned ones and the approvals queue', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let carol: string;
  const TEAM = 'team-ws';

  beforeAll(async () => {
    t = await startTestApp();
    alice = await t.token('alice-ws', 'medewerker', { teams: [TEAM] });
    bob = await t.token('bob-ws', 'medewerker', { teams: [TEAM] });
    carol = await t.token('carol-ws', 'medewerker', { teams: ['team-other'] });
  });
  afterAll(async () => t.close());

  const register = async (token: string, receivedAt: string) => {
    const res = await t.request('POST', '/v1/meldingen', token, meldingBody({ receivedAt, teamId: TEAM }));
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string; version: number }>();
  };
  const workspace = async (token: string) => {
    const res = await t.request('GET', '/v1/workspace', token);
    expect(res.statusCode).toBe(200);
    return res.json<Workspace>();
  };

  it('sorts by the nearest term, says what each case waits for, and queues a proposal for the second professional only', async () => {
    const later = await register(alice, '2026-11-20T10:00:00+01:00');
    const sooner = await register(alice, '2026-11-18T10:00:00+01:00');
    const bobs = await register(bob, '2026-11-19T10:00:00+01:00');

    const a1 = await workspace(alice);
    const mine = a1.mine.map((c) => c.id);
    expect(mine).toEqual([sooner.id, later.id]);
    // Registered by Bob and nobody has worked on it since: Alice sees it as unassigned.
    expect(a1.unassigned.map((c) => c.id)).toEqual([bobs.id]);
    const codes = a1.mine[0]!.waitsFor.map((r) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['ASSESSMENT_OPEN', 'CHILD_NOT_SEEN', 'CHILD_NOT_SPOKEN', 'INFORMAL_NETWORK_MISSING']));
    expect(a1.mine[0]!.waitsFor.find((r) => r.code === 'CHILD_NOT_SPOKEN')!.message).toMatch(/child 1 \(age 9\)/);
    expect(a1.approvals).toEqual([]);

    const proposed = await t.request('POST', `/v1/cases/${sooner.id}/events`, alice, { type: 'DECISION_PROPOSED', expectedVersion: sooner.version, safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek nodig (test).' });
    expect(proposed.statusCode).toBe(200);

    const a2 = await workspace(alice);
    const own = a2.mine.find((c) => c.id === sooner.id)!;
    expect(own.waitsFor.map((r) => r.code)).toContain('PROPOSAL_PENDING');
    expect(own.mayApprove).toBe(false);
    expect(a2.approvals).toEqual([]);

    const b = await workspace(bob);
    expect(b.approvals.map((c) => c.id)).toEqual([sooner.id]);
    expect(b.approvals[0]!.proposal).toMatchObject({ kind: 'besluit', by: 'alice-ws', decisionCode: 'VT-01-01' });
    // Alice's proposed case has been worked on: neither Bob's nor unassigned; her untouched one is unassigned.
    expect(b.mine.map((c) => c.id)).toEqual([bobs.id]);
    expect(b.unassigned.map((c) => c.id)).toEqual([later.id]);

    // Another team sees none of it.
    const c = await workspace(carol);
    expect([...c.mine, ...c.unassigned, ...c.approvals]).toEqual([]);
  });

  it('a case stops being unassigned once someone sends an event on it', async () => {
    const fresh = await register(bob, '2026-11-21T10:00:00+01:00');
    expect((await workspace(alice)).unassigned.map((x) => x.id)).toContain(fresh.id);
    const note = await t.request('POST', `/v1/cases/${fresh.id}/events`, alice, { type: 'NOTE_ADDED', expectedVersion: fresh.version, text: 'Opgepakt (test).' });
    expect(note.statusCode).toBe(200);
    const a = await workspace(alice);
    expect(a.unassigned.map((x) => x.id)).not.toContain(fresh.id);
    expect(a.mine.map((x) => x.id)).toContain(fresh.id);
    // Bob registered it: his too.
    expect((await workspace(bob)).mine.map((x) => x.id)).toContain(fresh.id);
  });

  it('names an unknown query parameter', async () => {
    const res = await t.request('GET', '/v1/workspace?team=team-ws', alice);
    expect(res.statusCode).toBe(400);
    expect(apiError(res.json()).issues).toEqual([{ field: 'querystring.team', rule: 'is an unknown field' }]);
  });

  it('refuses roles that do not work cases', async () => {
    const gemeente = await t.token('gm', 'gemeente', { gemeente: 'GM0193' });
    const res = await t.request('GET', '/v1/workspace', gemeente);
    expect(res.statusCode).toBe(403);
    expect(apiError(res.json()).code).toBe('AUTH.FORBIDDEN');
  });
});
