/**
 * Civil (proleptic Gregorian) dates as integer day numbers, 0 = 1970-01-01.
 *
 * Pure integer arithmetic: no time zones, no Date objects, so local-date stepping in the
 * Awt calendar is exact and cheap. Conversions between instants and local dates live in
 * ./zone.ts.
 */

// Bound once: every global lookup is slow inside vm sandboxes (Jest), and these run per day stepped.
const { floor } = Math;

/** Days since 1970-01-01 of a civil date (no time zone attached). */
export type DayNumber = number;

/** Earliest year the Awt calendar models (see awt-holidays.ts). */
export const MIN_YEAR = 1980;
/** Latest year that still fits the 'YYYY-MM-DD' format. */
export const MAX_YEAR = 9999;

export interface CivilDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

/** Howard Hinnant's days_from_civil. */
export function daysFromCivil(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = floor(y / 400);
  const yoe = y - era * 400;
  const doy = floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Howard Hinnant's civil_from_days. */
export function civilFromDays(dayNumber: DayNumber): CivilDate {
  const z = dayNumber + 719468;
  const era = floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
  const mp = floor((5 * doy + 2) / 153);
  const day = doy - floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO weekday: 1 = Monday .. 7 = Sunday. (1970-01-01 was a Thursday.) */
export function isoWeekday(dayNumber: DayNumber): number {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(dayNumber: DayNumber): boolean {
  return isoWeekday(dayNumber) >= 6;
}

// Number of Monday..Friday days among the first r days of a week that starts on a Thursday.
const WEEKDAYS_IN_PARTIAL_WEEK = [0, 1, 2, 2, 2, 3, 4] as const;

/**
 * Cumulative weekday count: weekdaysBefore(b) - weekdaysBefore(a) is the number of
 * Monday..Friday days d with a <= d < b. Works for negative day numbers too.
 */
export function weekdaysBefore(dayNumber: DayNumber): number {
  const weeks = floor(dayNumber / 7);
  return weeks * 5 + (WEEKDAYS_IN_PARTIAL_WEEK[dayNumber - weeks * 7] ?? 0);
}

export const MIN_DAY: DayNumber = daysFromCivil(MIN_YEAR, 1, 1);
export const MAX_DAY: DayNumber = daysFromCivil(MAX_YEAR, 12, 31);

/** Throws when the day lies outside MIN_YEAR..MAX_YEAR; `what` is only evaluated then. */
export function assertSupportedDay(dayNumber: DayNumber, what: () => string): void {
  if (dayNumber < MIN_DAY || dayNumber > MAX_DAY) {
    throw new RangeError(`${what()} lies outside the years ${MIN_YEAR}-${MAX_YEAR} supported by the Awt calendar`);
  }
}

const LOCAL_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD' (a real calendar date in the supported years), or returns undefined. */
export function tryParseLocalDate(value: unknown): DayNumber | undefined {
  if (typeof value !== 'string') return undefined;
  const match = LOCAL_DATE_RE.exec(value);
  if (!match) return undefined;
  const year = +(match[1] ?? NaN);
  const month = +(match[2] ?? NaN);
  const day = +(match[3] ?? NaN);
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const dayNumber = daysFromCivil(year, month, day);
  const back = civilFromDays(dayNumber);
  // Rejects 2025-02-30 and friends (they would silently roll over into the next month).
  if (back.year !== year || back.month !== month || back.day !== day) return undefined;
  return dayNumber;
}

/** Parses 'YYYY-MM-DD' or throws an Error naming the bad value. */
export function parseLocalDate(value: unknown, what = 'local date'): DayNumber {
  const dayNumber = tryParseLocalDate(value);
  if (dayNumber === undefined) {
    throw new Error(
      `Invalid ${what} ${JSON.stringify(value) ?? String(value)}: expected an existing calendar date 'YYYY-MM-DD' in the years ${MIN_YEAR}-${MAX_YEAR}`,
    );
  }
  return dayNumber;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function formatLocalDate(dayNumber: DayNumber): string {
  const { year, month, day } = civilFromDays(dayNumber);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}
