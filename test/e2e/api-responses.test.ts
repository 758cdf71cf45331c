/**
 * Every operation of the OpenAPI document, called for real, and each answer checked against the schema the document
 * gives for its status (Ajv, JSON Schema 2020-12, formats included). Fastify's serialiser already checks each answer
 * against the route's zod schema (a field missing or of another type is a 500); this test calls every operation
 * (the views a gemeente sees as well as staff's) so such drift fails here, and checks that the document the
 * integrators read says the same as the serialiser. An operation added later fails until it is called here.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(90_000);

interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type Doc = { paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> };

/** Operations this test does not call, and why. */
const NOT_CALLED: Record<string, string> = {
  streamAlerts: 'a text/event-stream that stays open; its events are Alert objects (test/e2e/alerts-stream.test.ts)',
};

describe('every answer matches its schema in the document', () => {
  let t: TestApp;
  let doc: Doc;
  const tok: Record<string, string> = {};
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map<string, ValidateFunction>();
  const answered = new Map<string, Set<string>>();

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.app.inject({ method: 'GET', url: '/v1/openapi.json' })).json<Doc>();
    ajv.addSchema({ $id: 'urn:vt:openapi', components: doc.components });
    tok.alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    tok.tom = await t.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    tok.marit = await t.token('marit', 'manager');
    tok.ben = await t.token('ben', 'beheerder');
    tok.zwolle = await t.token('zwolle', 'gemeente', { gemeente: 'GM0193' });
  });
  afterAll(async () => t.close());

  const operation = (id: string): { op: Operation } => {
    for (const methods of Object.values(doc.paths)) for (const op of Object.values(methods)) if (op.operationId === id) return { op };
    throw new Error(`no operation ${id} in the document`);
  };

  /** Calls an operation; expects a documented success and validates the JSON body against the document's schema. */
  async function call(id: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who: string | null, body?: unknown, variant = ''): Promise<LightMyRequestResponse> {
    const res = await t.app.inject({ method, url, headers: who ? { authorization: `Bearer ${tok[who]}` } : {}, ...(body === undefined ? {} : { payload: body as object }) });
    expect({ id, variant, status: res.statusCode, body: res.statusCode >= 300 ? res.body.slice(0, 600) : '' }).toEqual({ id, variant, status: expect.any(Number), body: '' });
    const { op } = operation(id);
    const documented = op.responses[String(res.statusCode)];
    expect({ id, status: res.statusCode, documented: documented !== undefined }).toEqual({ id, status: res.statusCode, documented: true });
    const type = String(res.headers['content-type'] ?? '').split(';')[0]!;
    const schema = documented!.content?.[type]?.schema;
    expect({ id, type, schema: schema !== undefined }).toEqual({ id, type, schema: true });
    if (type === 'application/json') {
      const key = `${id} ${res.statusCode}`;
      let validate = validators.get(key);
      if (!validate) {
        validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"urn:vt:openapi#/components/')) as object);
        validators.set(key, validate);
      }
      const valid = validate(res.json());
      expect({ id, variant, errors: valid ? [] : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message}`) }).toEqual({ id, variant, errors: [] });
    }
    answered.set(id, new Set([...(answered.get(id) ?? []), variant]));
    return res;
  }

  it('calls every operation, for staff and for a gemeente where their views differ, and each answer is what the document says', async () => {
    await call('getHealth', 'GET', '/health', null);
    await call('getReadiness', 'GET', '/health/ready', null);
    await call('getLiveness', 'GET', '/health/live', null);
    await call('getDashboardConfig', 'GET', '/dashboard/config.json', null);
    await call('getMeldingWorkflow', 'GET', '/v1/workflow/melding/definition', 'alice');

    // A case, with a team channel set first so that its alerts queue deliveries.
    await call('setTeamAlertChannels', 'PUT', '/v1/teams/team-zwolle/alert-channels', 'tom', { email: 'zwolle@vt.test' });
    const created = (await call('registerMelding', 'POST', '/v1/meldingen', 'alice', meldingBody())).json<{ id: string; persons: Array<{ id: string }>; deadlines: Array<{ id: string; status: string }> }>();
    const id = created.id;
    await call('listCases', 'GET', '/v1/cases', 'alice');
    await call('getCase', 'GET', `/v1/cases/${id}`, 'alice');
    await call('getCaseTransitions', 'GET', `/v1/cases/${id}/transitions`, 'alice');
    await call('getCaseMelder', 'GET', `/v1/cases/${id}/melder`, 'alice');
    await call('applyCaseEvent', 'POST', `/v1/cases/${id}/events`, 'alice', { type: 'NOTE_ADDED', expectedVersion: 1, text: 'Notitie.' });
    await call('correctViolenceTypes', 'PUT', `/v1/cases/${id}/violence-types`, 'alice', { violenceTypes: ['kindermishandeling', 'huiselijk_geweld_overig'], reason: 'Ook geweld tussen de ouders gemeld.', expectedVersion: 2 });
    await call('getCaseHistory', 'GET', `/v1/cases/${id}/history`, 'alice');
    await call('getWorkspace', 'GET', '/v1/workspace', 'alice');
    await call('getWorkspace', 'GET', '/v1/workspace', 'tom', undefined, 'teamleider');
    await call('exportPerson', 'GET', `/v1/cases/${id}/persons/${created.persons[0]!.id}/export`, 'ben');

    const advies = (await call('registerAdvies', 'POST', '/v1/adviezen', 'alice', { gemeente: 'GM0193', violenceTypes: ['kindermishandeling'], caller: { professional: false }, summary: 'Vraag.' })).json<{ id: string }>();
    await call('getAdvies', 'GET', `/v1/adviezen/${advies.id}`, 'alice');

    await call('getRetention', 'GET', `/v1/cases/${id}/retention`, 'marit');
    await call('placeLegalHold', 'PUT', `/v1/cases/${id}/legal-hold`, 'marit', { reason: 'Klacht in behandeling' });
    await call('liftLegalHold', 'DELETE', `/v1/cases/${id}/legal-hold`, 'marit', { reason: 'Klacht afgehandeld' });

    const open = created.deadlines.find((d) => d.status === 'open')!;
    await call('adjustDeadline', 'POST', `/v1/deadlines/${open.id}/adjustments`, 'tom', { kind: 'verlenging', werkdagen: 1, reason: 'Wacht op school.' });
    t.clock.advance(30 * 24 * 3_600_000);
    await t.services.firing.reconcile();
    const alerts = (await call('listAlerts', 'GET', '/v1/alerts', 'tom')).json<{ items: Array<{ alertId: string }> }>();
    expect(alerts.items.length).toBeGreaterThan(0);
    await call('acknowledgeAlert', 'POST', `/v1/alerts/${alerts.items[0]!.alertId}/ack`, 'tom', {});
    // A delivery that exhausted its attempts (what the worker leaves after its last retry).
    const marked = await sql`update alert_deliveries set status = 'dead', attempts = 5, last_error = 'smtp: connection refused' where id = (select id from alert_deliveries limit 1)`.execute(t.db);
    expect(Number(marked.numAffectedRows)).toBe(1);
    const dead = (await call('listDeadLetters', 'GET', '/v1/admin/dead-letters', 'ben')).json<{ items: unknown[] }>();
    expect(dead.items).toHaveLength(1);
    await call('listAudit', 'GET', '/v1/audit?limit=5', 'ben');

    const now = t.clock.now();
    const month = now.toISOString().slice(0, 7);
    await call('getWachtlijst', 'GET', `/v1/metrics/wachtlijst?gemeente=GM0193&month=${month}`, 'zwolle');
    await call('getWachtlijst', 'GET', `/v1/metrics/wachtlijst?from=${now.getUTCFullYear()}-Q3&to=${now.getUTCFullYear()}-Q4`, 'zwolle', undefined, 'quarters');
    await call('getCbsBeleidsinformatie', 'GET', `/v1/cbs/beleidsinformatie?half=${now.getUTCFullYear()}-H${now.getUTCMonth() < 6 ? 1 : 2}`, 'ben');
    const from = `${now.getUTCFullYear()}-01-01`;
    const to = now.toISOString().slice(0, 10);
    await call('getQualityReport', 'GET', `/v1/quality?from=${from}&to=${to}`, 'tom');

    // Quality management: staff and gemeente views of the scorecard, the plan and a plan item.
    await call('putQualityExpectationStatus', 'PUT', '/v1/quality/expectations/vertrouwensarts/status', 'marit', { status: 'met', evidence: 'Vertrouwensarts aangesteld, zie besluit.' });
    await call('putQualityExpectationNorm', 'PUT', '/v1/quality/expectations/veiligheidsplan/norm', 'marit', { figure: 'safetyPlanWhereUnsafe', norm: 0.95, evidence: 'Norm vastgesteld door het MT.' });
    await call('getQualityExpectation', 'GET', '/v1/quality/expectations/veiligheidsplan', 'marit', undefined, 'measured');
    await call('getQualityExpectation', 'GET', '/v1/quality/expectations/vertrouwensarts', 'marit', undefined, 'organisational');
    await call('getQualityScorecard', 'GET', `/v1/quality/scorecard?from=${from}&to=${to}`, 'marit', undefined, 'manager');
    await call('getQualityScorecard', 'GET', `/v1/quality/scorecard?from=${from}&to=${to}`, 'tom', undefined, 'teamleider');
    const forGemeente = await call('getQualityScorecard', 'GET', `/v1/quality/scorecard?from=${from}&to=${to}`, 'zwolle', undefined, 'gemeente');
    expect(JSON.stringify(forGemeente.json())).not.toContain('casesFallingShort');
    const item = (
      await call('createQualityPlanItem', 'POST', '/v1/quality/plan/items', 'marit', { kind: 'verbeteractie', title: 'Veiligheidsplan-check', expectations: ['veiligheidsplan'], ownerId: 'kees', ownerRole: 'kwaliteitsfunctionaris', teamId: 'team-zwolle', dueOn: '2027-03-01' })
    ).json<{ id: string; version: number }>();
    await call('changeQualityPlanItem', 'POST', `/v1/quality/plan/items/${item.id}/changes`, 'marit', { expectedVersion: item.version, status: 'in_uitvoering', note: 'Gestart in de teams.' });
    const staffItem = (await call('getQualityPlanItem', 'GET', `/v1/quality/plan/items/${item.id}`, 'marit', undefined, 'staff')).json<Record<string, unknown>>();
    expect(Object.keys(staffItem)).toEqual(expect.arrayContaining(['ownerId', 'version', 'deadlines', 'history']));
    const publicItem = (await call('getQualityPlanItem', 'GET', `/v1/quality/plan/items/${item.id}`, 'zwolle', undefined, 'gemeente')).json<Record<string, unknown>>();
    expect(Object.keys(publicItem)).not.toEqual(expect.arrayContaining(['ownerId']));
    const staffPlan = (await call('getQualityPlan', 'GET', '/v1/quality/plan', 'marit', undefined, 'staff')).json<{ actions: Array<Record<string, unknown>> }>();
    expect(Object.keys(staffPlan.actions[0]!)).toEqual(expect.arrayContaining(['ownerId', 'version', 'deadlines']));
    const publicPlan = (await call('getQualityPlan', 'GET', '/v1/quality/plan', 'zwolle', undefined, 'gemeente')).json<{ actions: Array<Record<string, unknown>> }>();
    expect(Object.keys(publicPlan.actions[0]!)).not.toContain('ownerId');

    const all = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(all.filter((op) => !answered.has(op) && !(op in NOT_CALLED)).sort()).toEqual([]);
    expect(Object.keys(NOT_CALLED).filter((op) => answered.has(op) || !all.includes(op))).toEqual([]);
  });
});
