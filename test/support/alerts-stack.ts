/**
 * The setup the alert tests share (test/e2e/alerts, alert-stream, alert-channels, dead-letters and
 * deadline-adjustments): the whole service on a database of its own, listening on a real port for the stream, with a
 * token per person of the two teams, and, in BullMQ mode, four meldingen whose alerts the workers raise.
 *
 * Time: an OffsetClock on Tuesday 24 Nov 2026 10:00 CET (a werkdag, office hours). A melding received on
 * Tuesday 10 Nov has its safety-assessment term (end of the 5th werkdag after receipt) long passed, so it breaches
 * at once; one received Tuesday 17 Nov 10:00 is due at the end of today and warned from the start of today.
 */
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import type { AlertRow } from '../../db/schema';
import { type AlertJson, type OpenStream, openStream } from './alert-stream';
import { OffsetClock } from './clocks';
import { waitFor } from './poll';
import { meldingBody } from './test-app';
import { startTestStack, type TestStack } from './test-stack';

export const NOW = new Date('2026-11-24T10:00:00+01:00');
export const LONG_PASSED = '2026-11-10T10:00:00+01:00';
export const LONG_PASSED_2 = '2026-11-11T10:00:00+01:00';
/** Due at the end of Tuesday 24 Nov (today), warned from its start. */
export const DUE_TODAY = '2026-11-17T10:00:00+01:00';

/** Alice and Tom (teamleider) of Zwolle, Dirk and Olga (teamleider) of Deventer, Mia (manager), Gert (gemeente), Bea (beheerder). */
export type Who = 'alice' | 'tom' | 'dirk' | 'olga' | 'mia' | 'gert' | 'bea';

export interface RegisteredMelding {
  id: string;
  deadlines: Array<{ id: string; kind: string; status: string }>;
}

export interface AlertsStack {
  /** The stack, the clock and the base URL, set in beforeAll. */
  readonly s: TestStack;
  readonly clock: OffsetClock;
  readonly baseUrl: string;
  tokens: Record<Who, string>;
  /** BullMQ mode: the case ids of the four meldingen (a, b, c of Zwolle: breach, warning, breach; d of Deventer: breach). */
  cases: Record<'a' | 'b' | 'c' | 'd', string>;
  /** BullMQ mode: the alerts those produced, by case (tests add the ones they raise). */
  alertOf: Record<string, AlertJson>;
  get(url: string, who: Who): Promise<LightMyRequestResponse>;
  post(url: string, who: Who, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, who: Who, body?: unknown): Promise<LightMyRequestResponse>;
  register(who: Who, receivedAt: string | undefined, overrides?: Record<string, unknown>): Promise<RegisteredMelding>;
  alertRows(caseId: string): Promise<AlertRow[]>;
  /** Opens the stream as `who`; closed in afterAll. */
  stream(who: Who, lastEventId?: number): Promise<OpenStream>;
}

/**
 * Registers beforeAll/afterAll in the calling describe. `bullmq`: BullMQ on real Redis with in-process workers, and
 * the four meldingen registered and their alerts waited for. `embedded`: no Redis, firing driven by the test.
 */
export function useAlertsStack(mode: 'bullmq' | 'embedded'): AlertsStack {
  let s: TestStack | undefined;
  let clock: OffsetClock | undefined;
  let baseUrl: string | undefined;
  const streams: OpenStream[] = [];
  const tokens = {} as Record<Who, string>;
  const cases: AlertsStack['cases'] = { a: '', b: '', c: '', d: '' };
  const alertOf: Record<string, AlertJson> = {};
  const stack = () => {
    if (!s) throw new Error('the alerts stack is not started (use it inside a test)');
    return s;
  };

  const get = (url: string, who: Who) => stack().request('GET', url, tokens[who]);
  const post = (url: string, who: Who, body?: unknown) => stack().request('POST', url, tokens[who], body);
  const put = (url: string, who: Who, body?: unknown) => stack().request('PUT', url, tokens[who], body);
  async function register(who: Who, receivedAt: string | undefined, overrides: Record<string, unknown> = {}): Promise<RegisteredMelding> {
    const res = await post('/v1/meldingen', who, meldingBody({ ...(receivedAt ? { receivedAt } : { receivedAt: undefined }), ...overrides }));
    if (res.statusCode !== 201) throw new Error(`register: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  beforeAll(async () => {
    clock = new OffsetClock(NOW);
    s = await startTestStack({ clock, redis: mode === 'bullmq' });
    if (mode === 'bullmq') s.startWorkers();
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
    tokens.alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    tokens.tom = await s.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    tokens.dirk = await s.token('dirk', 'medewerker', { teams: ['team-deventer'] });
    tokens.olga = await s.token('olga', 'teamleider', { teams: ['team-deventer'] });
    tokens.mia = await s.token('mia', 'manager');
    tokens.gert = await s.token('gert', 'gemeente', { gemeente: 'GM0193' });
    tokens.bea = await s.token('bea', 'beheerder');
    if (mode === 'embedded') return;

    // Zwolle: two breaches and a warning; Deventer: one breach.
    cases.a = (await register('alice', LONG_PASSED)).id;
    cases.b = (await register('alice', DUE_TODAY)).id;
    cases.c = (await register('alice', LONG_PASSED_2)).id;
    cases.d = (await register('dirk', LONG_PASSED)).id;
    const db = s.db;
    await waitFor('the four alerts', async () => (await db.selectFrom('alerts').select('id').execute()).length >= 4, 15_000);
    const all = (await get('/v1/alerts', 'mia')).json<{ items: AlertJson[] }>().items;
    for (const a of all) alertOf[a.caseId] = a;
  });

  afterAll(async () => {
    for (const st of streams) await st.close();
    await s?.close();
  });

  return {
    get s() {
      return stack();
    },
    get clock() {
      if (!clock) throw new Error('the alerts stack is not started');
      return clock;
    },
    get baseUrl() {
      if (!baseUrl) throw new Error('the alerts stack is not listening');
      return baseUrl;
    },
    tokens,
    cases,
    alertOf,
    get,
    post,
    put,
    register,
    alertRows: (caseId) => stack().db.selectFrom('alerts').selectAll().where('case_id', '=', caseId).orderBy('seq').execute(),
    stream: async (who, lastEventId) => {
      const st = await openStream(baseUrl ?? '', tokens[who], lastEventId);
      streams.push(st);
      return st;
    },
  };
}
