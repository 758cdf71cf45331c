/**
 * Awt werkdagen calendar. Expected values are hard-coded from published tables and hand
 * computation (UTC instants written out literally), never derived from the implementation.
 */
import { createAwtCalendar, type AwtCalendar, type Holiday } from '../../workflows/calendar/awt-calendar';

const cal = createAwtCalendar();
const at = (iso: string): Date => new Date(iso);
const iso = (d: Date): string => d.toISOString();

// Easter Sunday from published tables (not computed).
const EASTER: Record<number, string> = {
  2024: '2024-03-31',
  2025: '2025-04-20',
  2026: '2026-04-05',
  2027: '2027-03-28',
  2028: '2028-04-16',
  2029: '2029-04-01',
  2030: '2030-04-21',
  2031: '2031-04-13',
  2032: '2032-03-28',
  2033: '2033-04-17',
  2034: '2034-04-09',
  2035: '2035-03-25',
};

// The full Awt holiday list per year, written out literally, sorted by date.
const AWT_HOLIDAYS: Record<number, Array<[string, string]>> = {
  2024: [
    ['2024-01-01', 'Nieuwjaarsdag'],
    ['2024-03-29', 'Goede Vrijdag'],
    ['2024-04-01', 'Tweede Paasdag'],
    ['2024-04-27', 'Koningsdag'], // Saturday: stays on the 27th
    ['2024-05-05', 'Bevrijdingsdag'],
    ['2024-05-09', 'Hemelvaartsdag'],
    ['2024-05-20', 'Tweede Pinksterdag'],
    ['2024-12-25', 'Eerste Kerstdag'],
    ['2024-12-26', 'Tweede Kerstdag'],
  ],
  2025: [
    ['2025-01-01', 'Nieuwjaarsdag'],
    ['2025-04-18', 'Goede Vrijdag'],
    ['2025-04-21', 'Tweede Paasdag'],
    ['2025-04-26', 'Koningsdag'], // 27 April 2025 is a Sunday
    ['2025-05-05', 'Bevrijdingsdag'],
    ['2025-05-29', 'Hemelvaartsdag'],
    ['2025-06-09', 'Tweede Pinksterdag'],
    ['2025-12-25', 'Eerste Kerstdag'],
    ['2025-12-26', 'Tweede Kerstdag'],
  ],
  2026: [
    ['2026-01-01', 'Nieuwjaarsdag'],
    ['2026-04-03', 'Goede Vrijdag'],
    ['2026-04-06', 'Tweede Paasdag'],
    ['2026-04-27', 'Koningsdag'],
    ['2026-05-05', 'Bevrijdingsdag'],
    ['2026-05-14', 'Hemelvaartsdag'],
    ['2026-05-25', 'Tweede Pinksterdag'],
    ['2026-12-25', 'Eerste Kerstdag'],
    ['2026-12-26', 'Tweede Kerstdag'],
  ],
  2027: [
    ['2027-01-01', 'Nieuwjaarsdag'],
    ['2027-03-26', 'Goede Vrijdag'],
    ['2027-03-29', 'Tweede Paasdag'],
    ['2027-04-27', 'Koningsdag'],
    ['2027-05-05', 'Bevrijdingsdag'],
    ['2027-05-06', 'Hemelvaartsdag'],
    ['2027-05-17', 'Tweede Pinksterdag'],
    ['2027-12-25', 'Eerste Kerstdag'],
    ['2027-12-26', 'Tweede Kerstdag'],
  ],
  2028: [
    ['2028-01-01', 'Nieuwjaarsdag'],
    ['2028-04-14', 'Goede Vrijdag'],
    ['2028-04-17', 'Tweede Paasdag'],
    ['2028-04-27', 'Koningsdag'],
    ['2028-05-05', 'Bevrijdingsdag'],
    ['2028-05-25', 'Hemelvaartsdag'],
    ['2028-06-05', 'Tweede Pinksterdag'],
    ['2028-12-25', 'Eerste Kerstdag'],
    ['2028-12-26', 'Tweede Kerstdag'],
  ],
  2029: [
    ['2029-01-01', 'Nieuwjaarsdag'],
    ['2029-03-30', 'Goede Vrijdag'],
    ['2029-04-02', 'Tweede Paasdag'],
    ['2029-04-27', 'Koningsdag'],
    ['2029-05-05', 'Bevrijdingsdag'],
    ['2029-05-10', 'Hemelvaartsdag'],
    ['2029-05-21', 'Tweede Pinksterdag'],
    ['2029-12-25', 'Eerste Kerstdag'],
    ['2029-12-26', 'Tweede Kerstdag'],
  ],
  2030: [
    ['2030-01-01', 'Nieuwjaarsdag'],
    ['2030-04-19', 'Goede Vrijdag'],
    ['2030-04-22', 'Tweede Paasdag'],
    ['2030-04-27', 'Koningsdag'], // Saturday: stays on the 27th
    ['2030-05-05', 'Bevrijdingsdag'],
    ['2030-05-30', 'Hemelvaartsdag'],
    ['2030-06-10', 'Tweede Pinksterdag'],
    ['2030-12-25', 'Eerste Kerstdag'],
    ['2030-12-26', 'Tweede Kerstdag'],
  ],
  2031: [
    ['2031-01-01', 'Nieuwjaarsdag'],
    ['2031-04-11', 'Goede Vrijdag'],
    ['2031-04-14', 'Tweede Paasdag'],
    ['2031-04-26', 'Koningsdag'], // 27 April 2031 is a Sunday
    ['2031-05-05', 'Bevrijdingsdag'],
    ['2031-05-22', 'Hemelvaartsdag'],
    ['2031-06-02', 'Tweede Pinksterdag'],
    ['2031-12-25', 'Eerste Kerstdag'],
    ['2031-12-26', 'Tweede Kerstdag'],
  ],
  2032: [
    ['2032-01-01', 'Nieuwjaarsdag'],
    ['2032-03-26', 'Goede Vrijdag'],
    ['2032-03-29', 'Tweede Paasdag'],
    ['2032-04-27', 'Koningsdag'],
    ['2032-05-05', 'Bevrijdingsdag'],
    ['2032-05-06', 'Hemelvaartsdag'],
    ['2032-05-17', 'Tweede Pinksterdag'],
    ['2032-12-25', 'Eerste Kerstdag'],
    ['2032-12-26', 'Tweede Kerstdag'],
  ],
  2033: [
    ['2033-01-01', 'Nieuwjaarsdag'],
    ['2033-04-15', 'Goede Vrijdag'],
    ['2033-04-18', 'Tweede Paasdag'],
    ['2033-04-27', 'Koningsdag'],
    ['2033-05-05', 'Bevrijdingsdag'],
    ['2033-05-26', 'Hemelvaartsdag'],
    ['2033-06-06', 'Tweede Pinksterdag'],
    ['2033-12-25', 'Eerste Kerstdag'],
    ['2033-12-26', 'Tweede Kerstdag'],
  ],
  2034: [
    ['2034-01-01', 'Nieuwjaarsdag'],
    ['2034-04-07', 'Goede Vrijdag'],
    ['2034-04-10', 'Tweede Paasdag'],
    ['2034-04-27', 'Koningsdag'],
    ['2034-05-05', 'Bevrijdingsdag'],
    ['2034-05-18', 'Hemelvaartsdag'],
    ['2034-05-29', 'Tweede Pinksterdag'],
    ['2034-12-25', 'Eerste Kerstdag'],
    ['2034-12-26', 'Tweede Kerstdag'],
  ],
  2035: [
    ['2035-01-01', 'Nieuwjaarsdag'],
    ['2035-03-23', 'Goede Vrijdag'],
    ['2035-03-26', 'Tweede Paasdag'],
    ['2035-04-27', 'Koningsdag'],
    ['2035-05-03', 'Hemelvaartsdag'], // before 5 May this year
    ['2035-05-05', 'Bevrijdingsdag'],
    ['2035-05-14', 'Tweede Pinksterdag'],
    ['2035-12-25', 'Eerste Kerstdag'],
    ['2035-12-26', 'Tweede Kerstdag'],
  ],
};

