/**
 * Drives a melding through the HTTP API, one event at a time, checking state and version at every step and
 * keeping the history the case must end up with (seq, type, who, when, from, to).
 */
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { TestApp } from '../support/test-app';
import { apiError, type ApiErrorView } from '../support/api-error';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface Staff {
  id: string;
  role: 'medewerker' | 'teamleider' | 'manager';
  token: string;
}

export interface ExpectedHistoryEntry {
  seq: number;
  type: string;
  actor: { id: string; role: string };
  at: string;
  fromState: string | null;
  toState: string;
}

/** The parts of the case view the tests read. */
export interface CaseJson {
  id: string;
  state: string;
  version: number;
  teamId: string;
  gemeente: string;
  receivedAt: string;
  safety: string | null;
  decisionCode: string | null;
  persons: Array<{ id: string; ordinal: number; role: string; birthDate: string | null; vulnerabilities: string[]; childContact: unknown; chainPartnerRecorded: boolean }>;
  monitoringContacts: Array<{ id: string; plannedFor: string; heldAt: string | null; positive: boolean | null }>;
  deadlines: Array<{ id: string; kind: string; key: string; status: string; dueAt: string; metAt: string | null; cancelledAt: string | null }>;
  nextDueAt: string | null;
  closedAt: string | null;
  pendingProposal: unknown;
}

export async function staff(t: TestApp, id: string, role: Staff['role'], teams: string[]): Promise<Staff> {
  return { id, role, token: await t.token(id, role, { teams }) };
}

export function describeResponse(res: LightMyRequestResponse): string {
  return `${res.statusCode} ${res.body}`;
}

/** Asserts the status code, showing the body when it differs. */
export function expectStatus(res: LightMyRequestResponse, status: number): void {
  if (res.statusCode !== status) throw new Error(`expected HTTP ${status}, got ${describeResponse(res)}`);
}

export interface SendOptions {
  /** Set the clock to this instant first (must not go back); otherwise the clock moves on by `gap`. */
  at?: string;
}

export class CaseDriver {
  /** Minutes the clock moves on before each event, so every event has its own moment. */
  gap = 7 * MINUTE;
  readonly expectedHistory: ExpectedHistoryEntry[] = [];
  state: string;
  version: number;

  private constructor(
    private readonly t: TestApp,
    readonly id: string,
    created: CaseJson,
    registeredBy: Staff,
  ) {
    this.state = created.state;
    this.version = created.version;
    this.expectedHistory.push({
      seq: 1,
      type: 'MELDING_REGISTERED',
      actor: { id: registeredBy.id, role: registeredBy.role },
      at: t.clock.now().toISOString(),
      fromState: null,
      toState: created.state,
    });
  }

  static async register(t: TestApp, by: Staff, body: unknown): Promise<CaseDriver> {
    const res = await t.request('POST', '/v1/meldingen', by.token, body);
    expectStatus(res, 201);
    const created = res.json<CaseJson>();
    expect(created.state).toBe('veiligheidsbeoordeling');
    expect(created.version).toBe(1);
    return new CaseDriver(t, created.id, created, by);
  }

  private tick(options: SendOptions): void {
    if (options.at) {
      const to = new Date(options.at);
      if (to.getTime() < this.t.clock.now().getTime()) throw new Error(`the clock would go back to ${options.at}`);
      this.t.clock.set(to);
    } else {
      this.t.clock.advance(this.gap);
    }
  }

  /** Sends an event that must be accepted: 200, version + 1, the expected state. */
  async send(by: Staff, type: string, payload: Record<string, unknown>, expectedState: string, options: SendOptions = {}): Promise<CaseJson> {
    this.tick(options);
    const res = await this.t.request('POST', `/v1/cases/${this.id}/events`, by.token, { type, expectedVersion: this.version, ...payload });
    if (res.statusCode !== 200) throw new Error(`${type} by ${by.id} in state ${this.state}: expected 200, got ${describeResponse(res)}`);
    const body = res.json<CaseJson>();
    expect({ type, state: body.state, version: body.version }).toEqual({ type, state: expectedState, version: this.version + 1 });
    this.expectedHistory.push({
      seq: this.version + 1,
      type,
      actor: { id: by.id, role: by.role },
      at: this.t.clock.now().toISOString(),
      fromState: this.state,
      toState: expectedState,
    });
    this.state = body.state;
    this.version = body.version;
    return body;
  }

