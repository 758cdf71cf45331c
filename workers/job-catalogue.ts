import { z } from 'zod';
import { REQUEST_ID_PATTERN } from '../src/shared/request-context';

export const QUEUES = { deadlines: 'deadlines', notifications: 'notifications' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * The closed job catalogue: every job name, the queue it runs on, its payload schema. A worker refuses to boot
 * unless each has exactly one handler, and a payload that fails its schema is never retried. Deadline warnings and
 * breaches are no jobs: they fire from the timer index (workers/bullmq-timer.ts, workers/timer-drainer.ts).
 */
/** Each job may carry the id of the request that scheduled it (x-request-id), for following one melding in the logs. */
const traced = { requestId: z.string().regex(REQUEST_ID_PATTERN).optional() };

export const JOB_CATALOGUE = {
  'alert-escalate': { queue: QUEUES.deadlines, payload: z.object({ alertId: z.uuid(), ...traced }).strict() },
  'alert-deliver': { queue: QUEUES.notifications, payload: z.object({ deliveryId: z.uuid(), ...traced }).strict() },
  'deadlines-reconcile': { queue: QUEUES.deadlines, payload: z.object({ ...traced }).strict() },
  'waitlist-snapshot': { queue: QUEUES.deadlines, payload: z.object({ ...traced }).strict(), schedule: '15 0 * * *' },
  'retention-destroy': { queue: QUEUES.deadlines, payload: z.object({ ...traced }).strict(), schedule: '30 2 * * *' },
  'idempotency-purge': { queue: QUEUES.deadlines, payload: z.object({ ...traced }).strict(), schedule: '45 2 * * *' },
} as const;

export type JobName = keyof typeof JOB_CATALOGUE;

/** The time zone of every schedule in the catalogue: the working day of a Veilig Thuis. */
export const SCHEDULE_TZ = 'Europe/Amsterdam';

/** The nightly jobs: those catalogue entries with a cron `schedule` (minute hour day month weekday, in SCHEDULE_TZ). */
export type ScheduledJobName = { [K in JobName]: (typeof JOB_CATALOGUE)[K] extends { schedule: string } ? K : never }[JobName];
export const SCHEDULED_JOBS = Object.fromEntries(
  Object.entries(JOB_CATALOGUE).flatMap(([name, entry]) => ('schedule' in entry ? [[name, entry.schedule]] : [])),
) as Record<ScheduledJobName, string>;
export type JobPayload<K extends JobName> = z.infer<(typeof JOB_CATALOGUE)[K]['payload']>;
export type JobHandlers = { [K in JobName]: (payload: JobPayload<K>) => Promise<unknown> };
export const JOB_NAMES = Object.keys(JOB_CATALOGUE) as JobName[];

/** A uuid as 22 base64url characters (its 16 bytes), for the timer index's members: less Redis per deadline. */
export function compactUuid(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
}

/** The uuid back from its 22 characters (compactUuid's inverse). */
export function expandUuid(compact: string): string {
  const hex = Buffer.from(compact, 'base64url').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** jobIds are deterministic, so adding a job twice is harmless; BullMQ rejects ':' in custom ids. */
export const jobIds = {
  escalate: (alertId: string) => `escalate-${alertId}`,
  deliver: (deliveryId: string, attempt: number) => `deliver-${deliveryId}-${attempt}`,
};

/** Checks at boot that the handlers cover the catalogue exactly. */
export function assertCompleteHandlers(handlers: Partial<Record<string, unknown>>): asserts handlers is JobHandlers {
  const missing = JOB_NAMES.filter((name) => typeof handlers[name] !== 'function');
  const unknown = Object.keys(handlers).filter((name) => !(name in JOB_CATALOGUE));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(`job catalogue mismatch: missing handlers [${missing.join(', ')}], unknown handlers [${unknown.join(', ')}]`);
  }
}
