import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiError } from '../support/api-error';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';

const REPO_ROOT = path.resolve(__dirname, '../..');
const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}
interface OpenApiDocument {
  openapi: string;
  info: { version: string; license?: { name: string; identifier?: string } };
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas?: Record<string, unknown> };
}

/** The contract (src/http/api-contract.ts, src/http/openapi.ts): complete, linted, and what the API answers. */
describe('API contract', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let alice: string;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    const res = await t.app.inject({ method: 'GET', url: '/v1/openapi.json' });
    if (res.statusCode !== 200) throw new Error(`GET /v1/openapi.json: ${res.statusCode} ${res.body.slice(0, 2000)}`);
    doc = res.json<OpenApiDocument>();
  });
  afterAll(async () => t.close());

  const operations = () => Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([method, op]) => ({ id: `${method.toUpperCase()} ${p}`, op })));

  it('is OpenAPI 3.1 with servers, the EUPL-1.2 licence and the package version', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe(PACKAGE_VERSION);
    expect(doc.info.license).toEqual({ name: 'EUPL-1.2', identifier: 'EUPL-1.2' });
    expect(doc.servers?.[0]?.url).toBe(t.config.PUBLIC_BASE_URL);
    expect(doc.components.schemas?.Problem).toBeDefined();
  });

  it('every operation has a unique operationId, a summary, tags, and described responses with schemas; errors are the shared Problem', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(25);
    const ids = ops.map((o) => o.op.operationId);
    expect(ops.filter((o) => !o.op.operationId || !o.op.summary || !o.op.tags?.length).map((o) => o.id)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    const bad: string[] = [];
    for (const { id, op } of ops) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (!response.description || response.description === 'Default Response') bad.push(`${id} ${status}: no description`);
        if (status === '304') continue;
        if (!response.content || Object.values(response.content).some((c) => c.schema === undefined)) bad.push(`${id} ${status}: no schema`);
        if (Number(status) >= 400 && !(id.includes('/health') || id.includes('/dashboard/') || JSON.stringify(response.content).includes('#/components/schemas/Problem'))) bad.push(`${id} ${status}: not a Problem`);
      }
      if (id.includes('/v1/') && !op.responses?.['401']) bad.push(`${id}: 401 undocumented`);
    }
    expect(bad).toEqual([]);
    // NL API Design Rules /core/version-header: every success and redirect documents the API-Version header it carries.
    const undocumented = ops.flatMap(({ id, op }) =>
      Object.entries(op.responses ?? {})
        .filter(([status, r]) => /^[23]\d\d$/.test(status) && !JSON.stringify((r as { headers?: unknown }).headers ?? {}).includes('#/components/headers/API-Version'))
        .map(([status]) => `${id} ${status}`),
    );
    expect(undocumented).toEqual([]);
    expect(Object.keys(doc.paths['/v1/meldingen']!.post!.responses!)).toContain('201');
    expect(Object.keys(doc.paths['/v1/meldingen']!.post!.responses!)).not.toContain('200');
    expect(Object.keys(doc.paths['/v1/alerts/stream']!.get!.responses!['200']!.content!)).toEqual(['text/event-stream']);
    expect(Object.keys(doc.paths['/v1/cases/{id}/events']!.post!.responses!)).toEqual(expect.arrayContaining(['200', '409', '412', '422']));
  });

  it("the dashboard's typed client is generated from this document: the committed web/src/api/schema.gen.ts is current (npm run generate:api)", () => {
    const committed = readFileSync(path.join(REPO_ROOT, 'web/src/api/schema.gen.ts'), 'utf8');
    const generated = execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/generate-api-types.ts'), '--stdin'], { cwd: REPO_ROOT, input: JSON.stringify(doc), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const firstDiff = [...generated].findIndex((ch, i) => ch !== committed[i]);
    const at = firstDiff < 0 ? committed.length : firstDiff;
    expect({ stale: generated !== committed, around: generated.slice(Math.max(0, at - 200), at + 200) }).toEqual({ stale: false, around: committed.slice(Math.max(0, at - 200), at + 200) });
  }, 60_000);

  it('every success answer has an exact schema: no open object anywhere (test/e2e/api-responses.test.ts checks the answers against them)', () => {
    // An open object (an object schema without additionalProperties: false, e.g. zod looseObject) would let answers drift from the document.
    const schemas = (doc.components.schemas ?? {});
    const open = (s: unknown, seen: Set<string>): boolean => {
      if (!s || typeof s !== 'object') return false;
      const o = s as Record<string, unknown>;
      if (typeof o.$ref === 'string') {
        const name = o.$ref.split('/').pop()!;
        if (seen.has(name)) return false;
        seen.add(name);
        return open(schemas[name], seen);
      }
      const extra = o.additionalProperties;
      if (o.properties !== undefined && extra !== false) return true;
      return Object.values(o).some((v) => open(v, seen));
    };
    const found = operations()
      .filter(({ op }) => Object.entries(op.responses ?? {}).some(([status, r]) => Number(status) < 300 && Object.values(r.content ?? {}).some((c) => open(c.schema, new Set()))))
      .map(({ op }) => op.operationId!)
      .sort();
    expect(found).toEqual([]);
    // Every component an answer can use; the *Input variants describe what zod accepts in a request, not an answer.
    for (const name of Object.keys(schemas).filter((n) => !n.endsWith('Input'))) expect({ name, open: open(schemas[name], new Set()) }).toEqual({ name, open: false });
  });

  it('passes the Redocly linter (recommended rules) with zero errors', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vt-openapi-'));
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const run = () => execFileSync(path.join(REPO_ROOT, 'node_modules/.bin/redocly'), ['lint', file, '--format', 'json', '--config', path.join(REPO_ROOT, 'redocly.yaml')], { cwd: dir, encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
    let out: string;
    try {
      out = run();
    } catch (error) {
      out = String((error as { stdout?: string }).stdout ?? error);
    }
    const report = JSON.parse(out) as { totals: { errors: number }; problems: Array<{ ruleId: string; severity: string; message: string; location?: Array<{ pointer?: string }> }> };
    expect(report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} @ ${p.location?.[0]?.pointer ?? ''}`)).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 60_000);

  it('the document is at /v1/openapi.json and /openapi.json, readable cross-origin', async () => {
    for (const url of ['/v1/openapi.json', '/openapi.json']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { origin: 'https://intake.example.test' } });
      expect({ status: res.statusCode, cors: res.headers['access-control-allow-origin'] }).toEqual({ status: 200, cors: '*' });
    }
  });

  it('every response carries API-Version and X-Frame-Options: DENY, errors too', async () => {
    const answers = [
      await t.app.inject({ method: 'GET', url: '/health' }),
      await t.request('GET', '/v1/cases', alice),
      await t.request('GET', '/v1/cases', null),
      await t.request('GET', '/v1/nothing-here', alice),
      await t.request('POST', '/v1/meldingen', alice, meldingBody()),
    ];
    for (const res of answers) expect({ status: res.statusCode, version: res.headers['api-version'], frame: res.headers['x-frame-options'] }).toEqual({ status: res.statusCode, version: PACKAGE_VERSION, frame: 'DENY' });
  });

  it('a trailing slash is 404 ROUTE.NOT_FOUND, before authentication', async () => {
    for (const url of ['/v1/cases/', '/v1/meldingen/', '/v1/alerts/?level=breach']) {
      const res = await t.request('GET', url, null);
      expect({ url, status: res.statusCode, code: apiError(res.json()).code }).toEqual({ url, status: 404, code: 'ROUTE.NOT_FOUND' });
    }
  });
});