  /**
   * Sends an event that must be refused with 422 and the given error code, and checks that the refusal wrote
   * nothing: same version and state, same history, same deadlines, same persons.
   */
  async refuse(by: Staff, type: string, payload: Record<string, unknown>, code: 'CASE.EVENT_NOT_ALLOWED' | 'CASE.GUARD_BLOCKED'): Promise<ApiErrorView> {
    const before = await this.get(by);
    const historyBefore = await this.history(by);
    this.t.clock.advance(this.gap);
    const res = await this.t.request('POST', `/v1/cases/${this.id}/events`, by.token, { type, expectedVersion: this.version, ...payload });
    expect(`${type}: ${res.statusCode}`).toBe(`${type}: 422`);
    const error = apiError(res.json());
    expect(error.code).toBe(code);
    expect(error.reasons?.length ?? 0).toBeGreaterThan(0);
    const after = await this.get(by);
    expect({ version: after.version, state: after.state }).toEqual({ version: this.version, state: this.state });
    expect(after.version).toBe(before.version);
    expect(after.deadlines).toEqual(before.deadlines);
    expect(after.persons).toEqual(before.persons);
    expect(after.monitoringContacts).toEqual(before.monitoringContacts);
    expect(after.pendingProposal).toEqual(before.pendingProposal);
    const historyAfter = await this.history(by);
    expect(historyAfter).toHaveLength(historyBefore.length);
    expect(historyAfter).toEqual(historyBefore);
    return error;
  }

  async get(by: Staff): Promise<CaseJson> {
    const res = await this.t.request('GET', `/v1/cases/${this.id}`, by.token);
    expectStatus(res, 200);
    return res.json<CaseJson>();
  }

  async history(by: Staff): Promise<Array<ExpectedHistoryEntry & { id: string; payload: Record<string, unknown> }>> {
    const res = await this.t.request('GET', `/v1/cases/${this.id}/history`, by.token);
    expectStatus(res, 200);
    return res.json<{ items: Array<ExpectedHistoryEntry & { id: string; payload: Record<string, unknown> }> }>().items;
  }

  async transitions(by: Staff): Promise<{ state: string; version: number; allowed: Array<{ type: string; payloadSchema: Record<string, unknown> }>; blocked: Array<{ type: string; reasons: Array<{ code: string; message: string }> }> }> {
    const res = await this.t.request('GET', `/v1/cases/${this.id}/transitions`, by.token);
    expectStatus(res, 200);
    return res.json();
  }

  /** Ids of the persons on the case by role, in ordinal order. */
  async personIds(by: Staff, role: string): Promise<string[]> {
    return (await this.get(by)).persons.filter((p) => p.role === role).map((p) => p.id);
  }

  /** The history must be exactly the events sent, in order, seq 1..N without gaps. */
  async expectCompleteHistory(by: Staff): Promise<void> {
    const items = await this.history(by);
    expect(items.map((i) => i.seq)).toEqual(Array.from({ length: items.length }, (_, i) => i + 1));
    expect(items.map(({ seq, type, actor, at, fromState, toState }) => ({ seq, type, actor, at, fromState, toState }))).toEqual(this.expectedHistory);
    expect(items).toHaveLength(this.version);
  }
}

const COUNTED_TABLES = ['cases', 'persons', 'melders', 'case_events', 'deadlines', 'adviezen', 'teams'] as const;
export type TableCounts = Record<(typeof COUNTED_TABLES)[number] | 'converted_adviezen', number>;

/** Rows in every table a registration or an event could write, in one consistent read. */
export async function tableCounts(t: TestApp): Promise<TableCounts> {
  const parts = COUNTED_TABLES.map((table) => sql`(select count(*)::int from ${sql.table(table)}) as ${sql.ref(table)}`);
  const { rows } = await sql<TableCounts>`select ${sql.join(parts)}, (select count(*)::int from adviezen where converted_case_id is not null) as converted_adviezen`.execute(t.db);
  if (!rows[0]) throw new Error('count query returned nothing');
  return rows[0];
}
