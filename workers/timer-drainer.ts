import type { DueFiring } from '../src/deadlines/deadline-firing.service';
import type { BullmqTimer } from './bullmq-timer';

/** Due timers taken per poll by default (fireDue fires them in one transaction per level). */
export const TIMER_BATCH = 2_000;

export interface TimerDrainerOptions {
  timer: BullmqTimer;
  /** DeadlineFiring.fireDue: fires what is due of these deadlines, set-based, and says each one's next moment. */
  fireDue: (deadlineIds: string[]) => Promise<DueFiring>;
  now: () => Date;
  /** Pause between polls while nothing is due (or everything due is held elsewhere). */
  pollMs: number;
  /** Members taken per poll. */
  batch: number;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface TimerDrainer {
  /** Resolves once the poll in flight (if any) is done. */
  stop(): Promise<void>;
}

/**
 * Drains the timer index (workers/bullmq-timer.ts): takes the members due now, earliest first, fires them through
 * fireDue, and moves each to its deadline's next moment or removes it, only if its score is unchanged since it was
 * read (an adjustment made meanwhile stays). What fireDue could not lock stays due for the next poll; an error (the
 * database or Redis down) leaves every member in place, so the next poll retries it: no retry options, nothing lost.
 * Several workers may drain at once: locks (skip locked) and the alerts' uniqueness keep each alert single.
 */
export function startTimerDrainer(o: TimerDrainerOptions): TimerDrainer {
  let stopped = false;
  let failing = false;
  // The previous batch's escalation and delivery jobs, still being added while this batch fires (one at most).
  let followUps: Promise<void> = Promise.resolve();
  let wake: (() => void) | undefined;
  const pause = () =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, o.pollMs);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  /** One poll; true when it should be followed at once (a full batch, some of it handled). */
  const poll = async (): Promise<boolean> => {
    const due = await o.timer.dueTimers(o.now(), o.batch);
    if (due.length === 0) return false;
    const result = await o.fireDue(due.map((t) => t.deadlineId));
    await followUps;
    followUps = result.followUps;
    const busy = new Set(result.busy);
    const moves = due.filter((t) => !busy.has(t.deadlineId)).map((timer) => ({ timer, next: result.next.get(timer.deadlineId) ?? null }));
    await o.timer.advanceTimers(moves);
    return due.length === o.batch && moves.length > 0;
  };

  const loop = (async () => {
    while (!stopped) {
      let again = false;
      try {
        again = await poll();
        if (failing) o.log.warn({}, 'timer drainer recovered');
        failing = false;
      } catch (error) {
        // Logged once per outage; the members stay and every poll retries them.
        if (!failing) o.log.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'timer drain failed; retrying every poll');
        failing = true;
      }
      if (!again && !stopped) await pause();
    }
    await followUps;
  })();

  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
