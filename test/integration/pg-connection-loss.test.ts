import { Client } from 'pg';
import { apiError } from '../support/api-error';
import { until } from '../support/poll';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';

/**
 * A PostgreSQL backend terminated under a request (an administrator's kill, a failover,
 * idle_in_transaction_session_timeout) fails that one request with 503 DATABASE.UNAVAILABLE; the process keeps
 * serving. Before the pool gave every client an error listener for its whole life, the checked-out client's
 * 'error' event had no listener and took the whole process down.
 */
describe('a pg backend terminated while a request waits on a row lock', () => {
  let t: TestApp;
  let alice: string;
  const holders: Client[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
  });
  afterAll(async () => {
    for (const h of holders) await h.end().catch(() => undefined);
    await t.close();
  });

  it('gives that request a 503 with a stable code, writes nothing, and the next request succeeds', async () => {
    const created = await t.request('POST', '/v1/meldingen', alice, meldingBody());
    expect(created.statusCode).toBe(201);
    const caseId = created.json<{ id: string }>().id;

    const holder = new Client({ connectionString: urlOf(t) });
    holders.push(holder);
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM cases WHERE id = $1 FOR UPDATE', [caseId]);

    const pending = t.request('POST', `/v1/cases/${caseId}/events`, alice, { type: 'NOTE_ADDED', expectedVersion: 1, text: 'wacht op het slot' });
    const waiting = await until(
      async () =>
        (
          await holder.query<{ pid: number }>(
            "select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()",
          )
        ).rows,
      (rows) => rows.length > 0,
      10_000,
    );
    expect(waiting).toHaveLength(1);
    await holder.query('select pg_terminate_backend($1)', [waiting[0]!.pid]);

    const res = await pending;
    expect(res.statusCode).toBe(503);
    expect(apiError(res.json()).code).toBe('DATABASE.UNAVAILABLE');
    await holder.query('ROLLBACK');

    // Nothing was written, and the same process serves the next request on a fresh connection.
    const history = await t.request('GET', `/v1/cases/${caseId}/history`, alice);
    expect(history.statusCode).toBe(200);
    expect(history.json<{ items: Array<{ type: string }> }>().items.map((e) => e.type)).not.toContain('NOTE_ADDED');
    const retried = await t.request('POST', `/v1/cases/${caseId}/events`, alice, { type: 'NOTE_ADDED', expectedVersion: 1, text: 'opnieuw' });
    expect(retried.statusCode).toBe(200);
  });
});

function urlOf(t: TestApp): string {
  const url = t.config.DATABASE_URL;
  if (!url) throw new Error('the test app runs on PostgreSQL');
  return url;
}
