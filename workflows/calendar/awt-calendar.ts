/**
 * Werkdagen calendar of the Algemene termijnenwet (Awt).
 *
 * A werkdag is Monday..Friday except the Awt art. 3 holidays (Nieuwjaarsdag, Goede Vrijdag,
 * Tweede Paasdag, Koningsdag, 5 May every year, Hemelvaartsdag, Tweede Pinksterdag, both
 * Kerstdagen) and the configured extra closure days. All local days are in the calendar's
 * zone (default Europe/Amsterdam); inputs and outputs are Date instants.
 *
 * Pure: no clock, no I/O. Local-date stepping is integer arithmetic on day numbers
 * (./local-date.ts); instant <-> local day goes through @date-fns/tz (./zone.ts).
 * The methods do not use `this`, so they may be destructured.
 */
import { awtHolidayDays, type HolidayDay } from './awt-holidays';
import {
  assertSupportedDay,
  civilFromDays,
  daysFromCivil,
  formatLocalDate,
  isWeekend,
  parseLocalDate,
  tryParseLocalDate,
  weekdaysBefore,
  type DayNumber,
} from './local-date';
import { assertTimeZone, instantMs, zoneDays } from './zone';

export interface AwtCalendarOptions {
  /** Extra days the organisation is closed, as local dates 'YYYY-MM-DD'. */
  extraClosureDays?: readonly string[];
  /** IANA zone of the local days; default 'Europe/Amsterdam'. */
  timeZone?: string;
}

export interface Holiday {
  /** Local date 'YYYY-MM-DD'. */
  date: string;
  /** Dutch name, e.g. 'Goede Vrijdag'. */
  name: string;
}

export interface AwtCalendar {
  readonly timeZone: string;
  /** The Awt holidays of that year, sorted by date, without extra closure days. */
  holidays(year: number): Holiday[];
  /** Whether the local date 'YYYY-MM-DD' is a werkdag. */
  isWerkdag(localDate: string): boolean;
  /** Whether the local day of that instant is a werkdag. */
  isWerkdagAt(instant: Date): boolean;
  /** 'YYYY-MM-DD' of the instant in the calendar's zone. */
  localDate(instant: Date): string;
  /** 23:59:59.999 local on that day, as an instant. */
  endOfLocalDay(localDate: string): Date;
  /** 00:00 local on that day, as an instant. */
  startOfLocalDay(localDate: string): Date;
  /**
   * "Within n werkdagen after receipt": the day of receipt does not count; the end of the
   * n-th werkdag after the local day of receipt. n = 0 gives the end of the receipt day itself.
   */
  endOfWerkdagenAfter(instant: Date, n: number): Date;
  /**
   * "Within `days` calendar days" (10 weeks = 70): the end of the local day `days` days after
   * the anchor's local day, extended to the end of the next werkdag if that day is not one (Awt art. 1).
   */
  endOfCalendarDaysAwt(instant: Date, days: number): Date;
  /** Steps n werkdagen (n may be negative) over non-werkdagen; n = 0 returns the date itself. */
  addWerkdagen(localDate: string, n: number): string;
  /** Werkdagen with local day strictly after from's local day and on or before to's; 0 if to <= from. */
  werkdagenBetween(from: Date, to: Date): number;
  /**
   * Start (00:00 local) of the werkdag that lies werkdagenBefore - 1 werkdagen before the last
   * werkdag on or before dueAt's local day. Never later than dueAt. werkdagenBefore >= 1.
   */
  warningMoment(dueAt: Date, werkdagenBefore: number): Date;
}

const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';
// Bound once: global lookups are slow inside vm sandboxes (Jest); these sit on hot paths.
const { isSafeInteger } = Number;
const { abs } = Math;

interface YearInfo {
  readonly holidays: readonly HolidayDay[];
  readonly holidaySet: ReadonlySet<DayNumber>;
  /** Distinct holiday days that fall on Monday..Friday, ascending. */
  readonly weekdayHolidays: readonly DayNumber[];
}

function assertInteger(value: number, what: string, min: number): void {
  if (!isSafeInteger(value) || value < min) {
    throw new RangeError(`${what} must be an integer >= ${min}, got ${String(value)}`);
  }
}

