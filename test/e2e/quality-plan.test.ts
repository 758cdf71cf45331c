import { OffsetClock } from '../support/clocks';
import { apiError } from '../support/api-error';
import { meldingBody } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';

interface PlanItemJson {
  id: string;
  kind: string;
  status: string;
  dueOn: string;
  doneOn: string | null;
  late: boolean;
  version: number;
  ownerRole: string;
  ownerId?: string;
  deadlines: Array<{ id: string; key: string; status: string; dueAt: string; originalDueAt: string }>;
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 5_000): Promise<T> {
  const started = Date.now();
  let v = await read();
  while (!done(v) && Date.now() - started < ms) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}

describe('the improvement plan and the certification track (BullMQ on real Redis)', () => {
  let s: TestStack;
  const tokens: Record<string, string> = {};
  // Runs in real time; the first test sets it to two seconds before the end of Wednesday 14 October 2026 (Amsterdam).
  const clock = new OffsetClock(new Date('2026-10-14T12:00:00.000+02:00'));
  beforeAll(async () => {
    s = await startTestStack({ clock });
    s.startWorkers();
    tokens.manager = await s.token('mona', 'manager');
    tokens.kees = await s.token('kees', 'teamleider', { teams: ['team-kwaliteit'] });
    tokens.tom = await s.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    tokens.alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    tokens.zwolle = await s.token('zwolle', 'gemeente', { gemeente: 'GM0193' });
    tokens.ommen = await s.token('ommen', 'gemeente', { gemeente: 'GM0175' });
  });
  afterAll(async () => s.close());

  let action: PlanItemJson;

  it('raises a breach alert within seconds when an action passes its due date, which the managers and the owning team see', async () => {
    clock.jump(new Date('2026-10-14T23:59:58.000+02:00').getTime() - clock.now().getTime());
    const res = await s.request('POST', '/v1/quality/plan/items', tokens.manager!, {
      kind: 'verbeteractie',
      title: 'Veiligheidsplan-check in de overdrachtsbespreking',
      expectations: ['veiligheidsplan'],
      ownerId: 'kees',
      ownerRole: 'kwaliteitsfunctionaris',
      teamId: 'team-kwaliteit',
      dueOn: '2026-10-14',
    });
    expect(res.statusCode).toBe(201);
    action = res.json<PlanItemJson>();
    expect(action).toMatchObject({ status: 'gepland', late: false, deadlines: [{ key: 'due-1', status: 'open', dueAt: '2026-10-14T21:59:59.999Z' }] });

    const alerts = await until(
      async () => (await s.request('GET', '/v1/alerts?level=breach', tokens.manager!)).json<{ items: Array<Record<string, unknown>> }>().items,
      (items) => items.length > 0,
    );
    expect(alerts).toEqual([expect.objectContaining({ level: 'breach', caseId: null, planItemId: action.id, deadlineKind: 'verbeteractie', teamId: 'team-kwaliteit' })]);
    const forTeam = (await s.request('GET', '/v1/alerts', tokens.kees!)).json<{ items: Array<{ level: string; planItemId: string }> }>().items;
    expect(forTeam.map((a) => a.level).sort()).toEqual(['breach', 'warning']);
    expect((await s.request('GET', '/v1/alerts', tokens.tom!)).json().items).toEqual([]);

    const breach = alerts[0]!;
    const ack = await s.request('POST', `/v1/alerts/${String(breach.alertId)}/ack`, tokens.kees!, { note: 'Opgepakt in het MT.' });
    expect(ack.statusCode).toBe(200);
    const item = (await s.request('GET', `/v1/quality/plan/items/${action.id}`, tokens.manager!)).json();
    expect(item.history.map((h: { type: string }) => h.type)).toEqual(['ITEM_CREATED', 'ALERT_ACKNOWLEDGED']);
    expect(item.deadlines[0].status).toBe('breached');
  });

  it('shows a late action as late to every gemeente of the region, with no names and no case', async () => {
    const melding = await s.request('POST', '/v1/meldingen', tokens.alice!, meldingBody({ receivedAt: '2026-10-14T10:00:00+02:00' }));
    expect(melding.statusCode).toBe(201);
    const caseId = melding.json().id as string;

    const views = [];
    for (const g of ['zwolle', 'ommen']) {
      const res = await s.request('GET', '/v1/quality/plan', tokens[g]!);
      expect(res.statusCode).toBe(200);
      views.push(res.json());
      expect(res.body).not.toContain('kees');
      expect(res.body).not.toContain('mona');
      expect(res.body).not.toContain('team-kwaliteit');
    }
    expect(views[0]).toEqual(views[1]);
    expect(views[0].actions).toEqual([
      {
        id: action.id,
        kind: 'verbeteractie',
        title: 'Veiligheidsplan-check in de overdrachtsbespreking',
        expectations: ['veiligheidsplan'],
        track: null,
        milestone: null,
        milestoneLabel: null,
        ownerRole: 'kwaliteitsfunctionaris',
        status: 'gepland',
        plannedOn: '2026-10-14',
        dueOn: '2026-10-14',
        doneOn: null,
        late: true,
      },
    ]);
    const item = await s.request('GET', `/v1/quality/plan/items/${action.id}`, tokens.ommen!);
    expect(item.json()).not.toHaveProperty('history');

    for (const url of [`/v1/cases/${caseId}`, `/v1/cases/${caseId}/history`, '/v1/cases', '/v1/alerts', '/v1/quality?from=2026-10-01&to=2026-10-31']) {
      const res = await s.request('GET', url, tokens.ommen!);
      expect([403, 404]).toContain(res.statusCode);
      // The problem's `instance` repeats the path the caller asked for; nothing else may name the case.
      const { instance: _asked, ...rest } = res.json<Record<string, unknown>>();
      expect(JSON.stringify(rest)).not.toContain(caseId);
    }
    const change = await s.request('POST', `/v1/quality/plan/items/${action.id}/changes`, tokens.zwolle!, { expectedVersion: 1, status: 'gereed', note: 'Een gemeente mag dit niet.' });
    expect(change.statusCode).toBe(403);
  });

  it('keeps the status history with evidence, and a late finish stays late', async () => {
    const stale = await s.request('POST', `/v1/quality/plan/items/${action.id}/changes`, tokens.kees!, { expectedVersion: 7, status: 'in_uitvoering', note: 'Gestart met de pilot.' });
    expect(stale.statusCode).toBe(409);
    expect(apiError(stale.json()).code).toBe('QUALITY.VERSION_CONFLICT');
    const other = await s.request('POST', `/v1/quality/plan/items/${action.id}/changes`, tokens.tom!, { expectedVersion: 1, status: 'in_uitvoering', note: 'Niet de eigenaar.' });
    expect(other.statusCode).toBe(403);

    let res = await s.request('POST', `/v1/quality/plan/items/${action.id}/changes`, tokens.kees!, { expectedVersion: 1, status: 'in_uitvoering', note: 'Gestart met de pilot.' });
    expect(res.statusCode).toBe(200);
    res = await s.request('POST', `/v1/quality/plan/items/${action.id}/changes`, tokens.kees!, { expectedVersion: 2, status: 'gereed', note: 'Checklist in gebruik sinds 15 oktober; verslag MT.' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'gereed', doneOn: '2026-10-15', late: true, deadlines: [{ status: 'met' }] });
    const back = await s.request('POST', `/v1/quality/plan/items/${action.id}/changes`, tokens.manager!, { expectedVersion: 3, status: 'in_uitvoering', note: 'Toch weer openen.' });
    expect(back.statusCode).toBe(422);
    expect(apiError(back.json()).code).toBe('QUALITY.STATUS_NOT_ALLOWED');

    const item = (await s.request('GET', `/v1/quality/plan/items/${action.id}`, tokens.manager!)).json();
    expect(item.history.map((h: { type: string; fromStatus: string; toStatus: string; note: string | null }) => [h.type, h.fromStatus, h.toStatus, h.note])).toEqual([
      ['ITEM_CREATED', null, 'gepland', null],
      ['ALERT_ACKNOWLEDGED', 'gepland', 'gepland', null],
      ['STATUS_CHANGED', 'gepland', 'in_uitvoering', 'Gestart met de pilot.'],
      ['STATUS_CHANGED', 'in_uitvoering', 'gereed', 'Checklist in gebruik sinds 15 oktober; verslag MT.'],
    ]);
  });

  it('keeps the certification track as milestones, each a deadline; replanning keeps the original date', async () => {
    const create = (milestone: string, dueOn: string) =>
      s.request('POST', '/v1/quality/plan/items', tokens.manager!, {
        kind: 'mijlpaal',
        title: `HKZ: ${milestone}`,
        expectations: ['tijdpad-certificaat'],
        track: 'HKZ',
        milestone,
        ownerId: 'mona',
        ownerRole: 'manager kwaliteit',
        teamId: 'team-kwaliteit',
        dueOn,
      });
    const gap = await create('gap_analyse', '2026-12-18');
    expect(gap.statusCode).toBe(201);
    const cert = (await create('certificaat_behaald', '2027-06-30')).json<PlanItemJson>();
    const moved = await s.request('POST', `/v1/quality/plan/items/${cert.id}/changes`, tokens.manager!, { expectedVersion: 1, dueOn: '2027-09-30', note: 'Audit door de certificerende instelling verschoven.' });
    expect(moved.statusCode).toBe(200);
    const deadlines = moved.json<PlanItemJson>().deadlines;
    expect(deadlines.map((d) => [d.key, d.status])).toEqual([
      ['due-1', 'cancelled'],
      ['due-2', 'open'],
    ]);
    expect(deadlines[1]!.originalDueAt).toBe(deadlines[0]!.dueAt);
    const plan = (await s.request('GET', '/v1/quality/plan', tokens.ommen!)).json();
    expect(plan.milestones.map((m: { milestone: string; dueOn: string; late: boolean }) => [m.milestone, m.dueOn, m.late])).toEqual([
      ['gap_analyse', '2026-12-18', false],
      ['certificaat_behaald', '2027-09-30', false],
    ]);
  });

  it('refuses bad input naming the field, and additions by anyone but a manager', async () => {
    const body = { kind: 'mijlpaal', title: 'Interne audit', expectations: [], ownerId: 'mona', ownerRole: 'manager', teamId: 'team-kwaliteit', dueOn: '2027-01-15', milestone: 'interne_audit' };
    let res = await s.request('POST', '/v1/quality/plan/items', tokens.manager!, body);
    expect(res.statusCode).toBe(400);
    expect(apiError(res.json()).issues).toEqual([{ field: 'track', rule: 'is required for a mijlpaal' }]);
    res = await s.request('POST', '/v1/quality/plan/items', tokens.manager!, { ...body, kind: 'verbeteractie', milestone: undefined, expectations: ['bestaat-niet'] });
    expect(apiError(res.json()).issues).toEqual([expect.objectContaining({ field: 'expectations.0' })]);
    res = await s.request('POST', '/v1/quality/plan/items', tokens.manager!, { ...body, track: 'HKZ', dueOn: '2027-02-30' });
    expect(apiError(res.json()).issues).toEqual([expect.objectContaining({ field: 'dueOn' })]);
    res = await s.request('POST', '/v1/quality/plan/items', tokens.kees!, { ...body, track: 'HKZ' });
    expect(res.statusCode).toBe(403);
    const count = await s.db.selectFrom('quality_plan_items').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });
});
