/**
 * The dashboard's one way to the API: the /v1 routes with the session's bearer token in the Authorization header
 * (never in a URL). Response types come from the server's own view functions, so they cannot drift.
 */
import type { AlertView } from '../../src/deadlines/alert.service';
import type { CaseView, toCaseSummary, toHistoryEntry } from '../../src/cases/case.view';
import type { MetricsService } from '../../src/reporting/metrics.service';
import type { QualityService } from '../../src/reporting/quality.service';
import type { ScorecardService } from '../../src/quality/scorecard.service';
import type { PlanService } from '../../src/quality/plan.service';
import type { MachineGraph } from '../../workflows/melding/melding.graph';
import type { WorkspaceService } from '../../src/workspace/workspace.service';
import { readApiError, type ApiErrorBody } from './api-error';

export type { AlertView, CaseView, MachineGraph };
export type CaseSummary = ReturnType<typeof toCaseSummary>;
export type HistoryEntry = ReturnType<typeof toHistoryEntry>;
export type CaseDeadline = CaseView['deadlines'][number];
export type Wachtlijst = Awaited<ReturnType<MetricsService['wachtlijst']>>;
export type QualityReport = Awaited<ReturnType<QualityService['report']>>;
export type Workspace = Awaited<ReturnType<WorkspaceService['forPrincipal']>>;
export type WorkspaceItem = Workspace['mine'][number];

/** One event the case accepts now, with its payload's JSON Schema; or one that is blocked, with the reasons. */
export interface Transitions {
  state: string;
  version: number;
  allowed: Array<{ type: string; payloadSchema: JsonSchema }>;
  blocked: Array<{ type: string; reasons: Array<{ code: string; message: string }> }>;
}

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
}
export type Scorecard = Awaited<ReturnType<ScorecardService['scorecard']>>;
export type QualityPlan = Awaited<ReturnType<PlanService['plan']>>;

export interface DashboardConfig {
  oidc: { issuer: string; clientId: string; scope: string } | null;
  now: string;
  region: { id: string; name: string; centrumgemeente: string; gemeenten: Array<{ code: string; name: string }> };
  /** Code lists from the server's one source (workflows/reference/categories.ts, workflows/quality/plan.ts). */
  labels: { melderSectors: Record<string, string>; milestones: Record<string, string>; certificationSchemes: string[]; planStatuses: string[] };
}

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

export class Api {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: () => void,
  ) {}

  get bearer(): string {
    return `Bearer ${this.token}`;
  }

  async get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    return this.request<T>('GET', path, query);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, {}, body);
  }

  private async request<T>(method: string, path: string, query: Record<string, string | undefined>, body?: unknown): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
    const qs = params.toString();
    const res = await fetch(qs ? `${path}?${qs}` : path, {
      method,
      headers: { authorization: this.bearer, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    if (res.status === 401) this.onUnauthorized();
    if (!res.ok) {
      const body: unknown = await res.json().catch(() => null);
      throw new ApiError(res.status, readApiError(res.status, res.statusText, body));
    }
    return (await res.json()) as T;
  }
}

export async function loadConfig(): Promise<DashboardConfig> {
  const res = await fetch('/dashboard/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`configuratie niet geladen (${res.status})`);
  return (await res.json()) as DashboardConfig;
}