const YEARS = Object.keys(EASTER).map(Number);

const toHolidays = (rows: Array<[string, string]>): Holiday[] => rows.map(([date, name]) => ({ date, name }));

/** Test-local date helpers on UTC midnights (independent of the implementation). */
const utcDay = (ymd: string): number => Date.parse(`${ymd}T00:00:00Z`) / 86_400_000;
const ymdOf = (dayNumber: number): string => new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
const utcWeekday = (ymd: string): number => new Date(`${ymd}T00:00:00Z`).getUTCDay(); // 0 = Sunday

describe('hard-coded tables are internally consistent (guards the test data itself)', () => {
  test.each(YEARS)('%i: Easter is a Sunday and the moveable feasts sit at fixed offsets', (year) => {
    const easter = EASTER[year]!;
    expect(utcWeekday(easter)).toBe(0);
    const byName = new Map(AWT_HOLIDAYS[year]!.map(([date, name]) => [name, date]));
    expect(utcDay(byName.get('Goede Vrijdag')!) - utcDay(easter)).toBe(-2);
    expect(utcDay(byName.get('Tweede Paasdag')!) - utcDay(easter)).toBe(1);
    expect(utcDay(byName.get('Hemelvaartsdag')!) - utcDay(easter)).toBe(39);
    expect(utcDay(byName.get('Tweede Pinksterdag')!) - utcDay(easter)).toBe(50);
    expect(utcWeekday(byName.get('Hemelvaartsdag')!)).toBe(4);
  });
});

