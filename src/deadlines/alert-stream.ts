import type { Database } from '../../db/database';
import type { AlertRow } from '../../db/schema';
import { deadlineRepository as repo } from './deadline.repository';

type Listener = (alert: AlertRow) => void;

/** How long a hole in the seq order is waited for: a transaction that took a seq may commit after a later one. */
const GAP_WAIT_MS = 15_000;

/**
 * Fans new alerts out to live subscribers (server-sent events). Alerts may be written by any worker process, so
 * one poller per API process reads what is new by `seq`; it only runs while someone listens. Seqs are taken at
 * insert and rows become visible at commit, so a later seq can appear before an earlier one (and rolled-back or
 * conflicting inserts leave holes for good): the poller remembers what it sent and only moves its watermark past a
 * hole after GAP_WAIT_MS, so a late commit is still delivered.
 */
export class AlertStream {
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | null = null;
  private watermark: number | null = null;
  private readonly sent = new Set<number>();
  private readonly holes = new Map<number, number>();
  private polling = false;

  constructor(
    private readonly db: Database,
    private readonly intervalMs = 300,
    private readonly now: () => number = Date.now,
  ) {}

  /** Subscribes; with `afterSeq` (Last-Event-ID) the alerts since then are replayed first. */
  async subscribe(listener: Listener, afterSeq?: number): Promise<() => void> {
    if (this.watermark === null) this.watermark = await repo.latestAlertSeq(this.db);
    if (afterSeq !== undefined && afterSeq < this.watermark) {
      for (const alert of await repo.alertsAfter(this.db, afterSeq, 1000)) if (Number(alert.seq) <= this.watermark) listener(alert);
    }
    this.listeners.add(listener);
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.close();
    };
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.watermark = null;
    this.sent.clear();
    this.holes.clear();
    this.listeners.clear();
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      // A subscriber may have joined while the last one left (close() cleared the watermark): start afresh.
      this.watermark ??= await repo.latestAlertSeq(this.db);
      const alerts = await repo.alertsAfter(this.db, this.watermark, 1000);
      for (const alert of alerts) {
        const seq = Number(alert.seq);
        if (this.sent.has(seq)) continue;
        this.sent.add(seq);
        for (const listener of this.listeners) listener(alert);
      }
      this.advance();
    } catch {
      // A failed poll is retried on the next tick.
    } finally {
      this.polling = false;
    }
  }

  private advance(): void {
    if (this.watermark === null) return;
    const highest = Math.max(this.watermark, ...this.sent);
    let w = this.watermark;
    while (w < highest) {
      const next = w + 1;
      if (this.sent.delete(next)) {
        w = next;
        continue;
      }
      const since = this.holes.get(next) ?? this.now();
      this.holes.set(next, since);
      if (this.now() - since < GAP_WAIT_MS) break;
      this.holes.delete(next);
      w = next;
    }
    this.watermark = w;
  }
}
