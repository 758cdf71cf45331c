/** Where connection logs go: pino's shape (object first, then the message). */
export interface LogSink {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What a connection reports: it failed (every error, reconnect attempt or close), or it is usable again. */
export interface ConnectionWatch {
  failed(resource: string, error: unknown): void;
  recovered(resource: string): void;
}

interface Outage {
  since: number;
  errors: number;
  probe: NodeJS.Timeout | null;
}

/**
 * Logs a connection outage once, when it starts, and once more when it ends (with its length and how many errors it
 * swallowed): during a Redis or PostgreSQL outage every client retries many times a second, and a line per attempt
 * would flood the log while saying nothing new. Holds one small record per resource that is down, nothing more.
 */
export class OutageLog implements ConnectionWatch {
  private readonly down = new Map<string, Outage>();
  private readonly probes = new Map<string, () => Promise<boolean> | boolean>();
  private readonly listeners: Array<(resource: string, outageMs: number) => void> = [];
  private stopped = false;

  constructor(
    private readonly log: LogSink,
    private readonly probeEveryMs = 1_000,
  ) {}

  /**
   * How to tell that a resource is back when none of its connections says so itself (a pool that opens no new
   * connection while idle, an error seen only through a BullMQ object).
   */
  probe(resource: string, isUp: () => Promise<boolean> | boolean): void {
    this.probes.set(resource, isUp);
  }

  /** Called after each recovery, e.g. to rebuild timers lost with Redis' data. */
  onRecovered(listener: (resource: string, outageMs: number) => void): void {
    this.listeners.push(listener);
  }

  isDown(resource: string): boolean {
    return this.down.has(resource);
  }

  failed(resource: string, error: unknown): void {
    if (this.stopped) return;
    const outage = this.down.get(resource);
    if (outage) {
      outage.errors += 1;
      return;
    }
    this.down.set(resource, { since: Date.now(), errors: 1, probe: null });
    this.log.error({ resource, err: { message: messageOf(error) } }, `${resource} unavailable`);
    this.scheduleProbe(resource);
  }

  recovered(resource: string): void {
    const outage = this.down.get(resource);
    if (!outage) return;
    this.down.delete(resource);
    if (outage.probe) clearTimeout(outage.probe);
    const outageMs = Date.now() - outage.since;
    this.log.warn({ resource, outageMs, errors: outage.errors }, `${resource} available again`);
    for (const listener of this.listeners) listener(resource, outageMs);
  }

  /** At shutdown: closing connections on purpose is no outage. */
  stop(): void {
    this.stopped = true;
    for (const outage of this.down.values()) if (outage.probe) clearTimeout(outage.probe);
  }

  private scheduleProbe(resource: string): void {
    const isUp = this.probes.get(resource);
    const outage = this.down.get(resource);
    if (!isUp || !outage || this.stopped) return;
    outage.probe = setTimeout(() => {
      void Promise.resolve()
        .then(isUp)
        .catch(() => false)
        .then((up) => {
          if (this.down.get(resource) !== outage) return;
          if (up) this.recovered(resource);
          else this.scheduleProbe(resource);
        });
    }, this.probeEveryMs);
    outage.probe.unref();
  }
}

/**
 * A logger to hand out before the real one exists (the composition root builds connections before the HTTP app and
 * its pino logger): it keeps at most `max` lines until attached, counting what it had to drop, and then writes through.
 */
export class DeferredLog implements LogSink {
  private target: LogSink | null = null;
  private readonly pending: Array<(log: LogSink) => void> = [];
  private dropped = 0;

  constructor(private readonly max = 100) {}

  attach(target: LogSink): void {
    this.target = target;
    for (const write of this.pending.splice(0)) write(target);
    if (this.dropped > 0) target.warn({ dropped: this.dropped }, 'log lines dropped before the logger was ready');
  }

  info(obj: object, msg: string): void {
    this.write((l) => l.info(obj, msg));
  }

  warn(obj: object, msg: string): void {
    this.write((l) => l.warn(obj, msg));
  }

  error(obj: object, msg: string): void {
    this.write((l) => l.error(obj, msg));
  }

  private write(line: (log: LogSink) => void): void {
    if (this.target) line(this.target);
    else if (this.pending.length < this.max) this.pending.push(line);
    else this.dropped += 1;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(messageOf).join('; ');
  return error instanceof Error ? error.message : String(error);
}