describe('holidays(year)', () => {
  test.each(YEARS)('%i matches the independent table', (year) => {
    expect(cal.holidays(year)).toEqual(toHolidays(AWT_HOLIDAYS[year]!));
  });

  test('the years 2024-2035 with 27 April on a Sunday are exactly 2025 and 2031', () => {
    const sundayYears = YEARS.filter((y) => utcWeekday(`${y}-04-27`) === 0);
    expect(sundayYears).toEqual([2025, 2031]);
    for (const y of sundayYears) {
      const koningsdag = cal.holidays(y).filter((h) => h.name === 'Koningsdag');
      expect(koningsdag).toEqual([{ date: `${y}-04-26`, name: 'Koningsdag' }]);
      expect(cal.isWerkdag(`${y}-04-28`)).toBe(true); // the Monday after is an ordinary werkdag
    }
  });

  test('Koningsdag on a weekday is not a werkdag (2026-04-27 Monday, 2028-04-27 Thursday)', () => {
    expect(cal.isWerkdag('2026-04-27')).toBe(false);
    expect(cal.isWerkdag('2028-04-27')).toBe(false);
    expect(cal.isWerkdag('2026-04-28')).toBe(true);
  });

  test('5 May counts every year, not only lustrum years', () => {
    for (const y of YEARS) {
      expect(cal.holidays(y)).toContainEqual({ date: `${y}-05-05`, name: 'Bevrijdingsdag' });
      expect(cal.isWerkdag(`${y}-05-05`)).toBe(false);
    }
    // Weekday cases where it matters: 2025 Mon, 2026 Tue, 2027 Wed, 2033 Thu, 2034 Fri.
    for (const d of ['2025-05-05', '2026-05-05', '2027-05-05', '2033-05-05', '2034-05-05']) {
      expect(cal.isWerkdag(d)).toBe(false);
    }
    expect(cal.isWerkdag('2026-05-06')).toBe(true);
  });

  test('Goede Vrijdag counts every year', () => {
    for (const y of YEARS) {
      const gv = AWT_HOLIDAYS[y]!.find(([, name]) => name === 'Goede Vrijdag')![0];
      expect(cal.isWerkdag(gv)).toBe(false);
      expect(cal.isWerkdag(ymdOf(utcDay(gv) - 1))).toBe(true); // the Thursday before is a werkdag
    }
  });

  test('every listed holiday is a non-werkdag and each year has exactly nine', () => {
    for (const y of YEARS) {
      const list = cal.holidays(y);
      expect(list).toHaveLength(9);
      for (const h of list) expect(cal.isWerkdag(h.date)).toBe(false);
    }
  });

  test('two holidays on one date are both listed and counted once (2016: Hemelvaartsdag = 5 May)', () => {
    const list = cal.holidays(2016);
    expect(list.filter((h) => h.date === '2016-05-05').map((h) => h.name).sort()).toEqual(['Bevrijdingsdag', 'Hemelvaartsdag']);
    // Wed 4 May -> next werkdag is Fri 6 May 2016.
    expect(cal.addWerkdagen('2016-05-04', 1)).toBe('2016-05-06');
    expect(cal.werkdagenBetween(at('2016-05-03T10:00:00Z'), at('2016-05-06T10:00:00Z'))).toBe(2);
  });

  test('extreme Easter dates from published tables: 2038-04-25 and 2285-03-22', () => {
    expect(cal.holidays(2038)).toContainEqual({ date: '2038-04-26', name: 'Tweede Paasdag' });
    expect(cal.holidays(2038)).toContainEqual({ date: '2038-04-27', name: 'Koningsdag' });
    expect(cal.holidays(2285)).toContainEqual({ date: '2285-03-20', name: 'Goede Vrijdag' });
    expect(cal.holidays(2285)).toContainEqual({ date: '2285-03-23', name: 'Tweede Paasdag' });
  });

  test('before 2014 the royal holiday is Koninginnedag, 30 April (29 April when the 30th is a Sunday)', () => {
    expect(cal.holidays(2013)).toContainEqual({ date: '2013-04-30', name: 'Koninginnedag' });
    expect(cal.holidays(2006)).toContainEqual({ date: '2006-04-29', name: 'Koninginnedag' });
  });

  test('does not include extra closure days and returns fresh copies', () => {
    const c = createAwtCalendar({ extraClosureDays: ['2025-12-24'] });
    expect(c.holidays(2025)).toEqual(toHolidays(AWT_HOLIDAYS[2025]!));
    const list = c.holidays(2025);
    list[0]!.date = '1999-01-01';
    list.pop();
    expect(c.holidays(2025)).toEqual(toHolidays(AWT_HOLIDAYS[2025]!));
  });

  test('rejects unsupported years', () => {
    expect(() => cal.holidays(1979)).toThrow(/1979/);
    expect(() => cal.holidays(2025.5)).toThrow(/2025.5/);
    expect(() => cal.holidays(10000)).toThrow(/10000/);
  });
});

