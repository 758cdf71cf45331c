import type { DeadlineRow } from '../../db/schema';

export type TimedDeadline = Pick<DeadlineRow, 'id' | 'status' | 'due_at' | 'warn_at' | 'warned_at'>;

/**
 * The next moment a deadline must act: its warning while that is unhandled (and before the end), else its breach;
 * none once it is met, cancelled or breached. The BullMQ timer keeps exactly this moment per open deadline.
 */
export function nextMoment(d: Pick<DeadlineRow, 'status' | 'due_at' | 'warn_at' | 'warned_at'>): Date | null {
  if (d.status !== 'open') return null;
  return d.warned_at === null && d.warn_at < d.due_at ? d.warn_at : d.due_at;
}

/**
 * Keeps time for deadlines, escalations and delivery retries. PostgreSQL holds what is due; a timer only makes
 * it fire on time. Both implementations are safe to call twice: the BullMQ one keeps one entry per deadline (its next
 * moment) and deterministic jobIds, the embedded one has nothing to schedule because its loop scans the tables.
 */
export interface DeadlineTimer {
  readonly mode: 'bullmq' | 'embedded';
  syncDeadlines(deadlines: TimedDeadline[]): Promise<void>;
  scheduleEscalation(alertId: string, at: Date): Promise<void>;
  scheduleDelivery(deliveryId: string, at: Date, attempt: number): Promise<void>;
  /** Many alerts' escalations and first deliveries at once (a set-based firing's), in bulk. */
  scheduleAlertJobs(jobs: { escalations: Array<{ alertId: string; at: Date }>; deliveries: Array<{ deliveryId: string; at: Date }> }): Promise<void>;
  /** Re-creates any missing timer (after a Redis flush or loss); returns how many it had to add. */
  restoreMissing(pending: {
    deadlines: TimedDeadline[];
    escalations: Array<{ id: string; escalate_at: Date | null }>;
    deliveries: Array<{ id: string; next_attempt_at: Date; attempts: number }>;
  }): Promise<number>;
}

/** Embedded single-node mode: the in-process reconciler loop is the only timer. */
export const embeddedTimer: DeadlineTimer = {
  mode: 'embedded',
  syncDeadlines: async () => undefined,
  scheduleEscalation: async () => undefined,
  scheduleDelivery: async () => undefined,
  scheduleAlertJobs: async () => undefined,
  restoreMissing: async () => 0,
};
