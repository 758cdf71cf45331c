import type { Clock } from '../../src/shared/clock';

/** A clock the tests set and advance. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(to: Date): void {
    this.current = new Date(to.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Real time shifted to a chosen moment: time flows, so BullMQ's real delays and the clock agree. */
export class OffsetClock implements Clock {
  private offsetMs: number;
  constructor(start: Date) {
    this.offsetMs = start.getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  jump(ms: number): void {
    this.offsetMs += ms;
  }
}
