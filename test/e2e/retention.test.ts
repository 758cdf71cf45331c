import { sql } from 'kysely';
import { jobHandlers } from '../../src/services';
import { metricsRepository } from '../../src/reporting/metrics.repository';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { apiError } from '../support/api-error';

/** Persons of the dossier that will be destroyed: names and BSN found nowhere else in the database. */
const DOOMED = {
  parent: { role: 'ouder', name: 'Vernietigde Ouder Zeldzaam', birthDate: '1984-02-29', bsn: '314159265' },
  child: { role: 'kind', name: 'Vernietigd Kind Zeldzaam', birthDate: '2016-05-20' },
  melder: { name: 'Melder Zeldzaamheid', contact: 'zeldzaam@example.org' },
  note: 'Gesprek met Vernietigde Ouder Zeldzaam in de Zeldzaamstraat 7',
};
const SECRETS = [DOOMED.parent.name, DOOMED.child.name, DOOMED.parent.bsn, DOOMED.melder.name, DOOMED.melder.contact, 'Zeldzaamstraat', '1984-02-29', '2016-05-20'];

interface Retention {
  caseId: string;
  destroyOn: string | null;
  rule: string | null;
  legalHold: { since: string; by: string; reason: string } | null;
  destroyedAt: string | null;
  destruction: { personsRemoved: number; meldersRemoved: number; eventsRedacted: number; textFieldsRemoved: number } | null;
}

/** Every row of every table as text: what a database dump would show. */
async function dump(t: TestApp): Promise<string> {
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(t.db);
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(t.db);
    parts.push(...rows.rows.map((r) => r.row));
  }
  return parts.join('\n');
}

