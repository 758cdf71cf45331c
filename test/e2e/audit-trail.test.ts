/**
 * The audit trail on real PostgreSQL: one row per API access, break-the-glass reads, the beheerder's view, a hash
 * chain that detects a changed or missing row, and a database role for the application that cannot alter the trail.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { Client } from 'pg';
import type { AuditLogRow } from '../../db/schema';
import { APP_ROLE } from '../../db/migrations/20261123T0100_audit_trail';
import { auditRowHash } from '../../src/audit/audit-chain';
import { AuditSealer } from '../../src/audit/audit-sealer';
import { verifyAuditChain } from '../../src/audit/audit.service';
import { signDevelopmentToken } from '../../src/auth/token-verifier';
import type { Role } from '../../src/auth/principal';
import { ManualClock } from '../support/clocks';
import { asRole, startAppAsRole, type RoleApp } from '../support/app-role';
import { apiError } from '../support/api-error';
import { meldingBody, TEST_JWT_SECRET } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { RUN_STAMP, TEST_DATABASE_URL, withDatabase } from '../support/test-env';

jest.setTimeout(60_000);

const REPO_ROOT = path.resolve(__dirname, '../..');
const token = (sub: string, role: Role, teams: string[] = [], gemeente?: string) => signDevelopmentToken(TEST_JWT_SECRET, { sub, role, teams, gemeente });

describe('audit trail', () => {
  let database: TestDatabase;
  let s: RoleApp;
  const clock = new ManualClock(new Date('2026-11-23T09:00:00+01:00'));
  const tokens: Record<string, string> = {};
  let caseId: string;

  const call = (method: 'GET' | 'POST', url: string, who: string, opts: { body?: unknown; reason?: string } = {}): Promise<LightMyRequestResponse> =>
    s.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(opts.reason === undefined ? {} : { 'x-access-reason': opts.reason }) },
      ...(opts.body === undefined ? {} : { payload: opts.body as object }),
    });
  const auditRows = (): Promise<AuditLogRow[]> => database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  /** Runs `fn` and returns the audit rows it added. */
  const added = async (fn: () => Promise<unknown>): Promise<AuditLogRow[]> => {
    const before = (await auditRows()).length;
    await fn();
    return (await auditRows()).slice(before);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    // The application runs as the restricted role throughout this file, as in production.
    s = await startAppAsRole(database, APP_ROLE, clock);
    tokens.alice = await token('alice', 'medewerker', ['team-zwolle']);
    tokens.bob = await token('bob', 'medewerker', ['team-deventer']);
    tokens.tess = await token('tess', 'teamleider', ['team-deventer']);
    tokens.mia = await token('mia', 'manager');
    tokens.max = await token('max', 'manager', ['team-zwolle']);
    tokens.gemma = await token('gemma', 'gemeente', [], 'GM0193');
    tokens.ben = await token('ben', 'beheerder');
    const res = await call('POST', '/v1/meldingen', 'alice', { body: meldingBody() });
    expect(res.statusCode).toBe(201);
    caseId = res.json<{ id: string }>().id;
  });
  afterAll(async () => {
    await s.close();
    await database.drop();
  });

  describe('one row per access', () => {
    it('registration wrote one melding.register row in its own transaction', async () => {
      const rows = (await auditRows()).filter((r) => r.case_id === caseId);
      expect(rows).toEqual([expect.objectContaining({ action: 'melding.register', actor_id: 'alice', actor_role: 'medewerker', actor_teams: ['team-zwolle'], case_team: 'team-zwolle', break_glass: false })]);
    });

    it.each([
      ['case.read', ''],
      ['case.history.read', '/history'],
      ['case.transitions.read', '/transitions'],
      ['melder.read', '/melder'],
    ])('every API read adds exactly one row: %s', async (action, suffix) => {
      for (let i = 0; i < 3; i++) {
        let res: LightMyRequestResponse | undefined;
        const rows = await added(async () => {
          res = await call('GET', `/v1/cases/${caseId}${suffix}`, 'alice');
        });
        expect(res?.statusCode).toBe(200);
        expect(rows).toEqual([expect.objectContaining({ action, case_id: caseId, actor_id: 'alice', actor_role: 'medewerker', break_glass: false, reason: null })]);
      }
    });

    it('a case list adds one row without a case', async () => {
      const rows = await added(async () => expect((await call('GET', '/v1/cases', 'alice')).statusCode).toBe(200));
      expect(rows).toEqual([expect.objectContaining({ action: 'case.list', case_id: null, actor_id: 'alice' })]);
    });

    it('a change adds one case.event row with the event type; a refused change adds none', async () => {
      const ok = await added(async () => expect((await call('POST', `/v1/cases/${caseId}/events`, 'alice', { body: { type: 'NOTE_ADDED', expectedVersion: 1, text: 'Gesprek met school gevoerd.' } })).statusCode).toBe(200));
      expect(ok).toEqual([expect.objectContaining({ action: 'case.event', detail: 'NOTE_ADDED', case_id: caseId })]);
      const stale = await added(async () => expect((await call('POST', `/v1/cases/${caseId}/events`, 'alice', { body: { type: 'NOTE_ADDED', expectedVersion: 1, text: 'Te laat.' } })).statusCode).toBe(409));
      expect(stale).toEqual([]);
      const otherTeam = await added(async () => expect((await call('POST', `/v1/cases/${caseId}/events`, 'bob', { body: { type: 'NOTE_ADDED', expectedVersion: 2, text: 'Niet mijn zaak.' } })).statusCode).toBe(404));
      // Refused: recorded as a refusal (who, route, code), not as a change.
      expect(otherTeam).toEqual([expect.objectContaining({ action: 'access.refused', actor_id: 'bob', case_id: caseId, detail: 'POST /v1/cases/:id/events CASE.NOT_FOUND' })]);
    });

    it('no personal data in the trail: no names, BSN, contact or free text', async () => {
      const text = JSON.stringify(await auditRows());
      for (const personal of ['Testouder', 'Testkind', '111222333', 'Juf Testmelder', '038-0000000', 'Zorgen over', 'Gesprek met school']) expect(text).not.toContain(personal);
    });

    it('a gemeente token and a beheerder never reach the case; only the refusal is recorded', async () => {
      for (const who of ['gemma', 'ben']) {
        const rows = await added(async () => expect((await call('GET', `/v1/cases/${caseId}`, who)).statusCode).toBe(403));
        expect(rows).toEqual([expect.objectContaining({ action: 'access.refused', actor_id: who, detail: 'GET /v1/cases/:id AUTH.FORBIDDEN' })]);
      }
    });

    it('when the audit row cannot be written, the read fails and returns no case data', async () => {
      await sql`create function audit_fail() returns trigger language plpgsql as $$ begin raise exception 'audit store unavailable'; end $$`.execute(database.db);
      await sql`create trigger audit_fail before insert on audit_log for each row execute function audit_fail()`.execute(database.db);
      try {
        const res = await call('GET', `/v1/cases/${caseId}`, 'alice');
        expect(res.statusCode).toBe(500);
        expect(res.body).not.toContain('Testkind');
        expect(apiError(res.json())).toMatchObject({ code: 'INTERNAL' });
      } finally {
        await sql`drop trigger audit_fail on audit_log`.execute(database.db);
        await sql`drop function audit_fail()`.execute(database.db);
      }
    });
  });

  describe('break the glass', () => {
    it('a medewerker of another team gets 404, with or without a reason, and leaves only a refusal row', async () => {
      for (const reason of [undefined, 'Crisisdienst: melding over hetzelfde gezin']) {
        const rows = await added(async () => {
          const res = await call('GET', `/v1/cases/${caseId}`, 'bob', { reason });
          expect({ status: res.statusCode, code: apiError(res.json()).code }).toEqual({ status: 404, code: 'CASE.NOT_FOUND' });
        });
        expect(rows).toEqual([expect.objectContaining({ action: 'access.refused', actor_id: 'bob', break_glass: false, detail: 'GET /v1/cases/:id CASE.NOT_FOUND' })]);
      }
    });

    it('a teamleider or manager of another team without a reason: 403 CASE.REASON_REQUIRED naming the header', async () => {
      for (const who of ['tess', 'mia']) {
        for (const suffix of ['', '/history', '/transitions']) {
          const res = await call('GET', `/v1/cases/${caseId}${suffix}`, who);
          expect({ status: res.statusCode, code: apiError(res.json()).code }).toEqual({ status: 403, code: 'CASE.REASON_REQUIRED' });
          expect(apiError(res.json()).message).toContain('x-access-reason');
          // The team is not named: who has not yet given a reason learns only that the case exists.
          expect(apiError(res.json()).message).not.toMatch(/team-zwolle|team zwolle/i);
        }
      }
    });

    it('a reason that says nothing is a 400 naming the header and its rule', async () => {
      const res = await call('GET', `/v1/cases/${caseId}`, 'tess', { reason: 'omdat' });
      expect(res.statusCode).toBe(400);
      expect(apiError(res.json()).issues).toEqual([{ field: 'headers.x-access-reason', rule: 'must say why, in at least 10 characters' }]);
    });

    it('with a reason, a teamleider of another team reads the case; the row says break_glass with the reason', async () => {
      const reason = 'Waarneming: teamleider Zwolle afwezig, acute vraag politie';
      let res: LightMyRequestResponse | undefined;
      const rows = await added(async () => {
        res = await call('GET', `/v1/cases/${caseId}`, 'tess', { reason });
      });
      expect(res?.statusCode).toBe(200);
      expect(rows).toEqual([expect.objectContaining({ action: 'case.read', actor_id: 'tess', actor_teams: ['team-deventer'], case_team: 'team-zwolle', break_glass: true, reason })]);
    });

    it('a manager without teams breaks the glass for history too; a manager of the team reads without a reason', async () => {
      const rows = await added(async () => expect((await call('GET', `/v1/cases/${caseId}/history`, 'mia', { reason: 'Klacht van ouder over behandeling' })).statusCode).toBe(200));
      expect(rows).toEqual([expect.objectContaining({ action: 'case.history.read', actor_role: 'manager', break_glass: true })]);
      const own = await added(async () => expect((await call('GET', `/v1/cases/${caseId}`, 'max')).statusCode).toBe(200));
      expect(own).toEqual([expect.objectContaining({ action: 'case.read', actor_id: 'max', break_glass: false })]);
    });
  });

  describe('GET /v1/audit (beheerder)', () => {
    it('pages through the rows of a case, oldest first, and records its own reading', async () => {
      const all = (await auditRows()).filter((r) => r.case_id === caseId);
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await call('GET', `/v1/audit?case=${caseId}&limit=4${cursor ? `&cursor=${cursor}` : ''}`, 'ben');
        expect(res.statusCode).toBe(200);
        const body = res.json<{ items: Array<{ seq: number; caseId: string; hash: string; actor: { id: string } }>; nextCursor: string | null }>();
        expect(body.items.length).toBeLessThanOrEqual(4);
        seen.push(...body.items.map((i) => i.seq));
        cursor = body.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      // The pages hold the case's rows as they were when reading began, plus the audit.read rows of earlier pages.
      const afterwards = (await auditRows()).filter((r) => r.case_id === caseId);
      expect(seen).toEqual(afterwards.map((r) => r.seq).slice(0, seen.length));
      expect(seen.length).toBeGreaterThanOrEqual(all.length);
      expect(afterwards.filter((r) => r.action === 'audit.read' && r.actor_id === 'ben')).toHaveLength(pages);
    });

    it('filters on break-the-glass reads', async () => {
      const res = await call('GET', '/v1/audit?breakGlass=true', 'ben');
      const items = res.json<{ items: Array<{ breakGlass: boolean; reason: string }> }>().items;
      expect(items.length).toBe(2);
      expect(items.every((i) => i.breakGlass && i.reason.length >= 10)).toBe(true);
    });

    it('refuses everyone but a beheerder; rejects a bad cursor', async () => {
      for (const who of ['alice', 'tess', 'mia', 'gemma']) expect((await call('GET', `/v1/audit?case=${caseId}`, who)).statusCode).toBe(403);
      const bad = await call('GET', '/v1/audit?cursor=abc', 'ben');
      expect(bad.statusCode).toBe(400);
      expect(apiError(bad.json()).issues).toEqual([expect.objectContaining({ field: 'querystring.cursor' })]);
    });
  });

  it('the OpenAPI document has the audit and export routes, and the reason header on case reads', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/audit', '/v1/cases/{id}/melder', '/v1/cases/{id}/persons/{personId}/export']));
    for (const path of ['/v1/cases/{id}', '/v1/cases/{id}/history', '/v1/cases/{id}/transitions']) {
      expect(doc.paths[path]!.get!.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'x-access-reason' })]));
    }
  });

  describe('the hash chain', () => {
    const seal = () => s.services.sealer.sealAll();
    const sealRows = () => database.db.selectFrom('audit_seal').selectAll().orderBy('chain_seq').execute();

    it('concurrent accesses insert unchained rows without a lock, group-committed; the sealer chains every one of them', async () => {
      const start = (await auditRows()).length;
      const results = await Promise.all(Array.from({ length: 24 }, (_, i) => call('GET', `/v1/cases/${caseId}${i % 2 ? '/history' : ''}`, 'alice')));
      expect(results.every((r) => r.statusCode === 200)).toBe(true);
      const rows = await auditRows();
      expect(rows.length - start).toBe(24);
      const { rows: tx } = await sql<{ n: number }>`select count(distinct xmin::text)::int as n from audit_log where seq > ${start}`.execute(database.db);
      expect(tx[0]!.n).toBeLessThan(24);
      expect(rows.every((r) => r.hash === null && r.prev_hash === null && /^[0-9a-f]{64}$/.test(r.row_hash ?? ''))).toBe(true);
      // Before sealing: intact, with every row in the unsealed tail.
      const before = await verifyAuditChain(database.db, { batchSize: 7 });
      expect(before).toEqual({ ok: true, rows: 0, head: null, unsealed: { rows: rows.length, oldestQueuedAt: expect.any(Date) } });
      // The sealer runs as the application role: it may insert links and empty its queue, nothing more.
      expect(await seal()).toBe(rows.length);
      const links = await sealRows();
      expect(links.map((l) => l.chain_seq)).toEqual(rows.map((_, i) => i + 1));
      expect(links.map((l) => l.audit_seq).sort((a, b) => a - b)).toEqual(rows.map((r) => r.seq));
      expect(await verifyAuditChain(database.db, { batchSize: 7 })).toEqual({ ok: true, rows: rows.length, head: { seq: rows.length, hash: links[links.length - 1]!.hash }, unsealed: { rows: 0, oldestQueuedAt: null } });
      expect(await database.db.selectFrom('audit_pending').selectAll().execute()).toEqual([]);
    });

    it('two sealers at once build one chain: the sealer lock lets one seal each round', async () => {
      await Promise.all(Array.from({ length: 30 }, () => call('GET', `/v1/cases/${caseId}`, 'alice')));
      const other = new AuditSealer({ db: s.db, batchSize: 7 });
      const [a, b] = await Promise.all([seal(), other.sealAll()]);
      const rest = await seal();
      expect(a + b + rest).toBe(30);
      const v = await verifyAuditChain(database.db);
      expect(v).toMatchObject({ ok: true, unsealed: { rows: 0 } });
    });

    it('GET /v1/audit shows each row with its seal, or sealed: false while it waits', async () => {
      await seal();
      const res = await call('GET', `/v1/audit?case=${caseId}&limit=500`, 'ben');
      const items = res.json<{ items: Array<{ sealed: boolean; chainSeq: number | null; hash: string | null; rowHash: string }> }>().items;
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((i) => i.sealed && typeof i.chainSeq === 'number' && /^[0-9a-f]{64}$/.test(i.hash ?? ''))).toBe(true);
      const next = await call('GET', `/v1/audit?case=${caseId}&limit=500`, 'ben');
      const mine = next.json<{ items: Array<{ action: string; sealed: boolean; chainSeq: number | null; hash: string | null }> }>().items.filter((i) => i.action === 'audit.read');
      // The first reading's row is not sealed yet (no sealer ran since).
      expect(mine.at(-1)).toMatchObject({ sealed: false, chainSeq: null, hash: null });
      await seal();
    });

    it('the application role cannot UPDATE, DELETE or TRUNCATE audit rows or seals (privileges), only INSERT and SELECT', async () => {
      const client = new Client({ connectionString: asRole(database.url, APP_ROLE) });
      await client.connect();
      try {
        expect((await client.query<{ r: string }>('select current_user as r')).rows[0]!.r).toBe(APP_ROLE);
        expect((await client.query<{ n: number }>('select count(*)::int as n from audit_log')).rows[0]!.n).toBeGreaterThan(0);
        for (const table of ['audit_log', 'audit_seal']) {
          const key = table === 'audit_log' ? 'seq' : 'chain_seq';
          await expect(client.query(`update ${table} set ${key} = ${key} where ${key} = 1`)).rejects.toThrow(new RegExp(`permission denied for table ${table}`));
          await expect(client.query(`delete from ${table} where ${key} = 1`)).rejects.toThrow(new RegExp(`permission denied for table ${table}`));
          await expect(client.query(`truncate ${table}`)).rejects.toThrow(new RegExp(`permission denied for table ${table}`));
        }
        await expect(client.query('update audit_pending set audit_seq = audit_seq')).rejects.toThrow(/permission denied for table audit_pending/);
        // And it cannot lift the protection: the triggers are not its to drop or disable.
        await expect(client.query('alter table audit_log disable trigger audit_log_no_update_delete')).rejects.toThrow(/must be owner/);
        await expect(client.query('drop trigger audit_log_no_update_delete on audit_log')).rejects.toThrow(/must be owner/);
        await expect(client.query('alter table audit_seal disable trigger audit_seal_no_update_delete')).rejects.toThrow(/must be owner/);
      } finally {
        await client.end();
      }
    });

    it('even the owner is refused by the triggers', async () => {
      await expect(sql`update audit_log set reason = 'x' where seq = 1`.execute(database.db)).rejects.toThrow(/append-only \(UPDATE refused\)/);
      await expect(sql`delete from audit_log where seq = 1`.execute(database.db)).rejects.toThrow(/append-only \(DELETE refused\)/);
      await expect(sql`truncate audit_log`.execute(database.db)).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
      await expect(sql`update audit_seal set hash = hash where chain_seq = 1`.execute(database.db)).rejects.toThrow(/audit_seal is append-only \(UPDATE refused\)/);
      await expect(sql`delete from audit_seal where chain_seq = 1`.execute(database.db)).rejects.toThrow(/audit_seal is append-only \(DELETE refused\)/);
      expect((await verifyAuditChain(database.db)).ok).toBe(true);
    });

    const verifyCli = () =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/audit/audit-verify.cli.ts'], {
        cwd: REPO_ROOT,
        env: { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'test' },
        encoding: 'utf8',
        timeout: 30_000,
      });

    it('npm run audit:verify passes on the intact chain and prints its head and the unsealed tail with its age', async () => {
      await seal();
      const links = await sealRows();
      let run = verifyCli();
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      expect(run.stdout).toContain(`audit chain intact: ${links.length} rows; head seq ${links.length} hash ${links[links.length - 1]!.hash}; unsealed tail: none`);
      await call('GET', `/v1/cases/${caseId}`, 'alice');
      run = verifyCli();
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`audit chain intact: ${links.length} rows; head seq ${links.length} hash [0-9a-f]{64}; unsealed tail: 1 rows, oldest queued \\d+\\.\\d s ago`));
    });

    /** As a superuser would: with the triggers disabled for one statement. */
    const tamper = async (table: 'audit_log' | 'audit_seal', statement: ReturnType<typeof sql>) => {
      await database.db.transaction().execute(async (trx) => {
        await sql`alter table ${sql.table(table)} disable trigger user`.execute(trx);
        await statement.execute(trx);
        await sql`alter table ${sql.table(table)} enable trigger user`.execute(trx);
      });
    };

    it('a sealed row changed behind the triggers breaks audit:verify, which names it; recomputing its row hash does not help', async () => {
      await seal();
      const links = await sealRows();
      const link = links[4]!;
      const target = (await auditRows()).find((r) => r.seq === link.audit_seq)!;
      await tamper('audit_log', sql`update audit_log set actor_id = 'someone-else' where seq = ${target.seq}`);
      const verdict = await verifyAuditChain(database.db, { batchSize: 3 });
      expect(verdict).toEqual({ ok: false, rows: 4, broken: { seq: target.seq, reason: expect.stringContaining('does not match its contents') } });
      const run = verifyCli();
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`audit chain BROKEN at seq ${target.seq}:`);
      // The attacker recomputes the row's own hash: the seal no longer fits.
      const forged = auditRowHash({ ...target, actor_id: 'someone-else' });
      await tamper('audit_log', sql`update audit_log set row_hash = ${forged} where seq = ${target.seq}`);
      expect(await verifyAuditChain(database.db)).toEqual({ ok: false, rows: 4, broken: { seq: target.seq, reason: expect.stringContaining('seal hash') } });
      await tamper('audit_log', sql`update audit_log set actor_id = ${target.actor_id}, row_hash = ${target.row_hash} where seq = ${target.seq}`);
      expect((await verifyAuditChain(database.db)).ok).toBe(true);
    });

    it('an unsealed row changed behind the triggers is found too; so is one taken out of the sealer queue', async () => {
      await seal();
      const res = await call('GET', `/v1/cases/${caseId}`, 'alice');
      expect(res.statusCode).toBe(200);
      const target = (await auditRows()).at(-1)!;
      expect(await database.db.selectFrom('audit_pending').select('audit_seq').execute()).toEqual([{ audit_seq: target.seq }]);
      await tamper('audit_log', sql`update audit_log set case_id = null where seq = ${target.seq}`);
      const sealedRows = (await sealRows()).length;
      expect(await verifyAuditChain(database.db)).toEqual({ ok: false, rows: sealedRows, broken: { seq: target.seq, reason: expect.stringContaining('unsealed row: stored row_hash') } });
      expect(verifyCli().stderr).toContain(`audit chain BROKEN at seq ${target.seq}: unsealed row`);
      await tamper('audit_log', sql`update audit_log set case_id = ${target.case_id} where seq = ${target.seq}`);
      expect((await verifyAuditChain(database.db)).ok).toBe(true);
      await sql`delete from audit_pending where audit_seq = ${target.seq}`.execute(database.db);
      expect(await verifyAuditChain(database.db)).toEqual({ ok: false, rows: sealedRows, broken: { seq: target.seq, reason: expect.stringContaining('not queued for sealing') } });
      await database.db.insertInto('audit_pending').values({ audit_seq: target.seq }).execute();
      await seal();
      expect((await verifyAuditChain(database.db)).ok).toBe(true);
    });

    it('a deleted sealed row, and a deleted seal, break the chain', async () => {
      await seal();
      const links = await sealRows();
      await tamper('audit_log', sql`delete from audit_log where seq = ${links[2]!.audit_seq}`);
      expect(await verifyAuditChain(database.db)).toEqual({ ok: false, rows: 2, broken: { seq: links[2]!.audit_seq, reason: expect.stringContaining('is missing: it was deleted') } });
      await tamper('audit_seal', sql`delete from audit_seal where chain_seq = 2`);
      expect(await verifyAuditChain(database.db)).toEqual({ ok: false, rows: 1, broken: { seq: links[2]!.audit_seq, reason: expect.stringContaining('expected chain position 2 but found position 3') } });
    });
  });
});

