import type { Database } from '../../db/database';
import type { Clock } from '../shared/clock';
import type { DeadlineTimer } from './deadline-timer';

/**
 * Each deadline has one pending timer, the next moment it must act. Once its warning moment is handled (raised, or
 * skipped because the term had ended), the next moment is the breach: schedule it. Were this lost (a crash between
 * the two), the job's retry or the reconciler's restore brings it back.
 */
export async function scheduleBreachAfterWarning(o: { db: Database; timer: DeadlineTimer; clock: Clock }, deadlineId: string): Promise<void> {
  const d = await o.db.selectFrom('deadlines').select(['id', 'status', 'due_at', 'warn_at', 'warned_at']).where('id', '=', deadlineId).executeTakeFirst();
  if (d?.status === 'open') await o.timer.syncDeadlines([{ ...d, warned_at: d.warned_at ?? o.clock.now() }]);
}