/** Number of elements <= value in an ascending array. */
function countAtMost(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? Infinity) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createAwtCalendar(options: AwtCalendarOptions = {}): AwtCalendar {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  assertTimeZone(timeZone);
  const zone = zoneDays(timeZone);

  // Awt holidays per year, computed on first use.
  const years = new Map<number, YearInfo>();
  function yearInfo(year: number): YearInfo {
    let info = years.get(year);
    if (info === undefined) {
      const holidays = awtHolidayDays(year);
      const holidaySet = new Set(holidays.map((h) => h.day));
      const weekdayHolidays = [...holidaySet].filter((d) => !isWeekend(d)).sort((a, b) => a - b);
      info = { holidays, holidaySet, weekdayHolidays };
      years.set(year, info);
    }
    return info;
  }

  const extraClosureDays = options.extraClosureDays ?? [];
  if (!Array.isArray(extraClosureDays)) {
    throw new Error(`Invalid extraClosureDays: expected an array of 'YYYY-MM-DD' strings, got ${String(extraClosureDays)}`);
  }
  const closures = new Set<DayNumber>();
  for (const value of extraClosureDays as readonly unknown[]) {
    const day = tryParseLocalDate(value);
    if (day === undefined) {
      throw new Error(
        `Invalid extraClosureDays entry ${JSON.stringify(value) ?? String(value)}: expected an existing calendar date 'YYYY-MM-DD'`,
      );
    }
    closures.add(day);
  }

  // Hot path: every Awt holiday of a contiguous range of loaded years plus all closure days in
  // one Set, so a werkdag test is a weekday check, a range check and one Set lookup.
  const closedDays = new Set<DayNumber>(closures);
  let loadedFirstYear = 0;
  let loadedLastYear = -1;
  let loadedFrom: DayNumber = 0; // first day of loadedFirstYear
  let loadedTo: DayNumber = -1; // last day of loadedLastYear
  function loadYear(year: number): void {
    for (const h of yearInfo(year).holidays) closedDays.add(h.day);
  }
  function ensureLoaded(day: DayNumber): void {
    const year = civilFromDays(day).year;
    if (loadedLastYear < loadedFirstYear) {
      loadYear(year);
      loadedFirstYear = loadedLastYear = year;
    } else {
      // Advance the bounds only after a year loaded (an unsupported year throws).
      for (; year < loadedFirstYear; loadedFirstYear--) loadYear(loadedFirstYear - 1);
      for (; year > loadedLastYear; loadedLastYear++) loadYear(loadedLastYear + 1);
    }
    loadedFrom = daysFromCivil(loadedFirstYear, 1, 1);
    loadedTo = daysFromCivil(loadedLastYear, 12, 31);
  }

  function isWerkdagDay(day: DayNumber): boolean {
    if (isWeekend(day)) return false;
    if (day < loadedFrom || day > loadedTo) ensureLoaded(day);
    return !closedDays.has(day);
  }

  // Closure days that actually remove a werkdag (not a weekend, not already an Awt holiday).
  const effectiveClosures = [...closures]
    .filter((d) => !isWeekend(d) && !yearInfo(civilFromDays(d).year).holidaySet.has(d))
    .sort((a, b) => a - b);

  function stepWerkdagen(day: DayNumber, n: number): DayNumber {
    const step = n < 0 ? -1 : 1;
    let d = day;
    for (let remaining = abs(n); remaining > 0; ) {
      d += step;
      if (isWerkdagDay(d)) remaining--;
    }
    assertSupportedDay(d, () => `Result ${formatLocalDate(d)}`);
    return d;
  }

  function localDay(instant: Date, what: string): DayNumber {
    const day = zone.localDayOf(instantMs(instant, what));
    assertSupportedDay(day, () => `${what} ${instant.toISOString()}`);
    return day;
  }

  const endOfDay = (day: DayNumber): Date => new Date(zone.endOfDayMs(day));
  const startOfDay = (day: DayNumber): Date => new Date(zone.startOfDayMs(day));

  const calendar: AwtCalendar = {
    timeZone,

    holidays(year) {
      return yearInfo(year).holidays.map((h) => ({ date: formatLocalDate(h.day), name: h.name }));
    },

    isWerkdag(localDate) {
      return isWerkdagDay(parseLocalDate(localDate));
    },

    isWerkdagAt(instant) {
      return isWerkdagDay(localDay(instant, 'isWerkdagAt: instant'));
    },

    localDate(instant) {
      return formatLocalDate(localDay(instant, 'localDate: instant'));
    },

    endOfLocalDay(localDate) {
      return endOfDay(parseLocalDate(localDate));
    },

    startOfLocalDay(localDate) {
      return startOfDay(parseLocalDate(localDate));
    },

    endOfWerkdagenAfter(instant, n) {
      assertInteger(n, 'endOfWerkdagenAfter: n', 0);
      return endOfDay(stepWerkdagen(localDay(instant, 'endOfWerkdagenAfter: instant'), n));
    },

    endOfCalendarDaysAwt(instant, days) {
      assertInteger(days, 'endOfCalendarDaysAwt: days', 0);
      let day = localDay(instant, 'endOfCalendarDaysAwt: instant') + days;
      assertSupportedDay(day, () => `endOfCalendarDaysAwt: result ${formatLocalDate(day)}`);
      while (!isWerkdagDay(day)) day++;
      return endOfDay(day);
    },

    addWerkdagen(localDate, n) {
      if (!isSafeInteger(n)) throw new RangeError(`addWerkdagen: n must be an integer, got ${String(n)}`);
      return formatLocalDate(stepWerkdagen(parseLocalDate(localDate), n));
    },

    werkdagenBetween(from, to) {
      if (instantMs(to, 'werkdagenBetween: to') <= instantMs(from, 'werkdagenBetween: from')) return 0;
      const first = localDay(from, 'werkdagenBetween: from') + 1; // inclusive
      const last = localDay(to, 'werkdagenBetween: to'); // inclusive
      if (last < first) return 0;
      let count = weekdaysBefore(last + 1) - weekdaysBefore(first);
      const lastYear = civilFromDays(last).year;
      for (let year = civilFromDays(first).year; year <= lastYear; year++) {
        for (const h of yearInfo(year).weekdayHolidays) {
          if (h >= first && h <= last) count--;
        }
      }
      count -= countAtMost(effectiveClosures, last) - countAtMost(effectiveClosures, first - 1);
      return count;
    },

    warningMoment(dueAt, werkdagenBefore) {
      assertInteger(werkdagenBefore, 'warningMoment: werkdagenBefore', 1);
      let day = localDay(dueAt, 'warningMoment: dueAt');
      while (!isWerkdagDay(day)) day--;
      return startOfDay(stepWerkdagen(day, -(werkdagenBefore - 1)));
    },
  };
  return Object.freeze(calendar);
}
