/**
 * A shielded melder: the identity is stored apart, encrypted at rest, and shown only to staff on the case (audited);
 * not to a gemeente, another team, or a supervisor breaking the glass. Keys rotate with npm run melder:rekey.
 */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { AuditTrail } from '../../src/audit/audit-trail';
import { MelderCipher } from '../../src/privacy/melder-cipher';
import { rekeyMelderIdentities } from '../../src/privacy/melder-rekey';
import { verifyAuditChain } from '../../src/audit/audit.service';
import { apiError } from '../support/api-error';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

const KEY_1 = { id: 'k1', key: randomBytes(32) };
const KEY_2 = { id: 'k2', key: randomBytes(32) };
const NAME = 'Buurvrouw Şahin-Jansen';
const CONTACT = '06-98765432';
const shieldedBody = () => meldingBody({ reporter: { professional: false, shielded: true, name: NAME, contact: CONTACT } });

describe('shielded melder', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let shieldedId: string;
  let plainId: string;

  const call = (url: string, who: string, reason?: string): Promise<LightMyRequestResponse> =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens[who]}`, ...(reason ? { 'x-access-reason': reason } : {}) } });
  const auditCount = async () => (await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(t.db)).rows[0]!.n;

  beforeAll(async () => {
    t = await startTestApp({ env: { MELDER_ENCRYPTION_KEYS: `k1:${KEY_1.key.toString('base64')}` } });
    tokens.alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    tokens.tom = await t.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    tokens.bob = await t.token('bob', 'medewerker', { teams: ['team-deventer'] });
    tokens.tess = await t.token('tess', 'teamleider', { teams: ['team-deventer'] });
    tokens.mia = await t.token('mia', 'manager');
    tokens.gemma = await t.token('gemma', 'gemeente', { gemeente: 'GM0193' });
    tokens.ben = await t.token('ben', 'beheerder');
    const shielded = await t.request('POST', '/v1/meldingen', tokens.alice, shieldedBody());
    expect(shielded.statusCode).toBe(201);
    shieldedId = shielded.json<{ id: string }>().id;
    const plain = await t.request('POST', '/v1/meldingen', tokens.alice, meldingBody());
    plainId = plain.json<{ id: string }>().id;
  });
  afterAll(async () => t.close());

  it('stores the identity apart, encrypted: not in melders, not in plain text anywhere in the database', async () => {
    const melder = await t.db.selectFrom('melders').selectAll().where('case_id', '=', shieldedId).executeTakeFirstOrThrow();
    expect(melder).toEqual({ case_id: shieldedId, name: null, contact: null, shielded: true, anonymous: false });
    const stored = await t.db.selectFrom('melder_identities').selectAll().where('case_id', '=', shieldedId).executeTakeFirstOrThrow();
    expect(stored.key_id).toBe('k1');
    expect(new MelderCipher([KEY_1]).open(shieldedId, stored)).toEqual({ name: NAME, contact: CONTACT });
    // A dump of every table holds neither the name nor the contact.
    const { rows } = await sql<{ hit: number }>`
      select count(*)::int as hit from (
        select to_jsonb(m)::text as t from melders m union all select to_jsonb(i)::text from melder_identities i
        union all select to_jsonb(c)::text from cases c union all select to_jsonb(e)::text from case_events e
        union all select to_jsonb(a)::text from audit_log a union all select to_jsonb(p)::text from persons p) x
      where t like ${`%${'Şahin'}%`} or t like ${`%${CONTACT}%`}`.execute(t.db);
    expect(rows[0]!.hit).toBe(0);
    // A melder who is not shielded keeps the plain columns, as before.
    expect(await t.db.selectFrom('melders').select(['name', 'shielded']).where('case_id', '=', plainId).executeTakeFirstOrThrow()).toEqual({ name: 'Juf Testmelder', shielded: false });
    expect(await t.db.selectFrom('melder_identities').select('case_id').where('case_id', '=', plainId).executeTakeFirst()).toBeUndefined();
  });

  it('the case itself never carries the shielded identity, not even for staff on the case', async () => {
    const res = await call(`/v1/cases/${shieldedId}`, 'alice');
    expect(res.statusCode).toBe(200);
    expect(res.json().melder).toEqual({ professional: false, sector: null, anonymous: false, shielded: true, name: null, contact: null });
    expect(res.body).not.toContain('Şahin');
  });

  it('staff on the case read it at /melder, decrypted; each read adds one audit row', async () => {
    for (const who of ['alice', 'tom']) {
      const before = await auditCount();
      const res = await call(`/v1/cases/${shieldedId}/melder`, who);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ caseId: shieldedId, professional: false, sector: null, anonymous: false, shielded: true, name: NAME, contact: CONTACT });
      expect(await auditCount()).toBe(before + 1);
      const last = await t.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(last).toMatchObject({ action: 'melder.read', actor_id: who, case_id: shieldedId, break_glass: false });
      expect(JSON.stringify(last)).not.toContain('Şahin');
    }
  });

  it('is absent for a gemeente token and a beheerder (403 before any case content); only the refusal is audited', async () => {
    for (const who of ['gemma', 'ben']) {
      for (const url of [`/v1/cases/${shieldedId}`, `/v1/cases/${shieldedId}/melder`]) {
        const before = await auditCount();
        const res = await call(url, who);
        expect({ url, who, status: res.statusCode, code: apiError(res.json()).code }).toEqual({ url, who, status: 403, code: 'AUTH.FORBIDDEN' });
        expect(res.body).not.toContain('Şahin');
        // One row: the refusal (actor, route, code), no read.
        expect(await auditCount()).toBe(before + 1);
      }
    }
  });

  it('is absent for another team: 404 for a medewerker, and breaking the glass opens the case but not the melder', async () => {
    for (const url of [`/v1/cases/${shieldedId}`, `/v1/cases/${shieldedId}/melder`]) {
      const res = await call(url, 'bob', 'Zelfde adres als mijn zaak');
      expect({ status: res.statusCode, code: apiError(res.json()).code }).toEqual({ status: 404, code: 'CASE.NOT_FOUND' });
    }
    for (const who of ['tess', 'mia']) {
      const reason = 'Waarneming voor team Zwolle tijdens storing';
      const caseRes = await call(`/v1/cases/${shieldedId}`, who, reason);
      expect(caseRes.statusCode).toBe(200);
      expect(caseRes.json().melder).toMatchObject({ shielded: true, name: null, contact: null });
      expect(caseRes.body).not.toContain('Şahin');
      const melderRes = await call(`/v1/cases/${shieldedId}/melder`, who, reason);
      expect({ status: melderRes.statusCode, code: apiError(melderRes.json()).code }).toEqual({ status: 403, code: 'CASE.FORBIDDEN' });
      expect(melderRes.body).not.toContain('Şahin');
    }
  });

  it('a shielded melder without name or contact stores nothing apart; an anonymous one cannot give a name', async () => {
    const res = await t.request('POST', '/v1/meldingen', tokens.alice!, meldingBody({ reporter: { professional: true, sector: 'onderwijs', shielded: true } }));
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: string }>().id;
    expect(await t.db.selectFrom('melder_identities').select('case_id').where('case_id', '=', id).executeTakeFirst()).toBeUndefined();
    expect((await call(`/v1/cases/${id}/melder`, 'alice')).json()).toMatchObject({ shielded: true, name: null, contact: null });
  });

  it('destroying the melder row (retention) destroys the encrypted identity with it', async () => {
    const res = await t.request('POST', '/v1/meldingen', tokens.alice!, shieldedBody());
    const id = res.json<{ id: string }>().id;
    expect(await t.db.selectFrom('melder_identities').select('case_id').where('case_id', '=', id).executeTakeFirst()).toEqual({ case_id: id });
    await t.db.deleteFrom('melders').where('case_id', '=', id).execute();
    expect(await t.db.selectFrom('melder_identities').select('case_id').where('case_id', '=', id).executeTakeFirst()).toBeUndefined();
  });

  it('rotates keys: npm run melder:rekey moves every identity to the new key (and seals plain shielded rows); the old key can go', async () => {
    // A shielded identity left in plain columns (as rows written before this release, or by the synthetic seed).
    const legacy = await t.request('POST', '/v1/meldingen', tokens.alice!, meldingBody());
    const legacyId = legacy.json<{ id: string }>().id;
    await t.db.updateTable('melders').set({ shielded: true, name: 'Oud Gegeven', contact: 'oud@example.org' }).where('case_id', '=', legacyId).execute();

    const rotated = new MelderCipher([KEY_2, KEY_1]);
    const report = await rekeyMelderIdentities({ db: t.db, cipher: rotated, clock: t.clock, audit: new AuditTrail({ db: t.db, clock: t.clock }), batchSize: 1 });
    expect(report).toEqual({ rekeyed: 1, sealed: 1 });
    const rows = await t.db.selectFrom('melder_identities').selectAll().orderBy('case_id').execute();
    expect(rows.map((r) => r.key_id)).toEqual(['k2', 'k2']);
    const newOnly = new MelderCipher([KEY_2]);
    expect(newOnly.open(shieldedId, rows.find((r) => r.case_id === shieldedId)!)).toEqual({ name: NAME, contact: CONTACT });
    expect(newOnly.open(legacyId, rows.find((r) => r.case_id === legacyId)!)).toEqual({ name: 'Oud Gegeven', contact: 'oud@example.org' });
    expect(await t.db.selectFrom('melders').select(['name', 'contact']).where('case_id', '=', legacyId).executeTakeFirstOrThrow()).toEqual({ name: null, contact: null });
    // Idempotent; recorded in the trail without identities.
    expect(await rekeyMelderIdentities({ db: t.db, cipher: rotated, clock: t.clock, audit: new AuditTrail({ db: t.db, clock: t.clock }) })).toEqual({ rekeyed: 0, sealed: 0 });
    const trail = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'melder.rekey').execute();
    expect(trail.map((r) => r.detail)).toEqual(['key=k2 rekeyed=1 sealed=1']);
    expect(JSON.stringify(trail)).not.toMatch(/Oud Gegeven|Şahin/);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});
