/**
 * Fuzz test: at least 10,000 generated malformed or unauthorised requests across every route of the app and every
 * role, asserting that none answers 5xx and none writes a row. Values include control characters (NUL, escape, a
 * lone CR…) and dates outside every bound (year 0, before 1980, 9999, beyond what Date holds), and tokens without
 * exp, living until 9999, issued in the future or with a NUL in their subject.
 *
 * Routes are read at run time from the app's OpenAPI document, so routes added later are fuzzed too. Every
 * generated request carries at least one defect that must make it fail: no valid token, a malformed path
 * parameter, or (for a request with a body) a body that cannot pass its schema: a field of the wrong JSON type, an
 * unknown field, a top level that is not an object, invalid JSON, a prototype-pollution key, or a wrong content
 * type. Only GET requests may go without a defect (reads never write). Writes are caught by a row-level trigger on
 * every table, checked after each request; the whole database's content is compared before and after as well.
 */
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { sql } from 'kysely';
import { signDevelopmentToken } from '../../src/auth/token-verifier';
import { meldingBody, startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app';

const RUNS = Number(process.env.VT_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.VT_FUZZ_SEED ?? 20261123);

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Fastify form, e.g. /v1/cases/:id */
  url: string;
  params: string[];
  hasBody: boolean;
  /** A server-sent-event stream never ends for a permitted caller: it gets only unauthorised requests. */
  streaming: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface FuzzRequest {
  route: Route | null;
  path: string;
  method: string;
  authorization: string | undefined;
  query: string;
  contentType: string | undefined;
  payload: string | undefined;
  accept: string;
  defect: string;
}

/** Every operation of the OpenAPI document, in Fastify's path form. */
function routesOf(doc: { paths?: Record<string, Record<string, { requestBody?: unknown }>> }): Route[] {
  const routes: Route[] = [];
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      const m = method.toUpperCase();
      if (!['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].includes(m)) continue;
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1]!);
      routes.push({ method: m as Route['method'], url: path.replace(/\{([^}]+)\}/g, ':$1'), params, hasBody: op.requestBody !== undefined, streaming: /\/stream$/.test(path) });
    }
  }
  return routes;
}

/** Near-valid bodies per route, so mutations reach the deeper checks; a route added later starts from {}. */
const TEMPLATES: Record<string, () => Record<string, Json>> = {
  'POST /v1/meldingen': () => meldingBody() as Record<string, Json>,
  'POST /v1/adviezen': () => ({ gemeente: 'GM0193', violenceTypes: ['kindermishandeling'], caller: { professional: false }, summary: 'Advies (fuzz).' }),
  'POST /v1/cases/:id/events': () => ({ type: 'NOTE_ADDED', expectedVersion: 1, text: 'Notitie (fuzz).' }),
  'POST /v1/alerts/:id/ack': () => ({ note: 'Gezien.' }),
  'PUT /v1/teams/:teamId/alert-channels': () => ({ webhookUrl: 'https://example.org/hook', webhookSecret: 'a-secret-of-sufficient-length', email: 'team@example.org' }),
  'POST /v1/deadlines/:id/adjustments': () => ({ kind: 'verlenging', werkdagen: 2, reason: 'Fuzz.' }),
  'PUT /v1/cases/:id/legal-hold': () => ({ reason: 'Strafzaak (fuzz).' }),
  'DELETE /v1/cases/:id/legal-hold': () => ({ reason: 'Afgerond (fuzz).' }),
};

const typeOf = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Paths to every value in a JSON value (object keys and array indexes). */
function valuePaths(v: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (v === null || typeof v !== 'object') return [];
  const entries: Array<[string | number, Json]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  return entries.flatMap(([k, x]) => [[...prefix, k], ...valuePaths(x, [...prefix, k])]);
}

function setAt(root: Json, path: Array<string | number>, value: Json): Json {
  const copy = structuredClone(root);
  let node = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  node[path[path.length - 1]!] = value;
  return copy;
}

function getAt(root: Json, path: Array<string | number>): Json {
  let node: Json = root;
  for (const k of path) node = (node as Record<string | number, Json>)[k]!;
  return node;
}

