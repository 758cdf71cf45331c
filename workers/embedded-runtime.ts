import { CronExpressionParser } from 'cron-parser';
import { SCHEDULE_TZ, SCHEDULED_JOBS, type ScheduledJobName } from './job-catalogue';

/**
 * The nightly jobs of embedded mode (no Redis, so no BullMQ job schedulers): each runs at the moment its catalogue
 * schedule gives, on the same cron patterns and time zone the BullMQ schedulers use. On boot each runs once, since a
 * night may have passed while the process was down (the jobs are idempotent: a second run on one day changes nothing).
 */
export class NightlySchedule {
  private readonly lastRun = new Map<ScheduledJobName, Date>();

  constructor(private readonly schedules: Record<ScheduledJobName, string> = SCHEDULED_JOBS) {}

  /** The jobs due at `now`: never run yet, or their latest scheduled moment falls after their last run. */
  due(now: Date): ScheduledJobName[] {
    return (Object.keys(this.schedules) as ScheduledJobName[]).filter((name) => {
      const last = this.lastRun.get(name);
      return last === undefined || this.latestMoment(name, now) > last;
    });
  }

  /** Records that `name` ran for the moment `now` (call after it succeeded; a failed job stays due). */
  ran(name: ScheduledJobName, now: Date): void {
    this.lastRun.set(name, now);
  }

  /** The latest scheduled moment of `name` at or before `now`. */
  latestMoment(name: ScheduledJobName, now: Date): Date {
    // prev() is strictly before currentDate; a moment exactly at `now` counts as reached.
    const interval = CronExpressionParser.parse(this.schedules[name], { currentDate: new Date(now.getTime() + 1), tz: SCHEDULE_TZ });
    return interval.prev().toDate();
  }
}