describe('isWerkdag / isWerkdagAt / localDate / day boundaries', () => {
  test('weekdays are werkdagen, weekends are not', () => {
    expect(cal.isWerkdag('2025-06-16')).toBe(true); // Mon
    expect(cal.isWerkdag('2025-06-20')).toBe(true); // Fri
    expect(cal.isWerkdag('2025-06-21')).toBe(false); // Sat
    expect(cal.isWerkdag('2025-06-22')).toBe(false); // Sun
  });

  test('isWerkdagAt uses the Amsterdam day, not the UTC day', () => {
    // 2025-04-17T22:30Z is Goede Vrijdag 00:30 CEST.
    expect(cal.isWerkdagAt(at('2025-04-17T22:30:00Z'))).toBe(false);
    expect(cal.isWerkdagAt(at('2025-04-17T21:59:59.999Z'))).toBe(true);
    // Friday 2025-06-20T22:30Z is Saturday 00:30 CEST.
    expect(cal.isWerkdagAt(at('2025-06-20T22:30:00Z'))).toBe(false);
  });

  test('localDate around midnight and DST switches', () => {
    expect(cal.localDate(at('2024-12-31T23:00:00Z'))).toBe('2025-01-01');
    expect(cal.localDate(at('2024-12-31T22:59:59.999Z'))).toBe('2024-12-31');
    expect(cal.localDate(at('2025-03-30T00:30:00Z'))).toBe('2025-03-30'); // 01:30 CET
    expect(cal.localDate(at('2025-03-30T21:59:59.999Z'))).toBe('2025-03-30'); // 23:59 CEST
    expect(cal.localDate(at('2025-03-30T22:00:00Z'))).toBe('2025-03-31');
    expect(cal.localDate(at('2025-10-25T22:30:00Z'))).toBe('2025-10-26'); // 00:30 CEST
    expect(cal.localDate(at('2025-10-26T22:59:59.999Z'))).toBe('2025-10-26'); // 23:59 CET
    expect(cal.localDate(at('2025-10-26T23:00:00Z'))).toBe('2025-10-27');
  });

  test('endOfLocalDay / startOfLocalDay are DST-safe', () => {
    expect(iso(cal.endOfLocalDay('2025-01-15'))).toBe('2025-01-15T22:59:59.999Z');
    expect(iso(cal.endOfLocalDay('2025-07-15'))).toBe('2025-07-15T21:59:59.999Z');
    expect(iso(cal.startOfLocalDay('2025-03-30'))).toBe('2025-03-29T23:00:00.000Z'); // starts CET
    expect(iso(cal.endOfLocalDay('2025-03-30'))).toBe('2025-03-30T21:59:59.999Z'); // ends CEST (23h day)
    expect(iso(cal.startOfLocalDay('2025-03-31'))).toBe('2025-03-30T22:00:00.000Z');
    expect(iso(cal.startOfLocalDay('2025-10-26'))).toBe('2025-10-25T22:00:00.000Z'); // starts CEST
    expect(iso(cal.endOfLocalDay('2025-10-26'))).toBe('2025-10-26T22:59:59.999Z'); // ends CET (25h day)
    expect(iso(cal.startOfLocalDay('2025-10-27'))).toBe('2025-10-26T23:00:00.000Z');
  });

  test('returned Dates are fresh objects (mutating one does not poison the cache)', () => {
    const a = cal.endOfLocalDay('2025-05-12');
    a.setTime(0);
    expect(iso(cal.endOfLocalDay('2025-05-12'))).toBe('2025-05-12T21:59:59.999Z');
  });

  test('rejects malformed local dates, naming the value', () => {
    expect(() => cal.isWerkdag('2025-02-30')).toThrow(/2025-02-30/);
    expect(() => cal.isWerkdag('2025-6-1')).toThrow(/2025-6-1/);
    expect(() => cal.isWerkdag('2025-06-01T00:00')).toThrow(/2025-06-01T00:00/);
    expect(() => cal.endOfLocalDay('')).toThrow(/local date/);
    expect(() => cal.isWerkdagAt(new Date(Number.NaN))).toThrow(/valid Date/);
  });

  test('honours other time zones', () => {
    const utc = createAwtCalendar({ timeZone: 'UTC' });
    expect(utc.timeZone).toBe('UTC');
    expect(iso(utc.endOfLocalDay('2025-06-20'))).toBe('2025-06-20T23:59:59.999Z');
    expect(utc.localDate(at('2025-06-20T22:30:00Z'))).toBe('2025-06-20');
    expect(cal.timeZone).toBe('Europe/Amsterdam');
  });
});

