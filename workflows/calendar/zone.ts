/**
 * Instants <-> local days in an IANA time zone. @date-fns/tz (TZDate) finds where each local
 * day starts; those boundaries are cached, so after warm-up a conversion is a few Map lookups
 * instead of an Intl call.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { civilFromDays, type DayNumber } from './local-date';

const MS_PER_DAY = 86_400_000;
// Bound once: global lookups are slow inside vm sandboxes (Jest); these sit on hot paths.
const { floor } = Math;
const { isNaN: isNotANumber } = Number;
const DateClass = Date;
/** Drop the boundary cache when it grows past this many days (~270 years). */
const MAX_CACHED_DAYS = 100_000;

export function assertTimeZone(timeZone: unknown): asserts timeZone is string {
  if (typeof timeZone !== 'string' || timeZone === '' || Number.isNaN(tzOffset(timeZone, new Date(0)))) {
    throw new Error(`Invalid timeZone ${JSON.stringify(timeZone) ?? String(timeZone)}: expected an IANA time zone such as 'Europe/Amsterdam'`);
  }
}

/** Epoch milliseconds of a valid Date, or throws. */
export function instantMs(instant: unknown, what: string): number {
  const ms = instant instanceof DateClass ? instant.getTime() : Number.NaN;
  if (isNotANumber(ms)) throw new TypeError(`${what} must be a valid Date, got ${String(instant)}`);
  return ms;
}

export interface ZoneDays {
  /** Epoch ms of 00:00 local on that day (DST-aware). */
  startOfDayMs(day: DayNumber): number;
  /** Epoch ms of the last millisecond of that local day (23:59:59.999 local). */
  endOfDayMs(day: DayNumber): number;
  /** The local day the instant falls on. */
  localDayOf(ms: number): DayNumber;
}

export function zoneDays(timeZone: string): ZoneDays {
  const starts = new Map<DayNumber, number>();

  function startOfDayMs(day: DayNumber): number {
    let ms = starts.get(day);
    if (ms === undefined) {
      const { year, month, day: dom } = civilFromDays(day);
      ms = new TZDate(year, month - 1, dom, 0, 0, 0, 0, timeZone).getTime();
      if (starts.size >= MAX_CACHED_DAYS) starts.clear();
      starts.set(day, ms);
    }
    return ms;
  }

  return {
    startOfDayMs,
    endOfDayMs: (day) => startOfDayMs(day + 1) - 1,
    localDayOf(ms) {
      // The UTC day is within one day of the local day (offsets are under 24 h); the local day
      // is the d with start(d) <= ms < start(d + 1).
      let day = floor(ms / MS_PER_DAY);
      while (ms < startOfDayMs(day)) day--;
      while (ms >= startOfDayMs(day + 1)) day++;
      return day;
    },
  };
}
