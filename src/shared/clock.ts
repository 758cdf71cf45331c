/** Everything that reads the time takes a Clock, so tests can drive it (their clocks: test/support/clocks.ts). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
