import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { rowCounts } from './row-counts';
import { apiError } from '../support/api-error';
import { createServices } from '../../src/services';

/**
 * Concurrent writers on one case, through the real HTTP app and a real PostgreSQL pool of 10 connections: the row
 * lock and the version check must let exactly the right requests through, and history must stay gap-free.
 */
// Retry loops under contention take a few seconds on a busy machine.
jest.setTimeout(30_000);

describe('concurrent events on one case', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let carol: string;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    bob = await t.token('bob', 'medewerker', { teams: ['team-zwolle'] });
    carol = await t.token('carol', 'teamleider', { teams: ['team-zwolle'] });
  });
  afterAll(async () => t.close());

  async function register(token = alice, overrides: Record<string, unknown> = {}): Promise<string> {
    const res = await t.request('POST', '/v1/meldingen', token, meldingBody(overrides));
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  }

  async function historyRows(caseId: string) {
    return t.db.selectFrom('case_events').select(['seq', 'type', 'actor_id', 'payload']).where('case_id', '=', caseId).orderBy('seq').execute();
  }

  async function versionOf(caseId: string): Promise<number> {
    const row = await t.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
    return row.version;
  }

  const note = (text: string, expectedVersion: number) => ({ type: 'NOTE_ADDED', expectedVersion, text });

  it('20 events with the same expectedVersion: exactly one is applied, 19 get 409 CASE.VERSION_CONFLICT at version 2', async () => {
    const caseId = await register();
    const texts = Array.from({ length: 20 }, (_, i) => `gelijktijdige notitie ${i + 1}`);

    const responses = await Promise.all(texts.map((text) => t.request('POST', `/v1/cases/${caseId}/events`, alice, note(text, 1))));

    const ok = responses.map((r, i) => ({ r, i })).filter(({ r }) => r.statusCode === 200);
    const conflicts = responses.filter((r) => r.statusCode === 409);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    for (const c of conflicts) {
      expect(apiError(c.json())).toEqual({ code: 'CASE.VERSION_CONFLICT', message: expect.any(String), issues: [], reasons: [], currentVersion: 2 });
    }
    const winner = ok[0]!;
    expect(winner.r.json()).toMatchObject({ id: caseId, version: 2, state: 'veiligheidsbeoordeling' });

    expect(await versionOf(caseId)).toBe(2);
    const history = await historyRows(caseId);
    expect(history.map((h) => [h.seq, h.type])).toEqual([
      [1, 'MELDING_REGISTERED'],
      [2, 'NOTE_ADDED'],
    ]);
    expect(history[1]!.payload).toEqual({ text: texts[winner.i] });

    const api = await t.request('GET', `/v1/cases/${caseId}/history`, alice);
    expect(api.statusCode).toBe(200);
    expect(api.json<{ items: unknown[] }>().items).toHaveLength(2);
  });

  it('an event made in one statement without a lock, whose case changes while it waits on the row: 409 at the new version, and no history or audit row of it', async () => {
    const caseId = await register();
    const auditRows = async () => (await t.db.selectFrom('audit_log').select('seq').where('case_id', '=', caseId).where('action', '=', 'case.event').execute()).length;
    let answer: Promise<LightMyRequestResponse> | undefined;
    await t.db.transaction().execute(async (trx) => {
      // Another change holds the row (as the locked way does) and moves the version on, not yet committed.
      await sql`update cases set version = version + 1 where id = ${caseId}`.execute(trx);
      answer = t.request('POST', `/v1/cases/${caseId}/events`, alice, note('wacht op de rij', 1));
      // The note read version 1 (committed) and its update now waits for this transaction.
      for (let waited = 0; ; waited += 20) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
        if (rows[0]!.n > 0) break;
        if (waited > 5_000) throw new Error('the note never waited on the row');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    const res = await answer!;
    expect(res.statusCode).toBe(409);
    expect(apiError(res.json())).toMatchObject({ code: 'CASE.VERSION_CONFLICT', currentVersion: 2 });
    expect((await historyRows(caseId)).map((h) => h.type)).toEqual(['MELDING_REGISTERED']);
    expect(await auditRows()).toBe(0);
  });

  it('a case another API process changed after this one: a change at the version this process left it at gets 409, one at the new version applies', async () => {
    const caseId = await register();
    const first = await t.request('POST', `/v1/cases/${caseId}/events`, alice, note('hier', 1));
    expect(first.json()).toMatchObject({ version: 2 });
    // Another process: its own engine on the same database.
    const other = createServices(t.config, { db: t.db, clock: t.clock }).engine;
    const principal = { sub: 'bob', role: 'medewerker' as const, teams: ['team-zwolle'], gemeente: null };
    expect(await other.applyCommand(principal, caseId, { type: 'NOTE_ADDED', expectedVersion: 2, text: 'daar' })).toMatchObject({ version: 3 });
    const stale = await t.request('POST', `/v1/cases/${caseId}/events`, alice, note('hier, verouderd', 2));
    expect(stale.statusCode).toBe(409);
    expect(apiError(stale.json())).toMatchObject({ code: 'CASE.VERSION_CONFLICT', currentVersion: 3 });
    const fresh = await t.request('POST', `/v1/cases/${caseId}/events`, alice, note('hier, bij', 3));
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json()).toMatchObject({ version: 4 });
    expect((await historyRows(caseId)).map((h) => [h.seq, h.actor_id, h.payload])).toEqual([
      [1, 'alice', expect.anything()],
      [2, 'alice', { text: 'hier' }],
      [3, 'bob', { text: 'daar' }],
      [4, 'alice', { text: 'hier, bij' }],
    ]);
  });

  it('20 writers that re-read the version and retry on 409 all get applied: version 21, seq 1..21 without gaps or doubles', async () => {
    const caseId = await register();
    const texts = Array.from({ length: 20 }, (_, i) => `notitie met herhaalpoging ${i + 1}`);
    const MAX_ATTEMPTS = 200;

    const attempts = await Promise.all(
      texts.map(async (text) => {
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          const current = await t.request('GET', `/v1/cases/${caseId}`, alice);
          expect(current.statusCode).toBe(200);
          const version = current.json<{ version: number }>().version;
          const res: LightMyRequestResponse = await t.request('POST', `/v1/cases/${caseId}/events`, alice, note(text, version));
          if (res.statusCode === 200) return attempt;
          // Anything but a version conflict is a failure of the engine, not contention.
          expect(res.statusCode).toBe(409);
          expect(apiError(res.json())).toMatchObject({ code: 'CASE.VERSION_CONFLICT' });
          expect(apiError(res.json()).currentVersion).toBeGreaterThan(version);
        }
        throw new Error(`'${text}' was not applied after ${MAX_ATTEMPTS} attempts`);
      }),
    );
    expect(attempts).toHaveLength(20);

    expect(await versionOf(caseId)).toBe(21);
    const history = await historyRows(caseId);
    expect(history.map((h) => h.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(history[0]!.type).toBe('MELDING_REGISTERED');
    const applied = history.slice(1).map((h) => (h.payload as { text: string }).text);
    expect([...applied].sort()).toEqual([...texts].sort());

    const got = await t.request('GET', `/v1/cases/${caseId}`, alice);
    expect(got.json()).toMatchObject({ version: 21 });
  });

  it('two staff approving the same proposal at once: exactly one approval is applied, the other gets 409 and then 422 on retry', async () => {
    const caseId = await register();
    const proposed = await t.request('POST', `/v1/cases/${caseId}/events`, alice, {
      type: 'DECISION_PROPOSED',
      expectedVersion: 1,
      safety: 'geen',
      code: 'VT-01-03',
      rationale: 'Geen zorgen na gesprekken met school en ouders (synthetisch).',
    });
    expect(proposed.statusCode).toBe(200);
    expect(proposed.json()).toMatchObject({ state: 'besluit_ter_goedkeuring', version: 2 });

    const approvers = [
      { sub: 'bob', token: bob },
      { sub: 'carol', token: carol },
    ];
    const responses = await Promise.all(
      approvers.map((a) => t.request('POST', `/v1/cases/${caseId}/events`, a.token, { type: 'DECISION_APPROVED', expectedVersion: 2, comment: `akkoord ${a.sub}` })),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const winnerIndex = responses.findIndex((r) => r.statusCode === 200);
    const winner = approvers[winnerIndex]!;
    const loser = approvers[1 - winnerIndex]!;
    expect(apiError(responses[1 - winnerIndex]!.json())).toMatchObject({ code: 'CASE.VERSION_CONFLICT', currentVersion: 3 });
    expect(responses[winnerIndex]!.json()).toMatchObject({ state: 'afronding', version: 3, decisionCode: 'VT-01-03' });

    const history = await historyRows(caseId);
    expect(history.map((h) => [h.seq, h.type, h.actor_id])).toEqual([
      [1, 'MELDING_REGISTERED', 'alice'],
      [2, 'DECISION_PROPOSED', 'alice'],
      [3, 'DECISION_APPROVED', winner.sub],
    ]);

    // The loser reloads and tries again: the proposal is gone, so the approval is not allowed any more.
    const before = await rowCounts(t.db);
    const retry = await t.request('POST', `/v1/cases/${caseId}/events`, loser.token, { type: 'DECISION_APPROVED', expectedVersion: 3 });
    expect(retry.statusCode).toBe(422);
    expect(apiError(retry.json())).toMatchObject({ code: 'CASE.EVENT_NOT_ALLOWED' });
    expect(await rowCounts(t.db)).toEqual(before);
    expect(await versionOf(caseId)).toBe(3);
  });

  it('20 concurrent events on 20 different cases do not block each other and all apply', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => register()));
    const responses = await Promise.all(ids.map((id, i) => t.request('POST', `/v1/cases/${id}/events`, alice, note(`notitie ${i}`, 1))));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    const versions = await t.db.selectFrom('cases').select('version').where('id', 'in', ids).execute();
    expect(versions.map((v) => v.version)).toEqual(Array(20).fill(2));
  });

  it('10 concurrent first meldingen for a team not yet known all succeed and create the team once', async () => {
    const dana = await t.token('dana', 'medewerker', { teams: ['team-nieuw'] });
    const responses = await Promise.all(Array.from({ length: 10 }, () => t.request('POST', '/v1/meldingen', dana, meldingBody())));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const teams = await t.db.selectFrom('teams').select('id').where('id', '=', 'team-nieuw').execute();
    expect(teams).toHaveLength(1);
    const cases = await t.db.selectFrom('cases').select('id').where('team_id', '=', 'team-nieuw').execute();
    expect(cases).toHaveLength(10);
  });

  it('the same advies converted by 10 concurrent meldingen becomes exactly one case; the rest get 409 ADVIES.ALREADY_CONVERTED', async () => {
    const advies = await t.request('POST', '/v1/adviezen', alice, {
      gemeente: 'GM0193',
      violenceTypes: ['partnergeweld'],
      caller: { professional: false },
      summary: 'Buurvrouw belt voor advies (synthetisch).',
    });
    expect(advies.statusCode).toBe(201);
    const adviesId = advies.json<{ id: string }>().id;
    const before = await rowCounts(t.db);

    const responses = await Promise.all(Array.from({ length: 10 }, () => t.request('POST', '/v1/meldingen', alice, meldingBody({ adviesId }))));
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const rejected = responses.filter((r) => r.statusCode !== 201);
    expect(rejected).toHaveLength(9);
    for (const r of rejected) {
      expect(r.statusCode).toBe(409);
      expect(apiError(r.json())).toMatchObject({ code: 'ADVIES.ALREADY_CONVERTED' });
    }
    const caseId = responses.find((r) => r.statusCode === 201)!.json<{ id: string }>().id;
    const after = await rowCounts(t.db);
    expect(after.cases).toBe(before.cases + 1);
    expect(after.case_events).toBe(before.case_events + 1);
    expect(after.converted_adviezen).toBe(before.converted_adviezen + 1);
    const row = await t.db.selectFrom('adviezen').select('converted_case_id').where('id', '=', adviesId).executeTakeFirstOrThrow();
    expect(row.converted_case_id).toBe(caseId);
  });
});