const deep = (depth: number): Json => {
  let v: Json = 'bodem';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { n: v };
  return v;
};

// ---- arbitraries -----------------------------------------------------------------------------------------------

/** C0 control characters (and DEL) that no text field accepts; tab and newline are left out (multi-line text allows them). */
const CONTROL_CHARS = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u000e', '\u001b', '\u001f', '\u007f', '\r'];
/** A string with at least one forbidden control character (a CR never directly before a LF). */
const controlString = fc
  .tuple(fc.string({ maxLength: 20 }), fc.constantFrom(...CONTROL_CHARS), fc.string({ maxLength: 20 }))
  .map(([a, c, b]) => `${a}${c}x${b}`);
/** Dates and instants outside every bound: before the Awt calendar, year 0, far future, beyond what Date can hold. */
const EXTREME_DATES = [
  '0000-01-01', '0001-01-01', '1899-12-31', '1979-12-31', '1980-01-02', '1999-12-31', '2200-01-01', '9999-12-31',
  '0000-01-01T00:00:00Z', '1979-12-31T23:59:59+01:00', '1980-01-02T10:00:00+01:00', '1999-12-31T23:59:59Z', '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z', '0000-01', '1979-12', '9999-12', '2026-13', '2026-02-30',
];
const extremeDate = fc.constantFrom(...EXTREME_DATES);
/** Birth dates may lie from 1900 on: for them only what lies outside that range (or is no date) is extreme. */
const extremeBirthDate = fc.constantFrom(...EXTREME_DATES.filter((d) => !/^(1979-12-31|1980-01-02|1999-12-31)$/.test(d)));

const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', '%00', '%2e%2e%2f', '<script>alert(1)</script>', "' or 1=1 --", '${7*7}', '__proto__', 'constructor', 'prototype', '\u202e\u0041', '😀'.repeat(50), 'NaN', '-1', '1e309', '0x10', 'true', 'null'),
  fc.integer({ min: 1_000, max: 30_000 }).map((n) => 'x'.repeat(n)),
  controlString,
  extremeDate,
);

/** Values of any JSON type, including deep nesting and huge strings. */
const anyJson: fc.Arbitrary<Json> = fc.oneof(
  { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 2, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 3_000 }).map(deep) },
  { weight: 1, arbitrary: fc.constantFrom<Json>(Number.MAX_SAFE_INTEGER, -1, 0, 1.5, -0, 1e308) },
);

/** A value whose JSON type differs from `original`'s (and is not null: some fields are nullable). */
const differentType = (original: Json): fc.Arbitrary<Json> =>
  anyJson.filter((v) => v !== null && typeOf(v) !== typeOf(original) && !(typeOf(original) === 'number' && typeof v === 'number'));

/** A path segment that no id or team pattern accepts. */
const malformedSegment = fc.oneof(
  nastyString.filter((s) => s.length > 0 && /[^A-Za-z0-9_.-]/.test(s)),
  fc.uuid().map((u) => `${u}x`),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.uuid().map((u) => `${u} `),
  fc.constantFrom('-1', '0', '1e3', 'null', 'undefined', 'team a', 'Team!', '.'.repeat(70), 'a'.repeat(65)),
).filter((s) => !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(s));

