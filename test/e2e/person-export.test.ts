/**
 * The right of access: GET /v1/cases/:id/persons/:personId/export gives a beheerder what the engine holds about one
 * person, as JSON and as PDF, and leaves out what concerns others. Audited with the person.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { PersonExport } from '../../src/privacy/person-export';
import { pdfText } from '../support/pdf-text';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { apiError } from '../support/api-error';

jest.setTimeout(60_000);

interface CaseBody {
  id: string;
  version: number;
  persons: Array<{ id: string; name: string; role: string }>;
}

/** Texts that belong to others (or to the household as a whole): none may appear in kind 1's export. */
const NOT_KIND_1 = ['Testouder Een', '111222333', 'Testkind Twee', 'Geheime reden kind twee', 'Notitie over de vader', 'Zorgen over de thuissituatie', 'Juf Testmelder', '038-0000000'];

describe('person export (right of access)', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let c: CaseBody;
  let otherCaseId: string;
  let ouder: string;
  let kind1: string;
  let kind2: string;

  const send = async (type: string, payload: Record<string, unknown>) => {
    const res = await t.request('POST', `/v1/cases/${c.id}/events`, tokens.alice!, { type, expectedVersion: c.version, ...payload });
    expect({ type, status: res.statusCode }).toEqual({ type, status: 200 });
    c = res.json<CaseBody>();
  };
  const exportOf = (personId: string, who = 'ben', accept = 'application/json', caseId = c.id): Promise<LightMyRequestResponse> =>
    t.app.inject({ method: 'GET', url: `/v1/cases/${caseId}/persons/${personId}/export`, headers: { authorization: `Bearer ${tokens[who]}`, accept } });

  beforeAll(async () => {
    t = await startTestApp();
    tokens.alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    tokens.tom = await t.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    tokens.mia = await t.token('mia', 'manager');
    tokens.gemma = await t.token('gemma', 'gemeente', { gemeente: 'GM0193' });
    tokens.ben = await t.token('ben', 'beheerder');
    const res = await t.request('POST', '/v1/meldingen', tokens.alice, meldingBody());
    c = res.json<CaseBody>();
    ouder = c.persons.find((p) => p.role === 'ouder')!.id;
    kind1 = c.persons.find((p) => p.role === 'kind')!.id;
    await send('PERSON_ADDED', { person: { role: 'kind', name: 'Testkind Twee', birthDate: '2019-02-03' } });
    kind2 = c.persons.find((p) => p.name === 'Testkind Twee')!.id;
    await send('CHILD_CONTACT_RECORDED', { personId: kind1, contactDate: '2026-11-21', seen: true, spoken: false, reasonNotSpoken: 'Kind een sprak alleen met de leerkracht erbij' });
    await send('CHILD_CONTACT_RECORDED', { personId: kind2, contactDate: '2026-11-21', seen: false, spoken: false, reasonNotSeen: 'Geheime reden kind twee', reasonNotSpoken: 'Geheime reden kind twee' });
    await send('NOTE_ADDED', { text: 'Notitie over de vader' });
    // A later melding naming the same ouder (same BSN).
    const other = await t.request('POST', '/v1/meldingen', tokens.alice, meldingBody({ persons: [{ role: 'ouder', name: 'Testouder Een', bsn: '111222333' }] }));
    otherCaseId = other.json<CaseBody>().id;
    // Someone read the case.
    expect((await t.request('GET', `/v1/cases/${c.id}`, tokens.tom)).statusCode).toBe(200);
  });
  afterAll(async () => t.close());

  it("JSON: the child's own record, case facts and the events about them; nobody else's data", async () => {
    const res = await exportOf(kind1);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<PersonExport>();
    expect(body.person).toEqual({ id: kind1, role: 'kind', name: 'Testkind Een', birthDate: '2017-06-15', bsn: null, vulnerabilities: [], registeredAt: expect.any(String) });
    expect(body.case).toMatchObject({ id: c.id, gemeente: 'GM0193', teamId: 'team-zwolle', violenceTypes: ['kindermishandeling'] });
    expect(body.events.map((e) => e.type)).toEqual(['MELDING_REGISTERED', 'CHILD_CONTACT_RECORDED']);
    expect(body.events[0]!.details).toEqual({ gemeente: 'GM0193', violenceTypes: ['kindermishandeling'], acuteDanger: false });
    expect(body.events[1]!.details).toEqual({ contactDate: '2026-11-21', seen: true, spoken: false, reasonNotSpoken: 'Kind een sprak alleen met de leerkracht erbij' });
    expect(body.otherCaseIds).toEqual([]);
    // The accesses to the dossier: roles and times, no staff ids, no reasons.
    expect(body.accesses.map((a) => `${a.actorRole} ${a.action}`)).toEqual(expect.arrayContaining(['medewerker melding.register', 'teamleider case.read']));
    expect(body.withheld.map((w) => w.what)).toEqual(expect.arrayContaining(['the other persons on the case', 'the melder (who reported)', 'NOTE_ADDED events that do not name you']));
    expect(body.withheld.find((w) => w.eventType === 'CHILD_CONTACT_RECORDED')).toMatchObject({ code: 'events', count: 1 });
    for (const other of [...NOT_KIND_1, kind2, ouder, 'alice', '"tom"']) expect({ other, found: res.body.includes(other) }).toEqual({ other, found: false });
  });

  it("the ouder's export holds their BSN and names the other case with that BSN, not the children", async () => {
    const body = (await exportOf(ouder)).json<PersonExport>();
    expect(body.person).toMatchObject({ name: 'Testouder Een', bsn: '111222333' });
    expect(body.otherCaseIds).toEqual([otherCaseId]);
    expect(body.events.map((e) => e.type)).toEqual(['MELDING_REGISTERED']);
    const text = JSON.stringify(body);
    for (const other of ['Testkind Een', 'Testkind Twee', 'leerkracht', 'Geheime reden', kind1, kind2]) expect({ other, found: text.includes(other) }).toEqual({ other, found: false });
  });

  it('PDF: the same content, checked on the text extracted from the PDF', async () => {
    const res = await exportOf(kind1, 'ben', 'application/pdf');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="inzage-${kind1}.pdf"`);
    const { text, pages } = await pdfText(res.rawPayload);
    expect(pages).toBeGreaterThanOrEqual(1);
    for (const own of ['Inzage persoonsgegevens', 'Testkind Een', '2017-06-15', 'CHILD_CONTACT_RECORDED', 'Kind een sprak alleen met de leerkracht erbij', c.id, 'Niet opgenomen', 'De melder:', 'Gebeurtenissen die u niet noemen: NOTE_ADDED (1)']) {
      expect({ own, found: text.includes(own) }).toEqual({ own, found: true });
    }
    for (const other of NOT_KIND_1) expect({ other, found: text.includes(other) }).toEqual({ other, found: false });
  });

  it('PDF renders names beyond Latin-1 (ş, ğ, ł) as text', async () => {
    const res = await t.request('POST', `/v1/cases/${c.id}/events`, tokens.alice!, { type: 'PERSON_ADDED', expectedVersion: c.version, person: { role: 'kind', name: 'Ayşe Yılmaz-Łukasiewicz', birthDate: '2020-01-01' } });
    c = res.json<CaseBody>();
    const id = c.persons.find((p) => p.name.startsWith('Ayşe'))!.id;
    const { text } = await pdfText((await exportOf(id, 'ben', 'application/pdf')).rawPayload);
    expect(text).toContain('Ayşe Yılmaz-Łukasiewicz');
  });

  it('each export adds one audit row naming the person and the format', async () => {
    for (const [accept, format] of [['application/json', 'json'], ['application/pdf', 'pdf']] as const) {
      const before = await t.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      expect((await exportOf(kind1, 'ben', accept)).statusCode).toBe(200);
      const rows = await t.db.selectFrom('audit_log').selectAll().where('seq', '>', before.seq).execute();
      expect(rows).toEqual([expect.objectContaining({ action: 'person.export', actor_id: 'ben', actor_role: 'beheerder', case_id: c.id, person_id: kind1, detail: format })]);
    }
  });

  it('only a beheerder exports; a person of another case is a 404; bad ids are a 400', async () => {
    for (const who of ['alice', 'tom', 'mia', 'gemma']) {
      const res = await exportOf(kind1, who);
      expect({ who, status: res.statusCode, code: apiError(res.json()).code }).toEqual({ who, status: 403, code: 'AUTH.FORBIDDEN' });
    }
    const elsewhere = await exportOf(kind1, 'ben', 'application/json', otherCaseId);
    expect({ status: elsewhere.statusCode, code: apiError(elsewhere.json()).code }).toEqual({ status: 404, code: 'EXPORT.PERSON_NOT_FOUND' });
    const bad = await t.app.inject({ method: 'GET', url: `/v1/cases/${c.id}/persons/nope/export`, headers: { authorization: `Bearer ${tokens.ben}` } });
    expect(bad.statusCode).toBe(400);
    expect(apiError(bad.json()).issues).toEqual([{ field: 'params.personId', rule: 'must be a person id (UUID)' }]);
  });
});
