import { sql } from 'kysely';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';

/**
 * A transition's lock and change statement are named prepared statements (db/prepared-statements.ts), parsed once
 * per connection. They name their result columns, so a migration that adds a column to `cases` while the process
 * runs does not break them: PostgreSQL re-plans them, and the answer is the case as before.
 */
describe('prepared transition statements', () => {
  let t: TestApp;
  let alice: string;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
  });
  afterAll(async () => t.close());

  const note = (caseId: string, expectedVersion: number, text: string) => t.request('POST', `/v1/cases/${caseId}/events`, alice, { type: 'NOTE_ADDED', expectedVersion, text });

  it('keep working on the same connections after a column is added to cases, and answer the case at its new version', async () => {
    const caseId = (await t.request('POST', '/v1/meldingen', alice, meldingBody())).json<{ id: string }>().id;
    // Enough transitions, several at once, that every pooled connection has prepared (and PostgreSQL cached) the statements.
    let version = 1;
    for (let i = 0; i < 8; i++) {
      const res = await note(caseId, version, `Notitie ${i}.`);
      expect(res.statusCode).toBe(200);
      version = res.json<{ version: number }>().version;
    }
    await sql`alter table cases add column prepared_statement_probe integer`.execute(t.db);
    try {
      const res = await note(caseId, version, 'Na de migratie.');
      expect(res.statusCode).toBe(200);
      const body = res.json<Record<string, unknown>>();
      expect(body.version).toBe(version + 1);
      expect(body).not.toHaveProperty('prepared_statement_probe');
      const history = (await t.request('GET', `/v1/cases/${caseId}/history`, alice)).json<{ items: Array<{ seq: number; type: string }> }>().items;
      expect(history.at(-1)).toMatchObject({ seq: version + 1, type: 'NOTE_ADDED' });
    } finally {
      await sql`alter table cases drop column prepared_statement_probe`.execute(t.db);
    }
  });

  it('answer a stale version with 409 as before, leaving no history or audit row behind', async () => {
    const caseId = (await t.request('POST', '/v1/meldingen', alice, meldingBody())).json<{ id: string }>().id;
    expect((await note(caseId, 1, 'Eerste.')).statusCode).toBe(200);
    const count = async () => {
      const events = await t.db.selectFrom('case_events').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
      const audit = await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', caseId).where('action', '=', 'case.event').executeTakeFirstOrThrow();
      return [Number(events.n), Number(audit.n)];
    };
    const before = await count();
    const stale = await note(caseId, 1, 'Verouderd.');
    expect(stale.statusCode).toBe(409);
    expect(await count()).toEqual(before);
  });
});