const queryKey = fc.oneof(
  fc.constantFrom('state', 'team', 'gemeente', 'overdue', 'dueBefore', 'limit', 'cursor', 'month', 'from', 'to', 'level', 'status', '__proto__', 'constructor[prototype][x]', 'a[b]', ''),
  fc.string({ maxLength: 12 }),
);
const queryString = fc
  .array(fc.tuple(queryKey, fc.oneof(nastyString, controlString, extremeDate, fc.constantFrom('GM0193', '2026-11', '2026-11-01', 'true', '50', 'veiligheidsbeoordeling', 'open', 'breach'))), { maxLength: 5 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

type Body = { contentType: string | undefined; payload: string | undefined; defect: string };

/** A body that cannot pass the route's schema. */
const badBody = (route: Route): fc.Arbitrary<Body> => {
  const template = (TEMPLATES[`${route.method} ${route.url}`] ?? (() => ({})))();
  const paths = valuePaths(template);
  const json = (v: Json, defect: string): Body => ({ contentType: 'application/json', payload: JSON.stringify(v), defect });
  const options: Array<fc.Arbitrary<Body>> = [
    fc.oneof(fc.array(anyJson, { maxLength: 3 }), nastyString, fc.integer(), fc.boolean()).map((v) => json(v as Json, 'body:top-level-not-object')),
    fc.tuple(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in template) && k !== '__proto__'), anyJson).map(([k, v]) => json({ ...template, [k]: v }, 'body:unknown-field')),
    fc.oneof(
      fc.constantFrom('{', '{"a":', '[1,2', '{"a":1,}', "{'a':1}", 'undefined', '{"a":NaN}', '\u0000', '{"a":"\\ud800"', '{}}'),
      fc.string({ maxLength: 60 }).filter((s) => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return true;
        }
      }),
    ).map((payload) => ({ contentType: 'application/json', payload, defect: 'body:invalid-json' })),
    fc.constantFrom('__proto__', 'constructor').map((key) => {
      const payload = JSON.stringify(template).replace(/^\{/, key === '__proto__' ? '{"__proto__":{"isAdmin":true},' : '{"constructor":{"prototype":{"isAdmin":true}},');
      return { contentType: 'application/json', payload: payload.replace(/,\}$/, '}'), defect: `body:${key}` };
    }),
    fc.tuple(fc.constantFrom('application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'text/plain', 'application/octet-stream', 'application/jsonx', 'image/png'), fc.string({ maxLength: 80 })).map(([contentType, payload]) => ({
      contentType,
      payload: payload.length > 0 ? payload : 'x',
      defect: 'body:content-type',
    })),
  ];
  // The mutations that reach the deepest checks (an unknown field, a wrong type) are drawn more often.
  options.push(options[1]!);
  // A control character in any text field, at any depth; an out-of-range date in any date field.
  const textPaths = paths.filter((p) => typeof getAt(template, p) === 'string');
  if (textPaths.length > 0) {
    options.push(fc.tuple(fc.constantFrom(...textPaths), controlString).map(([path, v]) => json(setAt(template, path, v), `body:control-char@${path.join('.')}`)));
  }
  const datePaths = paths.filter((p) => /(At|Date|For)$/.test(String(p[p.length - 1])));
  if (datePaths.length > 0) {
    options.push(
      fc
        .constantFrom(...datePaths)
        .chain((path) => (String(path[path.length - 1]) === 'birthDate' ? extremeBirthDate : extremeDate).map((v) => [path, v] as const))
        .map(([path, v]) => json(setAt(template, path, v), `body:extreme-date@${path.join('.')}`)),
    );
  }
  if (paths.length > 0) {
    options.push(
      fc
        .constantFrom(...paths)
        .chain((path) => differentType(getAt(template, path)).map((v) => json(setAt(template, path, v), `body:wrong-type@${path.join('.')}`))),
    );
    options.push(options[options.length - 1]!);
  }
  return fc.oneof(...options);
};

// ---- the test --------------------------------------------------------------------------------------------------