describe('changes outside the event API are audited in their own transaction', () => {
  let database: TestDatabase;
  let s: RoleApp;
  const clock = new ManualClock(new Date('2026-11-23T09:00:00+01:00'));

  beforeAll(async () => {
    database = await createTestDatabase();
    s = await startAppAsRole(database, APP_ROLE, clock);
  });
  afterAll(async () => {
    await s.close();
    await database.drop();
  });

  it('a deadline adjustment and an alert acknowledgement each add one row naming the case and the deadline or alert', async () => {
    const headers = async (sub: string, role: Role) => ({ authorization: `Bearer ${await token(sub, role, ['team-zwolle'])}` });
    const created = await s.app.inject({ method: 'POST', url: '/v1/meldingen', headers: await headers('alice', 'medewerker'), payload: meldingBody() });
    const c = created.json<{ id: string; deadlines: Array<{ id: string; kind: string }> }>();
    const deadline = c.deadlines.find((d) => d.kind === 'veiligheidsbeoordeling')!;
    const rowsAfter = async (seq: number) => database.db.selectFrom('audit_log').selectAll().where('seq', '>', seq).execute();
    const head = async () => (await database.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow()).seq;

    let before = await head();
    const adjusted = await s.app.inject({ method: 'POST', url: `/v1/deadlines/${deadline.id}/adjustments`, headers: await headers('tom', 'teamleider'), payload: { kind: 'verlenging', werkdagen: 2, reason: 'Gezin op vakantie' } });
    expect(adjusted.statusCode).toBe(200);
    expect(await rowsAfter(before)).toEqual([expect.objectContaining({ action: 'deadline.adjust', actor_id: 'tom', case_id: c.id, case_team: 'team-zwolle', detail: deadline.id, reason: null })]);

    // An alert as the deadline firing would raise it (inserted by the owner; acknowledging goes through the API).
    const alertId = '7a1e0000-0000-4000-8000-000000000001';
    await database.db
      .insertInto('alerts')
      .values({ id: alertId, deadline_id: deadline.id, case_id: c.id, team_id: 'team-zwolle', level: 'warning', deadline_kind: 'veiligheidsbeoordeling', due_at: new Date(), created_at: new Date(), escalate_at: null, acknowledged_at: null, acknowledged_by: null })
      .execute();
    before = await head();
    const acked = await s.app.inject({ method: 'POST', url: `/v1/alerts/${alertId}/ack`, headers: await headers('tom', 'teamleider'), payload: {} });
    expect(acked.statusCode).toBe(200);
    expect(await rowsAfter(before)).toEqual([expect.objectContaining({ action: 'alert.ack', actor_id: 'tom', case_id: c.id, detail: alertId })]);
    expect(JSON.stringify(await rowsAfter(0))).not.toContain('Gezin op vakantie');
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});

describe('production wiring: the schema owner migrates, the service runs as the application role', () => {
  it('npm start with MIGRATION_DATABASE_URL (owner) and DATABASE_URL (vt_app) migrates an empty database, then serves and audits', async () => {
    const name = `test_vt_${RUN_STAMP}_empty_${Math.random().toString(16).slice(2, 10)}`;
    const admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    const ownerUrl = withDatabase(TEST_DATABASE_URL, name);
    const port = 39_000 + Math.floor(Math.random() * 1000);
    // Embedded timer mode (no Redis): the in-process reconciler, as `npm start` on one node.
    const { REDIS_URL: _redis, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...env, NODE_ENV: 'test', AUTH_JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: asRole(ownerUrl, APP_ROLE), MIGRATION_DATABASE_URL: ownerUrl, PORT: String(port), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const deadline = Date.now() + 40_000;
      while (!log.includes('Server listening') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      expect({ listening: log.includes('Server listening'), log: log.includes('Server listening') ? '' : log }).toEqual({ listening: true, log: '' });
      const auth = { authorization: `Bearer ${await token('alice', 'medewerker', ['team-zwolle'])}`, 'content-type': 'application/json' };
      const created = await fetch(`http://127.0.0.1:${port}/v1/meldingen`, { method: 'POST', headers: auth, body: JSON.stringify(meldingBody()) });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      expect((await fetch(`http://127.0.0.1:${port}/v1/cases/${id}`, { headers: auth })).status).toBe(200);
      const owner = new Client({ connectionString: ownerUrl });
      await owner.connect();
      try {
        const { rows } = await owner.query<{ action: string }>('select action from audit_log order by seq');
        expect(rows.map((r) => r.action)).toEqual(['melding.register', 'case.read']);
        // The tables belong to the owner who migrated them, not to the role the service runs as.
        const owners = await owner.query<{ owner: string }>("select distinct tableowner as owner from pg_tables where schemaname = 'public'");
        expect(owners.rows.map((r) => r.owner)).toEqual([new URL(TEST_DATABASE_URL).username || 'postgres']);
      } finally {
        await owner.end();
      }
    } finally {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});
