/**
 * The dashboard's one way to the API: the /v1 routes with the session's bearer token in the Authorization header
 * (never in a URL). Response types come from the server's own view functions, so they cannot drift.
 */
import type { AlertView } from '../../src/deadlines/alert.service';
import type { CaseView, toCaseSummary, toHistoryEntry } from '../../src/cases/case.view';
import type { MetricsService } from '../../src/reporting/metrics.service';
import type { QualityService } from '../../src/reporting/quality.service';
import type { MachineGraph } from '../../workflows/melding/melding.graph';

export type { AlertView, CaseView, MachineGraph };
export type CaseSummary = ReturnType<typeof toCaseSummary>;
export type HistoryEntry = ReturnType<typeof toHistoryEntry>;
export type CaseDeadline = CaseView['deadlines'][number];
export type Wachtlijst = Awaited<ReturnType<MetricsService['wachtlijst']>>;
export type QualityReport = Awaited<ReturnType<QualityService['report']>>;

export interface DashboardConfig {
  oidc: { issuer: string; clientId: string; scope: string } | null;
  now: string;
  region: { id: string; name: string; centrumgemeente: string; gemeenten: Array<{ code: string; name: string }> };
}

/** An API error with its stable code, from the RFC 9457 problem details body (`{ type, title, status, detail, code }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
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
      const problem = (await res.json().catch(() => null)) as { code?: string; detail?: string; title?: string } | null;
      throw new ApiError(res.status, problem?.code ?? 'HTTP', problem?.detail ?? problem?.title ?? `${res.status} ${res.statusText}`);
    }
    return (await res.json()) as T;
  }
}

export async function loadConfig(): Promise<DashboardConfig> {
  const res = await fetch('/dashboard/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`configuratie niet geladen (${res.status})`);
  return (await res.json()) as DashboardConfig;
}
