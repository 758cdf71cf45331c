/**
 * The "algemeen erkende feestdagen" of the Algemene termijnenwet (Awt) art. 3, as day numbers.
 *
 * Deliberately not date-holidays: for the Awt, Goede Vrijdag and 5 May count EVERY year.
 */
import { daysFromCivil, isoWeekday, MAX_YEAR, MIN_YEAR, type DayNumber } from './local-date';

export interface HolidayDay {
  day: DayNumber;
  name: string;
}

/** Easter Sunday, anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): DayNumber {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return daysFromCivil(year, month, day);
}

/**
 * The day the King's (Queen's) birthday is celebrated.
 * From 2014: Koningsdag 27 April, or 26 April when the 27th is a Sunday.
 * 1980-2013: Koninginnedag 30 April, or 29 April when the 30th is a Sunday.
 */
function royalBirthday(year: number): HolidayDay {
  if (year >= 2014) {
    const day = daysFromCivil(year, 4, 27);
    return { day: isoWeekday(day) === 7 ? day - 1 : day, name: 'Koningsdag' };
  }
  const day = daysFromCivil(year, 4, 30);
  return { day: isoWeekday(day) === 7 ? day - 1 : day, name: 'Koninginnedag' };
}

/**
 * All Awt holidays of a year, sorted by date. Two holidays can share a date (Hemelvaartsdag
 * fell on 5 May in 2016); both are listed then.
 */
export function awtHolidayDays(year: number): HolidayDay[] {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`Awt holidays: year ${String(year)} is outside the supported years ${MIN_YEAR}-${MAX_YEAR}`);
  }
  const easter = easterSunday(year);
  const list: HolidayDay[] = [
    { day: daysFromCivil(year, 1, 1), name: 'Nieuwjaarsdag' },
    { day: easter - 2, name: 'Goede Vrijdag' },
    { day: easter + 1, name: 'Tweede Paasdag' },
    royalBirthday(year),
    { day: daysFromCivil(year, 5, 5), name: 'Bevrijdingsdag' },
    { day: easter + 39, name: 'Hemelvaartsdag' },
    { day: easter + 50, name: 'Tweede Pinksterdag' },
    { day: daysFromCivil(year, 12, 25), name: 'Eerste Kerstdag' },
    { day: daysFromCivil(year, 12, 26), name: 'Tweede Kerstdag' },
  ];
  // Array.prototype.sort is stable: same-date holidays keep the order above.
  return list.sort((x, y) => x.day - y.day);
}
