/**
 * Embedded mode runs the nightly jobs at the moments of their catalogue schedules (Europe/Amsterdam), not on the
 * first tick of a day: the waiting-list snapshot at 00:15, the destruction run at 02:30, the idempotency purge at 02:45.
 */
import { NightlySchedule } from '../../workers/embedded-runtime';
import { SCHEDULED_JOBS } from '../../workers/job-catalogue';

const at = (local: string) => new Date(local); // ISO with the Amsterdam offset

describe('NightlySchedule (embedded mode)', () => {
  it('takes its schedules from the job catalogue', () => {
    expect(SCHEDULED_JOBS).toEqual({ 'waitlist-snapshot': '15 0 * * *', 'retention-destroy': '30 2 * * *', 'idempotency-purge': '45 2 * * *' });
  });

  it('runs every job once on boot, then each at its own moment and only then', () => {
    const s = new NightlySchedule();
    const run = (now: Date) => {
      const due = s.due(now);
      for (const name of due) s.ran(name, now);
      return due;
    };
    expect(run(at('2026-03-10T14:00:00+01:00'))).toEqual(['waitlist-snapshot', 'retention-destroy', 'idempotency-purge']);
    expect(run(at('2026-03-10T23:59:59+01:00'))).toEqual([]);
    // Midnight is a new day but no job's moment: the old loop ran them all here.
    expect(run(at('2026-03-11T00:00:01+01:00'))).toEqual([]);
    expect(run(at('2026-03-11T00:14:59+01:00'))).toEqual([]);
    expect(run(at('2026-03-11T00:15:00+01:00'))).toEqual(['waitlist-snapshot']);
    expect(run(at('2026-03-11T00:15:01+01:00'))).toEqual([]);
    expect(run(at('2026-03-11T02:30:00+01:00'))).toEqual(['retention-destroy']);
    expect(run(at('2026-03-11T02:44:00+01:00'))).toEqual([]);
    expect(run(at('2026-03-11T02:46:00+01:00'))).toEqual(['idempotency-purge']);
    expect(run(at('2026-03-11T12:00:00+01:00'))).toEqual([]);
  });

  it('catches up once after a gap (the process asleep over two nights), not once per missed night', () => {
    const s = new NightlySchedule();
    for (const name of s.due(at('2026-03-10T14:00:00+01:00'))) s.ran(name, at('2026-03-10T14:00:00+01:00'));
    const later = at('2026-03-12T09:00:00+01:00');
    expect(s.due(later)).toEqual(['waitlist-snapshot', 'retention-destroy', 'idempotency-purge']);
    for (const name of s.due(later)) s.ran(name, later);
    expect(s.due(at('2026-03-12T09:00:01+01:00'))).toEqual([]);
  });

  it('keeps a failed job due until it succeeds', () => {
    const s = new NightlySchedule();
    const boot = at('2026-06-01T10:00:00+02:00');
    for (const name of s.due(boot)) s.ran(name, boot);
    expect(s.due(at('2026-06-02T00:15:00+02:00'))).toEqual(['waitlist-snapshot']);
    // Not recorded as ran (the handler threw): due on the next tick too.
    expect(s.due(at('2026-06-02T00:15:01+02:00'))).toEqual(['waitlist-snapshot']);
  });

  it('follows Amsterdam time across the change to summer time', () => {
    const s = new NightlySchedule();
    // 29 March 2026: clocks go from 02:00 to 03:00; 00:15 is 23:15 UTC the day before in winter, 22:15 UTC in summer.
    expect(s.latestMoment('waitlist-snapshot', at('2026-03-29T12:00:00+02:00')).toISOString()).toBe('2026-03-28T23:15:00.000Z');
    expect(s.latestMoment('waitlist-snapshot', at('2026-03-30T12:00:00+02:00')).toISOString()).toBe('2026-03-29T22:15:00.000Z');
  });
});
