import type { Database } from '../../db/database';
import type { AlertRow } from '../../db/schema';
import { deadlineRepository as repo } from './deadline.repository';

type Listener = (alert: AlertRow) => void;

/**
 * Fans new alerts out to live subscribers (server-sent events). Alerts may be written by any worker process, so
 * one poller per API process reads what is new by `seq`; it only runs while someone listens.
 */
export class AlertStream {
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | null = null;
  private lastSeq: number | null = null;
  private polling = false;

  constructor(
    private readonly db: Database,
    private readonly intervalMs = 300,
  ) {}

  /** Subscribes; with `afterSeq` (Last-Event-ID) the alerts since then are replayed first. */
  async subscribe(listener: Listener, afterSeq?: number): Promise<() => void> {
    if (this.lastSeq === null) this.lastSeq = await repo.latestAlertSeq(this.db);
    if (afterSeq !== undefined && afterSeq < this.lastSeq) {
      for (const alert of await repo.alertsAfter(this.db, afterSeq, 1000)) if (Number(alert.seq) <= this.lastSeq) listener(alert);
    }
    this.listeners.add(listener);
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
        this.lastSeq = null;
      }
    };
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  private async poll(): Promise<void> {
    if (this.polling || this.lastSeq === null) return;
    this.polling = true;
    try {
      const alerts = await repo.alertsAfter(this.db, this.lastSeq, 1000);
      for (const alert of alerts) {
        this.lastSeq = Math.max(this.lastSeq ?? 0, Number(alert.seq));
        for (const listener of this.listeners) listener(alert);
      }
    } catch {
      // A failed poll is retried on the next tick.
    } finally {
      this.polling = false;
    }
  }
}
