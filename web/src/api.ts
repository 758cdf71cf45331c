/**
 * The dashboard's one way to the API: a client generated from the OpenAPI document the API serves
 * (web/src/api/schema.gen.ts, `npm run generate:api`; openapi-fetch makes the calls), with the session's bearer
 * token in the Authorization header (never in a URL). Paths, parameters, bodies and answers are typed by the
 * document: a contract change that breaks a view fails `npm run typecheck`.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { MetricsService } from '../../src/reporting/metrics.service';
import type { ScorecardService } from '../../src/quality/scorecard.service';
import type { PlanService } from '../../src/quality/plan.service';
import type { WorkspaceService } from '../../src/workspace/workspace.service';
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

/*
 * Not yet exact in the document (described as open objects, src/http/routes/{workspace,metrics,
 * quality-management}.routes.ts): these views keep the server's own types until their schemas are; `as` below
 * narrows the document's open object to them.
 */
export type Wachtlijst = Awaited<ReturnType<MetricsService['wachtlijst']>>;
export type Workspace = Awaited<ReturnType<WorkspaceService['forPrincipal']>>;
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
export type Scorecard = Awaited<ReturnType<ScorecardService['scorecard']>>;
export type QualityPlan = Awaited<ReturnType<PlanService['plan']>>;

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
