import type { TestStack } from './test-stack';
import { compactUuid } from '../../workers/job-catalogue';

/** The moment (epoch ms) a deadline's timer is set to in the stack's timer index, or null when it has none. */
export async function timerAt(s: Pick<TestStack, 'redis' | 'timer'>, deadlineId: string): Promise<number | null> {
  if (!s.redis || !s.timer) throw new Error('the timer index needs the BullMQ mode');
  const score = await s.redis.zscore(s.timer.timerKey, compactUuid(deadlineId));
  return score === null ? null : Number(score);
}