describe('endOfWerkdagenAfter', () => {
  test('Saturday receipt -> end of the following Friday (days counted Mon..Fri)', () => {
    // Sat 2025-06-14 10:00 CEST.
    expect(iso(cal.endOfWerkdagenAfter(at('2025-06-14T08:00:00Z'), 5))).toBe('2025-06-20T21:59:59.999Z');
    // Sunday receipt behaves the same.
    expect(iso(cal.endOfWerkdagenAfter(at('2025-06-15T08:00:00Z'), 5))).toBe('2025-06-20T21:59:59.999Z');
  });

  test('Monday 10:00 receipt -> end of next Monday (5 werkdagen), the day of receipt does not count', () => {
    expect(iso(cal.endOfWerkdagenAfter(at('2025-06-16T08:00:00Z'), 5))).toBe('2025-06-23T21:59:59.999Z');
    expect(iso(cal.endOfWerkdagenAfter(at('2025-06-16T08:00:00Z'), 1))).toBe('2025-06-17T21:59:59.999Z');
  });

  test('n = 0 is the end of the local day of receipt', () => {
    expect(iso(cal.endOfWerkdagenAfter(at('2025-06-16T08:00:00Z'), 0))).toBe('2025-06-16T21:59:59.999Z');
  });

  test('over Easter 2025 (Goede Vrijdag, Tweede Paasdag) and Koningsdag on Saturday', () => {
    // Thu 2025-04-17 12:00 CEST.
    const receipt = at('2025-04-17T10:00:00Z');
    expect(iso(cal.endOfWerkdagenAfter(receipt, 1))).toBe('2025-04-22T21:59:59.999Z'); // Tue
    expect(iso(cal.endOfWerkdagenAfter(receipt, 5))).toBe('2025-04-28T21:59:59.999Z'); // Mon
  });

  test('over Christmas and New Year (2025 -> 2026, crossing into CET end-of-day)', () => {
    // Wed 2025-12-24 15:00 CET: Thu 25, Fri 26 closed; Mon 29, Tue 30, Wed 31, (Thu 1 Jan closed), Fri 2, Mon 5.
    const receipt = at('2025-12-24T14:00:00Z');
    expect(iso(cal.endOfWerkdagenAfter(receipt, 1))).toBe('2025-12-29T22:59:59.999Z');
    expect(iso(cal.endOfWerkdagenAfter(receipt, 4))).toBe('2026-01-02T22:59:59.999Z');
    expect(iso(cal.endOfWerkdagenAfter(receipt, 5))).toBe('2026-01-05T22:59:59.999Z');
  });

  test('over Koningsdag (Mon 2026-04-27) and 5 May (Tue 2026-05-05)', () => {
    // Fri 2026-04-24 10:00 CEST.
    const receipt = at('2026-04-24T08:00:00Z');
    expect(iso(cal.endOfWerkdagenAfter(receipt, 1))).toBe('2026-04-28T21:59:59.999Z');
    expect(iso(cal.endOfWerkdagenAfter(receipt, 5))).toBe('2026-05-04T21:59:59.999Z');
    expect(iso(cal.endOfWerkdagenAfter(receipt, 6))).toBe('2026-05-06T21:59:59.999Z');
  });

  test('over Hemelvaartsdag (Thu 2026-05-14)', () => {
    expect(iso(cal.endOfWerkdagenAfter(at('2026-05-13T08:00:00Z'), 1))).toBe('2026-05-15T21:59:59.999Z');
  });

  test('over Tweede Pinksterdag (Mon 2026-05-25)', () => {
    expect(iso(cal.endOfWerkdagenAfter(at('2026-05-22T08:00:00Z'), 1))).toBe('2026-05-26T21:59:59.999Z');
  });

  test('receipt at 23:30 local counts from that local day; 00:15 local counts from the next', () => {
    // Tue 2025-06-10 23:30 CEST = 21:30Z.
    expect(iso(cal.endOfWerkdagenAfter(at('2025-06-10T21:30:00Z'), 1))).toBe('2025-06-11T21:59:59.999Z');
    // Wed 2025-06-11 00:15 CEST = Tue 22:15Z.
    expect(iso(cal.endOfWerkdagenAfter(at('2025-06-10T22:15:00Z'), 1))).toBe('2025-06-12T21:59:59.999Z');
    // Winter: Tue 2025-01-14 23:30 CET = 22:30Z; Wed 00:30 CET = Tue 23:30Z.
    expect(iso(cal.endOfWerkdagenAfter(at('2025-01-14T22:30:00Z'), 1))).toBe('2025-01-15T22:59:59.999Z');
    expect(iso(cal.endOfWerkdagenAfter(at('2025-01-14T23:30:00Z'), 1))).toBe('2025-01-16T22:59:59.999Z');
  });

  test('across the spring DST switch (2025-03-30): CET receipt, CEST deadline', () => {
    // Fri 2025-03-28 10:00 CET -> Mon 31 March 23:59:59.999 CEST.
    expect(iso(cal.endOfWerkdagenAfter(at('2025-03-28T09:00:00Z'), 1))).toBe('2025-03-31T21:59:59.999Z');
    // Thu 2025-03-27 -> Fri 28 March, still CET.
    expect(iso(cal.endOfWerkdagenAfter(at('2025-03-27T09:00:00Z'), 1))).toBe('2025-03-28T22:59:59.999Z');
    // Receipt on the switch night itself: Sun 03:30 CEST.
    expect(iso(cal.endOfWerkdagenAfter(at('2025-03-30T01:30:00Z'), 1))).toBe('2025-03-31T21:59:59.999Z');
  });

  test('across the autumn DST switch (2025-10-26): CEST receipt, CET deadline', () => {
    // Fri 2025-10-24 10:00 CEST -> Mon 27 October 23:59:59.999 CET.
    expect(iso(cal.endOfWerkdagenAfter(at('2025-10-24T08:00:00Z'), 1))).toBe('2025-10-27T22:59:59.999Z');
    // Sat 2025-10-25T22:30Z is Sun 00:30 CEST.
    expect(iso(cal.endOfWerkdagenAfter(at('2025-10-25T22:30:00Z'), 1))).toBe('2025-10-27T22:59:59.999Z');
    // Both 02:30s of the repeated hour.
    expect(iso(cal.endOfWerkdagenAfter(at('2025-10-26T00:30:00Z'), 1))).toBe('2025-10-27T22:59:59.999Z');
    expect(iso(cal.endOfWerkdagenAfter(at('2025-10-26T01:30:00Z'), 1))).toBe('2025-10-27T22:59:59.999Z');
    // Fri 2025-10-24 10:00 CEST, 5 werkdagen -> Fri 31 October CET.
    expect(iso(cal.endOfWerkdagenAfter(at('2025-10-24T08:00:00Z'), 5))).toBe('2025-10-31T22:59:59.999Z');
  });

  test('extra closure days are skipped; on weekends or holidays they change nothing', () => {
    const closed = createAwtCalendar({ extraClosureDays: ['2025-06-13', '2025-06-14', '2025-12-26', '2025-12-29'] });
    // Thu 2025-06-12 -> Fri 13 normally; closed -> Mon 16.
    expect(iso(cal.endOfWerkdagenAfter(at('2025-06-12T08:00:00Z'), 1))).toBe('2025-06-13T21:59:59.999Z');
    expect(iso(closed.endOfWerkdagenAfter(at('2025-06-12T08:00:00Z'), 1))).toBe('2025-06-16T21:59:59.999Z');
    expect(closed.isWerkdag('2025-06-13')).toBe(false);
    // Wed 2025-12-24: Mon 29 also closed -> Tue 30, ..., 5th werkdag Tue 6 Jan 2026.
    expect(iso(closed.endOfWerkdagenAfter(at('2025-12-24T14:00:00Z'), 1))).toBe('2025-12-30T22:59:59.999Z');
    expect(iso(closed.endOfWerkdagenAfter(at('2025-12-24T14:00:00Z'), 5))).toBe('2026-01-06T22:59:59.999Z');
    // The base calendar is unaffected.
    expect(cal.isWerkdag('2025-12-29')).toBe(true);
  });

  test('rejects negative, fractional and non-finite n, and invalid instants', () => {
    const receipt = at('2025-06-16T08:00:00Z');
    expect(() => cal.endOfWerkdagenAfter(receipt, -1)).toThrow(/-1/);
    expect(() => cal.endOfWerkdagenAfter(receipt, 1.5)).toThrow(/1\.5/);
    expect(() => cal.endOfWerkdagenAfter(receipt, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => cal.endOfWerkdagenAfter(new Date('garbage'), 1)).toThrow(/valid Date/);
  });

  test('the deadline always ends at 23:59:59.999 Amsterdam time on a werkdag, n werkdagen later', () => {
    // Every 7 hours through 2024-2026, n = 1..10; collect violations, assert once (fast).
    const violations: string[] = [];
    let checked = 0;
    for (let ms = Date.parse('2024-01-01T00:00:00Z'); ms < Date.parse('2027-01-01T00:00:00Z'); ms += 7 * 3_600_000) {
      const receipt = new Date(ms);
      for (let n = 1; n <= 10; n++) {
        const due = cal.endOfWerkdagenAfter(receipt, n);
        const ok =
          cal.isWerkdagAt(due) &&
          cal.localDate(new Date(due.getTime() + 1)) !== cal.localDate(due) && // last ms of the local day
          cal.werkdagenBetween(receipt, due) === n &&
          cal.werkdagenBetween(receipt, new Date(due.getTime() - 86_400_000)) < n; // and not a day later than needed
        checked++;
        if (!ok) violations.push(`${receipt.toISOString()} n=${n} -> ${due.toISOString()}`);
      }
    }
    expect(checked).toBeGreaterThan(30_000);
    expect(violations).toEqual([]);
  });
});

describe('endOfCalendarDaysAwt (10 weeks = 70 days, Awt art. 1 extension)', () => {
  test('landing on a weekday: end of that day', () => {
    // Mon 2025-01-06 10:00 CET + 70 days = Mon 2025-03-17.
    expect(iso(cal.endOfCalendarDaysAwt(at('2025-01-06T09:00:00Z'), 70))).toBe('2025-03-17T22:59:59.999Z');
    // Anchor at 00:30 local on 6 January (UTC still 5 January) gives the same.
    expect(iso(cal.endOfCalendarDaysAwt(at('2025-01-05T23:30:00Z'), 70))).toBe('2025-03-17T22:59:59.999Z');
  });

  test('landing on a Saturday: end of the Monday after', () => {
    // Sat 2025-09-06 + 70 = Sat 2025-11-15 -> Mon 2025-11-17 (CET).
    expect(iso(cal.endOfCalendarDaysAwt(at('2025-09-06T10:00:00Z'), 70))).toBe('2025-11-17T22:59:59.999Z');
  });

  test('landing on Tweede Paasdag: end of the next day (and across DST)', () => {
    // Mon 2026-01-26 (CET) + 70 = Mon 2026-04-06 Tweede Paasdag -> Tue 2026-04-07 (CEST).
    expect(iso(cal.endOfCalendarDaysAwt(at('2026-01-26T09:00:00Z'), 70))).toBe('2026-04-07T21:59:59.999Z');
  });

  test('landing on Christmas: 27 December, or later when that is a weekend', () => {
    // Tue 2029-10-16 + 70 = Tue 2029-12-25 -> Thu 2029-12-27.
    expect(iso(cal.endOfCalendarDaysAwt(at('2029-10-16T09:00:00Z'), 70))).toBe('2029-12-27T22:59:59.999Z');
    // Thu 2025-10-16 + 70 = Thu 2025-12-25 -> (Fri 26 holiday, weekend) Mon 2025-12-29.
    expect(iso(cal.endOfCalendarDaysAwt(at('2025-10-16T09:00:00Z'), 70))).toBe('2025-12-29T22:59:59.999Z');
  });

  test('landing on an extra closure day extends to the next werkdag', () => {
    const closed = createAwtCalendar({ extraClosureDays: ['2025-03-17'] });
    expect(iso(closed.endOfCalendarDaysAwt(at('2025-01-06T09:00:00Z'), 70))).toBe('2025-03-18T22:59:59.999Z');
  });

  test('other day counts and validation', () => {
    // Sat 2025-06-14 + 0 days -> Mon 2025-06-16.
    expect(iso(cal.endOfCalendarDaysAwt(at('2025-06-14T08:00:00Z'), 0))).toBe('2025-06-16T21:59:59.999Z');
    // Mon 2025-06-16 + 14 days = Mon 2025-06-30.
    expect(iso(cal.endOfCalendarDaysAwt(at('2025-06-16T08:00:00Z'), 14))).toBe('2025-06-30T21:59:59.999Z');
    expect(() => cal.endOfCalendarDaysAwt(at('2025-06-16T08:00:00Z'), -1)).toThrow(RangeError);
    expect(() => cal.endOfCalendarDaysAwt(at('2025-06-16T08:00:00Z'), 0.5)).toThrow(RangeError);
  });
});

describe('addWerkdagen', () => {
  test.each([
    ['2025-06-16', 1, '2025-06-17'],
    ['2025-06-20', 1, '2025-06-23'], // Fri -> Mon
    ['2025-06-14', 0, '2025-06-14'], // n = 0 returns the date itself, even on a Saturday
    ['2025-06-14', 1, '2025-06-16'],
    ['2025-06-14', -1, '2025-06-13'],
    ['2025-04-17', 1, '2025-04-22'], // over Easter
    ['2025-04-22', -1, '2025-04-17'],
    ['2025-12-24', 5, '2026-01-05'], // over Christmas and New Year
    ['2026-01-05', -5, '2025-12-24'],
    ['2026-04-24', 6, '2026-05-06'], // over Koningsdag and 5 May
    ['2025-01-02', -1, '2024-12-31'], // back over Nieuwjaarsdag
  ] as const)('addWerkdagen(%s, %i) = %s', (from, n, expected) => {
    expect(cal.addWerkdagen(from, n)).toBe(expected);
  });

  test('round trip over every werkdag 2024-2035 (k = 1, 3, 10)', () => {
    const violations: string[] = [];
    for (let d = utcDay('2024-01-01'); d <= utcDay('2035-12-31'); d++) {
      const date = ymdOf(d);
      if (!cal.isWerkdag(date)) continue;
      for (const k of [1, 3, 10]) {
        const there = cal.addWerkdagen(date, k);
        if (!cal.isWerkdag(there) || cal.addWerkdagen(there, -k) !== date) violations.push(`${date} k=${k} -> ${there}`);
      }
    }
    expect(violations).toEqual([]);
  });

  test('rejects bad input', () => {
    expect(() => cal.addWerkdagen('2025-13-01', 1)).toThrow(/2025-13-01/);
    expect(() => cal.addWerkdagen('2025-06-16', 1.5)).toThrow(/1\.5/);
  });
});

describe('werkdagenBetween', () => {
  test('0 when to <= from or on the same local day', () => {
    expect(cal.werkdagenBetween(at('2025-06-16T08:00:00Z'), at('2025-06-16T08:00:00Z'))).toBe(0);
    expect(cal.werkdagenBetween(at('2025-06-20T08:00:00Z'), at('2025-06-16T08:00:00Z'))).toBe(0);
    expect(cal.werkdagenBetween(at('2025-06-16T05:00:00Z'), at('2025-06-16T21:59:59.999Z'))).toBe(0);
  });

  test('counts werkdagen strictly after from and on or before to (local days)', () => {
    // Mon 10:00 -> next Mon 09:00: Tue..Fri + Mon = 5.
    expect(cal.werkdagenBetween(at('2025-06-16T08:00:00Z'), at('2025-06-23T07:00:00Z'))).toBe(5);
    // Tue 23:30 CEST -> Wed 00:15 CEST: one werkdag (Wednesday), 45 minutes apart.
    expect(cal.werkdagenBetween(at('2025-06-10T21:30:00Z'), at('2025-06-10T22:15:00Z'))).toBe(1);
    // Sat -> Sun: 0.
    expect(cal.werkdagenBetween(at('2025-06-14T08:00:00Z'), at('2025-06-15T08:00:00Z'))).toBe(0);
    // Over Easter: Thu 17 April -> Tue 22 April 2025 = 1.
    expect(cal.werkdagenBetween(at('2025-04-17T10:00:00Z'), at('2025-04-22T10:00:00Z'))).toBe(1);
    // Over Christmas/New Year.
    expect(cal.werkdagenBetween(at('2025-12-24T14:00:00Z'), at('2026-01-05T10:00:00Z'))).toBe(5);
  });

  test('whole years: 253 werkdagen in 2025 and in 2026 (261 weekdays minus 8 weekday holidays)', () => {
    expect(cal.werkdagenBetween(at('2024-12-31T12:00:00Z'), at('2025-12-31T12:00:00Z'))).toBe(253);
    expect(cal.werkdagenBetween(at('2025-12-31T12:00:00Z'), at('2026-12-31T12:00:00Z'))).toBe(253);
  });

  test('extra closure days reduce the count only when they remove a werkdag', () => {
    const closed = createAwtCalendar({
      extraClosureDays: ['2025-06-18', '2025-06-21', '2025-06-09', '2025-06-18'], // Wed, Sat, Tweede Pinksterdag, duplicate
    });
    expect(cal.werkdagenBetween(at('2025-06-06T08:00:00Z'), at('2025-06-23T08:00:00Z'))).toBe(10);
    expect(closed.werkdagenBetween(at('2025-06-06T08:00:00Z'), at('2025-06-23T08:00:00Z'))).toBe(9);
  });

  test('agrees with a day-by-day count over long ranges', () => {
    const closed = createAwtCalendar({ extraClosureDays: ['2027-07-07', '2030-01-02', '2031-12-31'] });
    const start = at('2024-03-15T11:00:00Z');
    let expected = 0;
    for (let d = utcDay('2024-03-16'); d <= utcDay('2035-12-31'); d++) {
      const date = ymdOf(d);
      if (closed.isWerkdag(date)) expected++;
      if (d % 97 === 0 || date === '2035-12-31') {
        expect(closed.werkdagenBetween(start, closed.endOfLocalDay(date))).toBe(expected);
        expect(closed.werkdagenBetween(start, closed.startOfLocalDay(date))).toBe(expected);
      }
    }
  });

  test('rejects invalid instants', () => {
    expect(() => cal.werkdagenBetween(new Date(Number.NaN), at('2025-06-16T08:00:00Z'))).toThrow(/valid Date/);
  });
});

describe('warningMoment', () => {
  test('werkdagenBefore = 1 is the start of the last werkdag', () => {
    // Due Fri 2025-06-20 23:59:59.999 CEST -> Fri 00:00 CEST.
    expect(iso(cal.warningMoment(at('2025-06-20T21:59:59.999Z'), 1))).toBe('2025-06-19T22:00:00.000Z');
    // Due on a Saturday -> start of the Friday before.
    expect(iso(cal.warningMoment(at('2025-06-21T10:00:00Z'), 1))).toBe('2025-06-19T22:00:00.000Z');
  });

  test('werkdagenBefore = 2, 3 step back over holidays', () => {
    expect(iso(cal.warningMoment(at('2025-06-20T21:59:59.999Z'), 2))).toBe('2025-06-18T22:00:00.000Z'); // Thu
    // Due Tue 2025-04-22 -> 2: Thu 17 April, 3: Wed 16 April.
    expect(iso(cal.warningMoment(at('2025-04-22T21:59:59.999Z'), 2))).toBe('2025-04-16T22:00:00.000Z');
    expect(iso(cal.warningMoment(at('2025-04-22T21:59:59.999Z'), 3))).toBe('2025-04-15T22:00:00.000Z');
  });

  test('across DST: due Mon 2025-03-31 (CEST), 2 werkdagen before -> Fri 28 March 00:00 CET', () => {
    expect(iso(cal.warningMoment(at('2025-03-31T21:59:59.999Z'), 2))).toBe('2025-03-27T23:00:00.000Z');
  });

  test('never later than dueAt, including a due moment at local midnight', () => {
    const due = at('2025-06-19T22:00:00Z'); // Fri 00:00 CEST
    expect(iso(cal.warningMoment(due, 1))).toBe('2025-06-19T22:00:00.000Z');
    const violations: string[] = [];
    for (let ms = Date.parse('2025-01-01T00:00:00Z'); ms < Date.parse('2026-01-01T00:00:00Z'); ms += 5 * 3_600_000) {
      for (const k of [1, 2, 3]) {
        const w = cal.warningMoment(new Date(ms), k);
        const ok =
          w.getTime() <= ms &&
          cal.isWerkdagAt(w) &&
          iso(cal.startOfLocalDay(cal.localDate(w))) === iso(w) &&
          // exactly k werkdagen from the warning day through the due day (inclusive)
          cal.werkdagenBetween(new Date(w.getTime() - 1), new Date(ms)) === k;
        if (!ok) violations.push(`${new Date(ms).toISOString()} k=${k} -> ${w.toISOString()}`);
      }
    }
    expect(violations).toEqual([]);
  });

  test('rejects werkdagenBefore < 1', () => {
    expect(() => cal.warningMoment(at('2025-06-20T21:59:59.999Z'), 0)).toThrow(/werkdagenBefore/);
  });
});

describe('options validation', () => {
  test.each([['2025-13-01'], ['2025-02-29'], ['20250101'], ['2025-1-01'], [' 2025-01-02'], ['2025-01-02 ']])(
    'extraClosureDays %j throws, naming the value',
    (bad) => {
      expect(() => createAwtCalendar({ extraClosureDays: ['2025-06-13', bad] })).toThrow(bad.trim());
      expect(() => createAwtCalendar({ extraClosureDays: ['2025-06-13', bad] })).toThrow(/extraClosureDays/);
    },
  );

  test('non-string extraClosureDays entries and non-arrays throw', () => {
    expect(() => createAwtCalendar({ extraClosureDays: [42 as unknown as string] })).toThrow(/42/);
    expect(() => createAwtCalendar({ extraClosureDays: '2025-06-13' as unknown as string[] })).toThrow(/extraClosureDays/);
  });

  test('a leap day is accepted in a leap year', () => {
    expect(createAwtCalendar({ extraClosureDays: ['2028-02-29'] }).isWerkdag('2028-02-29')).toBe(false);
  });

  test('an unknown time zone throws', () => {
    expect(() => createAwtCalendar({ timeZone: 'Mars/Olympus_Mons' })).toThrow(/Mars\/Olympus_Mons/);
  });
});

describe('independent of the host time zone', () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  test.each(['UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Kiritimati'])(
    'with TZ=%s the Amsterdam results are unchanged',
    (hostZone) => {
      process.env.TZ = hostZone;
      const c: AwtCalendar = createAwtCalendar();
      expect(iso(c.endOfWerkdagenAfter(at('2025-03-28T09:00:00Z'), 1))).toBe('2025-03-31T21:59:59.999Z');
      expect(iso(c.endOfWerkdagenAfter(at('2025-10-24T08:00:00Z'), 1))).toBe('2025-10-27T22:59:59.999Z');
      expect(iso(c.startOfLocalDay('2025-03-30'))).toBe('2025-03-29T23:00:00.000Z');
      expect(iso(c.endOfLocalDay('2025-10-26'))).toBe('2025-10-26T22:59:59.999Z');
      expect(c.localDate(at('2025-10-25T22:30:00Z'))).toBe('2025-10-26');
      expect(iso(c.endOfCalendarDaysAwt(at('2026-01-26T09:00:00Z'), 70))).toBe('2026-04-07T21:59:59.999Z');
    },
  );
});