describe('retention: destruction dates, legal hold and the nightly destruction', () => {
  let t: TestApp;
  let alice: string, bob: string, manager: string, beheerder: string, gemeente: string;
  const ids: Record<'doomed' | 'held' | 'later' | 'open', string> = { doomed: '', held: '', later: '', open: '' };
  const versions = new Map<string, number>();

  async function register(body: Record<string, unknown>): Promise<string> {
    const res = await t.request('POST', '/v1/meldingen', alice, meldingBody(body));
    expect(res.statusCode).toBe(201);
    versions.set(res.json().id, 1);
    return res.json().id;
  }
  async function send(caseId: string, token: string, body: Record<string, unknown>) {
    t.clock.advance(60_000);
    const res = await t.request('POST', `/v1/cases/${caseId}/events`, token, { ...body, expectedVersion: versions.get(caseId) });
    expect(`${res.statusCode} ${res.body}`).toMatch(/^200 /);
    versions.set(caseId, res.json().version);
  }
  async function closeNietOntvankelijk(caseId: string, code: 'VT-00' | 'VT-99' = 'VT-00', rationale = 'Niet ontvankelijk.', comment = 'Akkoord.') {
    await send(caseId, alice, { type: 'DECISION_PROPOSED', safety: 'geen', code, rationale });
    await send(caseId, bob, { type: 'DECISION_APPROVED', comment });
  }
  async function retention(caseId: string): Promise<Retention> {
    const res = await t.request('GET', `/v1/cases/${caseId}/retention`, beheerder);
    expect(res.statusCode).toBe(200);
    return res.json<Retention>();
  }
  const metrics = async () => {
    const res = await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&month=2026-11', gemeente);
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const rawFigures = async () => {
    const from = new Date('2026-10-31T23:00:00Z');
    const to = new Date('2026-11-30T23:00:00Z');
    const sort = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
    return {
      received: sort(await metricsRepository.received(t.db, from, to)),
      byType: sort(await metricsRepository.receivedByViolenceType(t.db, from, to)),
      assessmentsMet: sort(await metricsRepository.metIn(t.db, 'veiligheidsbeoordeling', from, to)),
      opened: sort(await metricsRepository.openedIn(t.db, 'veiligheidsbeoordeling', from, to)),
    };
  };

  beforeAll(async () => {
    // Exact figures (no rounding or suppression), so "counts exactly as before" is checked to the unit.
    t = await startTestApp({ env: { DISCLOSURE_MIN_COUNT: '0', DISCLOSURE_ROUND_TO: '1' } });
    alice = await t.token('alice', 'medewerker', { teams: ['team-ijssel'] });
    bob = await t.token('bob', 'medewerker', { teams: ['team-ijssel'] });
    manager = await t.token('mona', 'manager');
    beheerder = await t.token('ben', 'beheerder');
    gemeente = await t.token('zwolle', 'gemeente', { gemeente: 'GM0193' });

    ids.doomed = await register({
      violenceTypes: ['kindermishandeling', 'partnergeweld'],
      reporter: { professional: false, ...DOOMED.melder },
      persons: [DOOMED.parent, DOOMED.child],
      summary: `Melding over ${DOOMED.child.name}, ${DOOMED.note}`,
    });
    await send(ids.doomed, alice, { type: 'NOTE_ADDED', text: DOOMED.note });
    await send(ids.doomed, alice, { type: 'PERSON_ADDED', person: { role: 'kind', name: 'Tweede Kind Zeldzaam', birthDate: '2019-01-01' } });
    await closeNietOntvankelijk(ids.doomed, 'VT-00', `Niet ontvankelijk: ${DOOMED.note}`, `Akkoord na overleg over ${DOOMED.child.name}`);
    ids.held = await register({});
    await closeNietOntvankelijk(ids.held, 'VT-99');
    ids.later = await register({});
    ids.open = await register({});
  });
  afterAll(async () => t.close());

  it('sets the destruction date in the transaction that closes a case (niet_ontvankelijk and doorverwezen alike)', async () => {
    const doomed = await retention(ids.doomed);
    // Closed 23 November 2026: 20 years after closure; the youngest child (2019) is 18 in 2037, earlier.
    expect(doomed).toMatchObject({ destroyOn: '2046-11-23', rule: 'closure_term', legalHold: null, destroyedAt: null });
    expect((await retention(ids.held)).destroyOn).toBe('2046-11-23');
    expect(await retention(ids.open)).toMatchObject({ destroyOn: null, rule: null });
    const events = await sql<{ type: string }>`select type from case_events where case_id = ${ids.doomed} order by seq`.execute(t.db);
    expect(events.rows.map((e) => e.type)).toEqual(['MELDING_REGISTERED', 'NOTE_ADDED', 'PERSON_ADDED', 'DECISION_PROPOSED', 'DECISION_APPROVED']);
  });

  it('lets only a manager or beheerder place a legal hold, with a reason, recorded in the history', async () => {
    expect((await t.request('PUT', `/v1/cases/${ids.held}/legal-hold`, alice, { reason: 'Strafzaak loopt' })).statusCode).toBe(403);
    expect((await t.request('PUT', `/v1/cases/${ids.held}/legal-hold`, gemeente, { reason: 'Strafzaak loopt' })).statusCode).toBe(403);
    expect((await t.request('GET', `/v1/cases/${ids.held}/retention`, alice)).statusCode).toBe(403);
    const noReason = await t.request('PUT', `/v1/cases/${ids.held}/legal-hold`, beheerder, {});
    expect(noReason.statusCode).toBe(400);
    expect(apiError(noReason.json()).issues).toEqual([{ field: 'reason', rule: expect.any(String) }]);
    expect(apiError((await t.request('DELETE', `/v1/cases/${ids.held}/legal-hold`, beheerder, { reason: 'niets te liften' })).json()).code).toBe('RETENTION.NO_LEGAL_HOLD');

    t.clock.advance(60_000);
    const placed = await t.request('PUT', `/v1/cases/${ids.held}/legal-hold`, beheerder, { reason: 'Strafzaak loopt (parket 123)' });
    expect(placed.statusCode).toBe(200);
    expect(placed.json()).toMatchObject({ legalHold: { by: 'ben', reason: 'Strafzaak loopt (parket 123)' } });
    // Placing it again changes nothing.
    const again = await t.request('PUT', `/v1/cases/${ids.held}/legal-hold`, manager, { reason: 'nogmaals' });
    expect(again.json().legalHold).toEqual(placed.json().legalHold);
    const history = (await t.request('GET', `/v1/cases/${ids.held}/history`, alice)).json().items;
    expect(history.at(-1)).toMatchObject({ type: 'LEGAL_HOLD_PLACED', actor: { id: 'ben', role: 'beheerder' }, payload: { reason: 'Strafzaak loopt (parket 123)' } });
    // Through the case ledger: one version per history row, and the hold in the audit trail (once: the repeat changed nothing).
    const version = await sql<{ version: number }>`select version from cases where id = ${ids.held}`.execute(t.db);
    expect(version.rows[0]!.version).toBe(history.at(-1).seq);
    const audited = await sql<{ actor_id: string; case_team: string }>`select actor_id, case_team from audit_log where action = 'legal-hold.place' and case_id = ${ids.held}`.execute(t.db);
    expect(audited.rows).toEqual([{ actor_id: 'ben', case_team: 'team-ijssel' }]);
  });

  it('destroys a dossier past its date: personal data and free text gone, the figures unchanged; a held one and one not yet due stay', async () => {
    // The "later" case closes half a year on: due in 2047.
    t.clock.set(new Date('2027-06-01T10:00:00+02:00'));
    await closeNietOntvankelijk(ids.later);
    expect((await retention(ids.later)).destroyOn).toBe('2047-06-01');

    t.clock.set(new Date('2046-11-23T03:00:00+01:00'));
    const before = await metrics();
    const rawBefore = await rawFigures();
    expect(before.months[0].gemeente.received.value).toBe(4);
    const countsBefore = await sql<{ n: number }>`select count(*)::int as n from deadlines where case_id = ${ids.doomed}`.execute(t.db);

    const report = await jobHandlers(t.services, t.db, t.clock)['retention-destroy']();
    expect(report).toEqual({ dated: 0, destroyed: 1, today: '2046-11-23' });

    // The figures count the destroyed case exactly as before.
    expect(await metrics()).toEqual(before);
    expect(await rawFigures()).toEqual(rawBefore);
    expect((await sql<{ n: number }>`select count(*)::int as n from deadlines where case_id = ${ids.doomed}`.execute(t.db)).rows).toEqual(countsBefore.rows);

    // Reading it: 410 Gone with a stable code, for the case, its history and its transitions.
    for (const path of ['', '/history', '/transitions']) {
      const res = await t.request('GET', `/v1/cases/${ids.doomed}${path}`, alice);
      expect(res.statusCode).toBe(410);
      expect(apiError(res.json()).code).toBe('CASE.DESTROYED');
    }
    const event = await t.request('POST', `/v1/cases/${ids.doomed}/events`, alice, { type: 'NOTE_ADDED', expectedVersion: 6, text: 'te laat' });
    expect(event.statusCode).toBe(410);

    // No name, BSN, birth date, contact or note of the dossier is anywhere in the database.
    const all = await dump(t);
    for (const secret of SECRETS) expect({ secret, found: all.split('\n').filter((r) => r.includes(secret)) }).toEqual({ secret, found: [] });
    expect(all).not.toContain('Tweede Kind Zeldzaam');

    // The anonymised shell and the destruction record.
    const shell = await sql<{ summary: string; gemeente: string; violence_types: string[]; state: string; decision_code: string }>`select summary, gemeente, violence_types, state, decision_code from cases where id = ${ids.doomed}`.execute(t.db);
    expect(shell.rows[0]).toEqual({ summary: '', gemeente: 'GM0193', violence_types: ['kindermishandeling', 'partnergeweld'], state: 'niet_ontvankelijk', decision_code: 'VT-00' });
    const status = await retention(ids.doomed);
    // Removed: the summary, the note, the rationale and the approval's comment.
    expect(status).toMatchObject({ destroyedAt: '2046-11-23T02:00:00.000Z', destruction: { personsRemoved: 3, meldersRemoved: 1, eventsRedacted: 3, textFieldsRemoved: 4 } });
    const history = await sql<{ type: string; payload: Record<string, unknown>; actor_id: string }>`select type, payload, actor_id from case_events where case_id = ${ids.doomed} order by seq`.execute(t.db);
    expect(history.rows.map((e) => e.type)).toEqual(['MELDING_REGISTERED', 'NOTE_ADDED', 'PERSON_ADDED', 'DECISION_PROPOSED', 'DECISION_APPROVED', 'DOSSIER_DESTROYED']);
    expect(history.rows[3]!.payload).toEqual({ safety: 'geen', code: 'VT-00' });
    expect(history.rows[5]).toMatchObject({ actor_id: 'retention-job', payload: { rule: 'closure_term', destroyOn: '2046-11-23', personsRemoved: 3 } });
    // The destruction, like every change to a case, is in the audit trail.
    const audited = await sql<{ actor_id: string; actor_role: string; detail: string }>`select actor_id, actor_role, detail from audit_log where action = 'dossier.destroy' and case_id = ${ids.doomed}`.execute(t.db);
    expect(audited.rows).toEqual([{ actor_id: 'retention-job', actor_role: 'system', detail: 'closure_term' }]);

    // The held case and the one not yet due keep everything; the open case has no date.
    for (const id of [ids.held, ids.later, ids.open]) {
      const res = await t.request('GET', `/v1/cases/${id}`, alice);
      expect(res.statusCode).toBe(200);
      expect(res.json().persons[0].name).toBe('Testouder Een');
    }

    // A second run finds nothing to do.
    expect(await t.services.retention.run()).toEqual({ dated: 0, destroyed: 0, today: '2046-11-23' });
  });

  it('destroys a held dossier once the hold is lifted, once, however many workers run at the same time', async () => {
    const lift = await t.request('DELETE', `/v1/cases/${ids.held}/legal-hold`, manager, { reason: 'Strafzaak afgerond' });
    expect(lift.statusCode).toBe(200);
    expect(lift.json().legalHold).toBeNull();
    const runs = await Promise.all([t.services.retention.run(), t.services.retention.run(), t.services.retention.run()]);
    expect(runs.reduce((n, r) => n + r.destroyed, 0)).toBe(1);
    expect((await retention(ids.held)).destroyedAt).not.toBeNull();
    const records = await sql<{ n: number }>`select count(*)::int as n from retention_destructions`.execute(t.db);
    expect(records.rows[0]!.n).toBe(2);
    // A destroyed dossier takes no new hold.
    expect(apiError((await t.request('PUT', `/v1/cases/${ids.held}/legal-hold`, manager, { reason: 'te laat' })).json()).code).toBe('CASE.DESTROYED');
  });

  it('dates closed cases that have no date yet (closed before retention existed, or bulk-seeded)', async () => {
    await sql`update cases set destroy_on = null, retention_rule = null where id = ${ids.later}`.execute(t.db);
    const report = await t.services.retention.run();
    expect(report).toMatchObject({ dated: 1, destroyed: 0 });
    expect((await retention(ids.later)).destroyOn).toBe('2047-06-01');
  });

  it('keeps case_events append-only for everyone but the destruction of a destroyed case', async () => {
    const update = (caseId: string) => sql`update case_events set payload = '{}'::jsonb where case_id = ${caseId}`.execute(t.db);
    await expect(update(ids.open)).rejects.toThrow(/append-only/);
    await expect(
      t.db.transaction().execute(async (trx) => {
        await sql`select set_config('vt.retention_destruction', 'on', true)`.execute(trx);
        await sql`update case_events set payload = '{}'::jsonb where case_id = ${ids.open}`.execute(trx);
      }),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db.transaction().execute(async (trx) => {
        await sql`select set_config('vt.retention_destruction', 'on', true)`.execute(trx);
        await sql`delete from case_events where case_id = ${ids.doomed}`.execute(trx);
      }),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db.transaction().execute(async (trx) => {
        await sql`select set_config('vt.retention_destruction', 'on', true)`.execute(trx);
        await sql`update case_events set actor_id = 'someone-else' where case_id = ${ids.doomed}`.execute(trx);
      }),
    ).rejects.toThrow(/append-only/);
  });
});

describe('retention: the youngest child rule', () => {
  let t: TestApp;
  afterAll(async () => t.close());

  it('keeps a dossier until the youngest child is 18 when that is later than the term', async () => {
    t = await startTestApp({ env: { RETENTION_YEARS: '5' } });
    const alice = await t.token('alice', 'medewerker', { teams: ['team-ijssel'] });
    const bob = await t.token('bob', 'medewerker', { teams: ['team-ijssel'] });
    const res = await t.request('POST', '/v1/meldingen', alice, meldingBody({ persons: [{ role: 'kind', name: 'Jong Kind', birthDate: '2016-02-29' }] }));
    const id = res.json().id;
    expect((await t.request('POST', `/v1/cases/${id}/events`, alice, { type: 'DECISION_PROPOSED', expectedVersion: 1, safety: 'geen', code: 'VT-00', rationale: 'x' })).statusCode).toBe(200);
    expect((await t.request('POST', `/v1/cases/${id}/events`, bob, { type: 'DECISION_APPROVED', expectedVersion: 2 })).statusCode).toBe(200);
    const row = await sql<{ destroy_on: string; retention_rule: string }>`select destroy_on, retention_rule from cases where id = ${id}`.execute(t.db);
    // Born 29 February 2016: 18 on 1 March 2034 (no 29 February that year), later than 2031-11-23.
    expect(row.rows[0]).toEqual({ destroy_on: '2034-03-01', retention_rule: 'youngest_child' });
    t.clock.set(new Date('2034-02-28T12:00:00+01:00'));
    expect(await t.services.retention.run()).toMatchObject({ destroyed: 0 });
    t.clock.set(new Date('2034-03-01T00:30:00+01:00'));
    expect(await t.services.retention.run()).toMatchObject({ destroyed: 1 });
  });
});
