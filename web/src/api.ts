/**
 * The dashboard's one way to the API: a client generated from the OpenAPI document the API serves
 * (web/src/api/schema.gen.ts, `npm run generate:api`; openapi-fetch makes the calls), with the session's bearer
 * token in the Authorization header (never in a URL). Paths, parameters, bodies and answers are typed by the
 * document: a contract change that breaks a view fails `npm run typecheck`.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './api/schema.gen';
import { readApiError, type ApiErrorBody } from './api-error';

export type { paths };
type Schemas = components['schemas'];
/** The JSON answer of an operation for one status, as the document describes it. */
export type Answer<P extends keyof paths, M extends 'get' | 'post' | 'put', S extends number = 200> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

/** The JSON request body of an operation. */
export type RequestBody<P extends keyof paths, M extends 'post' | 'put'> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer T } } } ? T : never;
export type MeldingBody = RequestBody<'/v1/meldingen', 'post'>;
/** An event with its payload; built from the transitions' payload JSON Schema, so checked by the API, not here. */
export type EventBody = RequestBody<'/v1/cases/{id}/events', 'post'>;

export type CaseView = Schemas['Case'];
export type CaseSummary = Schemas['CaseSummary'];
export type HistoryEntry = Schemas['HistoryEntry'];
export type CaseDeadline = Schemas['Deadline'];
export type AlertView = Schemas['Alert'];
export type MachineGraph = Answer<'/v1/workflow/melding/definition', 'get'>;
export type DashboardConfig = Answer<'/dashboard/config.json', 'get'>;
export type CasePage = Answer<'/v1/cases', 'get'>;
export type QualityReport = Schemas['QualityReport'];

/** A GET's JSON answer with the document's own type (see okJson). */
type Got<P extends keyof paths> = Answer<P, 'get'>;
export type Wachtlijst = Got<'/v1/metrics/wachtlijst'>;
export type Workspace = Got<'/v1/workspace'>;
export type WorkspaceItem = Workspace['mine'][number];

/** The events the case accepts now (payloadSchema: the JSON Schema the document gives as an open object) and the blocked ones. */
export type Transitions = Omit<Schemas['Transitions'], 'allowed'> & { allowed: Array<{ type: string; payloadSchema: JsonSchema }> };

/** The JSON Schema subset zod's toJSONSchema emits for the event payloads. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: Array<string | number | boolean>;
  const?: string | number | boolean;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  description?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  /** A record's keys (zod's partialRecord over an enum): the names it may have. */
  propertyNames?: JsonSchema;
}
export type Scorecard = Got<'/v1/quality/scorecard'>;
export type QualityPlan = Got<'/v1/quality/plan'>;

/** An API error with its stable code, the fields and rules it names, and the reasons a guard gave. */
export class ApiError extends Error {
  readonly code: string;
  readonly issues: ApiErrorBody['issues'];
  readonly reasons: ApiErrorBody['reasons'];
  readonly currentVersion: number | null;

  constructor(
    readonly status: number,
    body: ApiErrorBody,
  ) {
    super(body.message);
    this.code = body.code;
    this.issues = body.issues;
    this.reasons = body.reasons;
    this.currentVersion = body.currentVersion;
  }
}

/** An openapi-fetch result: the data of a 2xx, or an ApiError with the problem's code, fields and reasons. */
/**
 * The JSON answer of GET `path`, typed by the document. openapi-fetch types `data` as Readable<answer>, which drops
 * a property whose type is exactly null (NonNullable<null> is never, and never extends $Write): a suppressed
 * count's `value: null` would vanish from the type. The document has no readOnly/writeOnly markers, so Readable
 * changes nothing else; this gives the answer its document type back. `path` must be the path `call` requests.
 * A text answer (CSV, for routes that offer it) is refused: the dashboard asks for JSON.
 */
export async function okJson<P extends keyof paths>(_path: P, call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<Got<P>> {
  const data = await ok(call);
  if (typeof data === 'string') throw new Error('the API answered text where JSON was asked for');
  return data as Got<P>;
}

export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) throw new ApiError(response.status, readApiError(response.status, response.statusText, error ?? null));
  return data as T;
}

export class Api {
  /** The typed client: `api.client.GET('/v1/cases/{id}', { params: { path: { id } } })`, wrapped in `ok()`. */
  readonly client: Client<paths>;

  constructor(
    private readonly token: string,
    private readonly onUnauthorized: () => void,
  ) {
    this.client = createClient<paths>({ baseUrl: location.origin, cache: 'no-store', headers: { accept: 'application/json' } });
    this.client.use({
      onRequest: ({ request }) => {
        request.headers.set('authorization', this.bearer);
        return request;
      },
      onResponse: ({ response }) => {
        if (response.status === 401) this.onUnauthorized();
        return response;
      },
    });
  }

  get bearer(): string {
    return `Bearer ${this.token}`;
  }
}

/** The dashboard's settings (public: no token yet). */
export async function loadConfig(): Promise<DashboardConfig> {
  const client = createClient<paths>({ baseUrl: location.origin, cache: 'no-store' });
  const { data, response } = await client.GET('/dashboard/config.json');
  if (!response.ok || !data) throw new Error(`configuratie niet geladen (${response.status})`);
  return data;
}