describe(`fuzz: ${RUNS} malformed or unauthorised requests across every route and role`, () => {
  let t: TestApp;
  let routes: Route[];
  const validIds: Record<string, string[]> = {};
  const tokens: Record<string, string | undefined> = {};

  beforeAll(async () => {
    t = await startTestApp();
    const alice = await t.token('alice', 'medewerker', { teams: ['team-a'] });
    const melding = await t.request('POST', '/v1/meldingen', alice, meldingBody({ acuteDanger: true }));
    expect(melding.statusCode).toBe(201);
    const advies = await t.request('POST', '/v1/adviezen', alice, TEMPLATES['POST /v1/adviezen']!());
    expect(advies.statusCode).toBe(201);
    // Past every term: breach alerts exist, so alert and deadline ids are real.
    t.clock.advance(30 * 24 * 3_600_000);
    await t.services.firing.reconcile();
    const alerts = await sql<{ id: string }>`select id from alerts`.execute(t.db);
    const deadlines = await sql<{ id: string }>`select id from deadlines`.execute(t.db);
    expect(alerts.rows.length).toBeGreaterThan(0);
    validIds.id = [melding.json().id, advies.json().id, alerts.rows[0]!.id, deadlines.rows[0]!.id];
    // Weighted towards the route's own kind of id (three of four picks).
    validIds.cases = Array<string>(8).fill(melding.json().id);
    validIds.adviezen = Array<string>(8).fill(advies.json().id);
    validIds.alerts = Array<string>(8).fill(alerts.rows[0]!.id);
    validIds.deadlines = Array<string>(8).fill(deadlines.rows[0]!.id);
    validIds.teamId = ['team-a', 'team-b'];

    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    tokens.none = undefined;
    tokens.garbage = 'Bearer garbage';
    tokens.noScheme = await t.token('alice', 'medewerker', { teams: ['team-a'] });
    tokens.wrongSecret = `Bearer ${await signDevelopmentToken('another-secret-that-is-long-enough-for-hs256-xyz', { sub: 'alice', role: 'manager' })}`;
    tokens.expired = `Bearer ${await new SignJWT({ role: 'manager', teams: [] }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime(Math.floor(Date.now() / 1000) - 3_600).sign(key)}`;
    tokens.algNone = `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', role: 'manager', teams: [], exp: 4_000_000_000 })}.`;
    tokens.badClaims = `Bearer ${await new SignJWT({ role: 'koning', teams: ['team a'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime('1h').sign(key)}`;
    const now = Math.floor(Date.now() / 1000);
    const signed = (sub: string, claims: { iat?: number; exp?: number }) => {
      let jwt = new SignJWT({ role: 'manager', teams: [] }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub);
      if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
      if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
      return jwt.sign(key);
    };
    tokens.controlSub = `Bearer ${await signed('alice\u0000\u001b', { iat: now, exp: now + 600 })}`;
    tokens.noExp = `Bearer ${await signed('alice', { iat: now })}`;
    tokens.year9999 = `Bearer ${await signed('alice', { iat: now, exp: 253_402_300_799 })}`;
    tokens.futureIat = `Bearer ${await signed('alice', { iat: now + 365 * 86_400, exp: now + 365 * 86_400 + 600 })}`;
    const roleTokens: Record<string, string> = {
      medewerker: await t.token('fuzz-mw', 'medewerker', { teams: ['team-a'] }),
      medewerkerOtherTeam: await t.token('fuzz-mw-b', 'medewerker', { teams: ['team-b'] }),
      teamleider: await t.token('fuzz-tl', 'teamleider', { teams: ['team-a'] }),
      manager: await t.token('fuzz-mgr', 'manager'),
      gemeente: await t.token('fuzz-gm', 'gemeente', { gemeente: 'GM0193' }),
      beheerder: await t.token('fuzz-bh', 'beheerder'),
    };
    for (const [role, token] of Object.entries(roleTokens)) tokens[role] = `Bearer ${token}`;

    routes = routesOf(t.app.swagger() as Parameters<typeof routesOf>[0]);
    // Every table: a row-level trigger notes any insert, update or delete.
    await sql`create table fuzz_writes (id bigserial primary key, tbl text not null, op text not null)`.execute(t.db);
    await sql`create function fuzz_note_write() returns trigger language plpgsql as $$ begin insert into fuzz_writes (tbl, op) values (tg_table_name, tg_op); return null; end $$`.execute(t.db);
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'fuzz_writes'`.execute(t.db);
    for (const { table_name } of tables.rows) {
      await sql`create trigger ${sql.id(`fuzz_${table_name}`)} after insert or update or delete on ${sql.table(table_name)} for each row execute function fuzz_note_write()`.execute(t.db);
    }
  }, 60_000);
  afterAll(async () => t.close());

  const authTokens = ['none', 'garbage', 'noScheme', 'wrongSecret', 'expired', 'algNone', 'badClaims', 'controlSub', 'noExp', 'year9999', 'futureIat'];
  const staffTokens = ['medewerker', 'medewerkerOtherTeam', 'teamleider', 'manager', 'gemeente', 'beheerder'];

  function requestArb(): fc.Arbitrary<FuzzRequest> {
    const roleToken = fc.constantFrom(...staffTokens);
    const badAuth = fc.oneof(fc.constantFrom(...authTokens), fc.string({ maxLength: 60 }).map((s) => `raw:${s}`));
    const unknownRoute = fc
      .tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), fc.array(nastyString.map(encodeURIComponent), { minLength: 1, maxLength: 4 }), fc.oneof(roleToken, badAuth), queryString)
      .map(([method, segments, token, query]): FuzzRequest => ({
        route: null,
        path: `/${['v1', ...segments].join('/')}`,
        method,
        authorization: tokenValue(token),
        query,
        contentType: 'application/json',
        payload: method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? undefined : '{}',
        accept: 'application/json',
        defect: 'route:unknown',
      }));

    const known = fc.constantFrom(...routes).chain((route) => {
      const defects: string[] = [];
      if (route.url.startsWith('/v1/')) defects.push('auth');
      if (route.params.length > 0) defects.push('param');
      if (route.hasBody) defects.push('body');
      if (route.method === 'GET' && !route.streaming) defects.push('query', 'none');
      if (route.streaming) defects.splice(0, defects.length, 'auth', 'forbiddenRole');
      if (defects.length === 0) defects.push('none');
      return fc.record({
        defect: fc.constantFrom(...defects),
        token: roleToken,
        badToken: badAuth,
        params: fc.record(Object.fromEntries(route.params.map((p) => [p, fc.constantFrom(...idsFor(route, p))]))),
        badParam: fc.tuple(fc.constantFrom(...(route.params.length > 0 ? route.params : ['-'])), malformedSegment),
        body: route.hasBody ? badBody(route) : fc.constant<Body>({ contentType: undefined, payload: undefined, defect: '' }),
        query: queryString,
        accept: fc.constantFrom('application/json', 'text/csv', '*/*', 'text/html', ''),
      }).map((g): FuzzRequest => {
        const params = { ...g.params };
        if (g.defect === 'param') params[g.badParam[0]] = g.badParam[1];
        const path = route.url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
        const token = g.defect === 'auth' ? g.badToken : g.defect === 'forbiddenRole' ? 'gemeente' : g.token;
        const body = route.hasBody ? g.body : { contentType: undefined, payload: undefined, defect: '' };
        return {
          route,
          path,
          method: route.method,
          authorization: tokenValue(token),
          query: g.query,
          contentType: body.contentType,
          payload: body.payload,
          accept: g.accept,
          defect: g.defect === 'body' ? body.defect : g.defect,
        };
      });
    });
    return fc.oneof({ weight: 9, arbitrary: known }, { weight: 1, arbitrary: unknownRoute });
  }

  /** Real ids of the kind the route names (a case id for /v1/cases/:id …), so requests get past "not found". */
  function idsFor(route: Route, param: string): string[] {
    if (param !== 'id') return validIds[param] ?? validIds.id!;
    const kind = /^\/v1\/([a-z-]+)/.exec(route.url)?.[1] ?? '';
    const own = validIds[kind];
    return own ? [...own, ...validIds.id!] : validIds.id!;
  }

  function tokenValue(name: string): string | undefined {
    if (name.startsWith('raw:')) return name.slice(4);
    return tokens[name];
  }

  it('answers every one with a 4xx (or a GET with 2xx) and never writes', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    const dump = async () => {
      // The audit trail (its rows, the sealer's queue and links) grows with every answered read (counted below); kept
      // months are a cache of counts.
      const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('fuzz_writes', 'audit_log', 'audit_pending', 'audit_seal', 'metrics_monthly') order by 1`.execute(t.db);
      const out: Record<string, string> = {};
      for (const { table_name } of tables.rows) {
        const r = await sql<{ h: string | null }>`select md5(string_agg(x::text, '|' order by x::text)) as h from ${sql.table(table_name)} x`.execute(t.db);
        out[table_name] = r.rows[0]?.h ?? 'empty';
      }
      return out;
    };
    const before = await dump();
    const auditBefore = Number((await sql<{ n: string }>`select count(*) as n from audit_log`.execute(t.db)).rows[0]!.n);
    const seen = new Map<string, number>();
    const statuses = new Map<number, number>();
    const started = Date.now();
    let sent = 0;
    let writesSoFar = 0;
    let auditRows = 0;

    await fc.assert(
      fc.asyncProperty(requestArb(), async (r) => {
        sent += 1;
        const headers: Record<string, string> = {};
        if (r.authorization !== undefined) headers.authorization = r.authorization;
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        if (r.accept) headers.accept = r.accept;
        const res = await t.app.inject({
          method: r.method as 'GET',
          url: r.query ? `${r.path}?${r.query}` : r.path,
          headers,
          ...(r.payload !== undefined ? { payload: r.payload } : {}),
        });
        const key = r.route ? `${r.route.method} ${r.route.url}` : 'unknown route';
        seen.set(key, (seen.get(key) ?? 0) + 1);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const writes = await sql<{ tbl: string; op: string }>`select tbl, op from fuzz_writes where id > ${writesSoFar} order by id`.execute(t.db);
        const last = await sql<{ id: string | null }>`select max(id)::text as id from fuzz_writes`.execute(t.db);
        const describe = `${r.method} ${r.path.slice(0, 120)}?${r.query.slice(0, 80)} [${r.defect}] auth=${String(r.authorization).slice(0, 30)} ct=${String(r.contentType)} body=${String(r.payload).slice(0, 200)} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
        if (res.statusCode >= 500) throw new Error(`5xx: ${describe}`);
        // Only this request's writes, so shrinking after a failure blames the request that wrote. A read that was
        // answered (a GET with 2xx) is recorded in the audit trail and may keep a complete month's counts; nothing
        // else may write, and a refused request writes nothing but the audit row of its refusal (403/404).
        writesSoFar = Number(last.rows[0]?.id ?? writesSoFar);
        const answeredRead = r.method === 'GET' && res.statusCode < 300;
        const refused = res.statusCode === 403 || res.statusCode === 404;
        const audit = (tbl: string) => tbl === 'audit_log' || tbl === 'audit_pending';
        const allowed = (w: { tbl: string; op: string }) =>
          w.op === 'INSERT' && ((answeredRead && (audit(w.tbl) || w.tbl === 'metrics_monthly')) || (refused && audit(w.tbl)));
        const forbidden = writes.rows.filter((w) => !allowed(w));
        if (forbidden.length > 0) throw new Error(`wrote (${forbidden.map((w) => `${w.tbl}:${w.op}`).join(', ')}): ${describe}`);
        if (writes.rows.filter((w) => w.tbl === 'audit_log').length > 1) throw new Error(`more than one audit row for one request: ${describe}`);
        auditRows += writes.rows.filter((w) => w.tbl === 'audit_log').length;
        if (r.method !== 'GET' && r.method !== 'HEAD' && res.statusCode < 400) throw new Error(`a defective ${r.method} was accepted: ${describe}`);
        if (res.statusCode === 429) throw new Error(`rate limited: ${describe}`);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false },
    );

    const seconds = (Date.now() - started) / 1000;
    expect(sent).toBeGreaterThanOrEqual(RUNS);
    // Every route was fuzzed, and with every kind of caller.
    for (const route of routes) expect({ route: `${route.method} ${route.url}`, hit: (seen.get(`${route.method} ${route.url}`) ?? 0) > 20 }).toEqual({ route: `${route.method} ${route.url}`, hit: true });
    expect(await dump()).toEqual(before);
    const auditAfter = Number((await sql<{ n: string }>`select count(*) as n from audit_log`.execute(t.db)).rows[0]!.n);
    expect(auditAfter - auditBefore).toBe(auditRows);
    process.stdout.write(`fuzz: ${sent} requests over ${routes.length} routes in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}\n`);
  }, 180_000);
});
