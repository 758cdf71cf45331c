import { meldingBody } from '../support/test-app';

/**
 * Clients writing throughout the fault suite: each registers acute meldingen and adds notes to its own cases,
 * round-robin over the API processes, and records what was acknowledged. A 503 is the answer an outage may give;
 * anything else that is not a success (a 500, a closed socket, a timeout) is recorded as unexpected.
 */
export class WriteLoad {
  readonly meldingen: string[] = [];
  readonly events: Array<{ caseId: string; seq: number; text: string }> = [];
  readonly unexpected: string[] = [];
  refused = 0;
  private readonly acks: Array<{ sentAt: number; ackAt: number }> = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private next = 0;

  constructor(
    private readonly apis: string[],
    private readonly token: string,
    private readonly clients: number,
    private readonly pauseMs = 150,
  ) {}

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.clients }, (_, i) => this.client(i));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  okSince(t: number): number {
    return this.acks.filter((a) => a.ackAt >= t).length;
  }

  /** When the first write that was sent at or after `t` was acknowledged. */
  firstOkAfter(t: number): number | null {
    return this.acks.find((a) => a.sentAt >= t)?.ackAt ?? null;
  }

  private async client(n: number): Promise<void> {
    const mine: Array<{ id: string; version: number }> = [];
    let round = 0;
    while (this.running) {
      round += 1;
      if (mine.length === 0 || round % 3 === 0) {
        const res = await this.send('POST', '/v1/meldingen', meldingBody({ receivedAt: undefined, acuteDanger: true }));
        if (res?.status === 201) {
          const body = res.body as { id: string; version: number };
          this.meldingen.push(body.id);
          mine.push({ id: body.id, version: body.version });
        }
      } else {
        const target = mine[round % mine.length]!;
        const text = `notitie ${n}-${round}`;
        const res = await this.send('POST', `/v1/cases/${target.id}/events`, { type: 'NOTE_ADDED', expectedVersion: target.version, text });
        if (res?.status === 200) {
          const version = (res.body as { version: number }).version;
          this.events.push({ caseId: target.id, seq: version, text });
          target.version = version;
        } else if (res && (res.status === 503 || res.status === 409)) {
          // A write cut off by a lost connection may have committed: read the version before writing again.
          const read = await this.send('GET', `/v1/cases/${target.id}`, undefined, false);
          if (read?.status === 200) target.version = (read.body as { version: number }).version;
        }
      }
      await new Promise((r) => setTimeout(r, this.pauseMs));
    }
  }

  private async send(method: 'GET' | 'POST', path: string, body?: unknown, isWrite = true): Promise<{ status: number; body: unknown } | null> {
    const api = this.apis[this.next++ % this.apis.length]!;
    const sentAt = Date.now();
    try {
      const res = await fetch(`${api}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const parsed: unknown = await res.json();
      if (res.ok && isWrite) this.acks.push({ sentAt, ackAt: Date.now() });
      if (res.status === 503) this.refused += 1;
      else if (!res.ok && res.status !== 409) this.unexpected.push(`${method} ${path.replace(/[0-9a-f-]{36}/g, ':id')}: ${res.status} ${JSON.stringify(parsed)}`);
      return { status: res.status, body: parsed };
    } catch (error) {
      this.unexpected.push(`${method} ${path.replace(/[0-9a-f-]{36}/g, ':id')}: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }
}
