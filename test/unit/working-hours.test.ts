/**
 * addWorkingMinutes: escalation times count only office hours (08:00-17:00 local) on Awt werkdagen. Expected
 * instants are worked out by hand and written as literal UTC, never derived from the implementation.
 */
import { createAwtCalendar } from '../../workflows/calendar/awt-calendar';
import { addWorkingMinutes, type OfficeHours } from '../../workflows/deadlines/working-hours';

const cal = createAwtCalendar();
const OFFICE: OfficeHours = { startMinute: 8 * 60, endMinute: 17 * 60 };
const add = (from: string, minutes: number, hours: OfficeHours = OFFICE, calendar = cal) =>
  addWorkingMinutes(calendar, new Date(from), minutes, hours).toISOString();

describe('addWorkingMinutes (office hours 08:00-17:00 on Awt werkdagen, Europe/Amsterdam)', () => {
  describe('within one werkdag', () => {
    it('Tuesday 10:00 + 90 min is Tuesday 11:30', () => {
      expect(add('2026-11-24T10:00:00+01:00', 90)).toBe('2026-11-24T10:30:00.000Z');
    });

    it('keeps fractions of a minute (0.03 min = 1.8 s, as the tests use)', () => {
      expect(add('2026-11-24T10:00:00+01:00', 0.03)).toBe('2026-11-24T09:00:01.800Z');
    });

    it('a start before office hours counts from 08:00', () => {
      expect(add('2026-11-24T06:15:00+01:00', 30)).toBe('2026-11-24T07:30:00.000Z');
    });

    it('four working hours from 08:00 is 12:00 the same day', () => {
      expect(add('2026-11-24T08:00:00+01:00', 240)).toBe('2026-11-24T11:00:00.000Z');
    });
  });

  describe('across the end of the day', () => {
    it('Tuesday 16:30 + 60 min is Wednesday 08:30', () => {
      expect(add('2026-11-24T16:30:00+01:00', 60)).toBe('2026-11-25T07:30:00.000Z');
    });

    it('a start after office hours counts from the next morning', () => {
      expect(add('2026-11-24T19:45:00+01:00', 45)).toBe('2026-11-25T07:45:00.000Z');
    });

    it('Thursday 09:00 + 27 working hours spans three nights and a weekend: Tuesday 09:00', () => {
      // Thu 8 h (09-17), Fri 9 h, Mon 9 h = 26 h; the 27th hour is Tue 08:00-09:00. Also crosses the spring DST switch.
      expect(add('2026-03-26T09:00:00+01:00', 27 * 60)).toBe('2026-03-31T07:00:00.000Z');
    });

    it('other office hours (09:00-17:30): Friday 17:00 + 60 min is Monday 09:30', () => {
      expect(add('2026-11-20T17:00:00+01:00', 60, { startMinute: 9 * 60, endMinute: 17 * 60 + 30 })).toBe('2026-11-23T08:30:00.000Z');
    });
  });

  describe('over weekends', () => {
    it('Friday 16:00 + 4 h is Monday 11:00 (one hour on Friday, three on Monday)', () => {
      expect(add('2026-11-20T16:00:00+01:00', 240)).toBe('2026-11-23T10:00:00.000Z');
    });

    it('Friday 17:00 (closing time) + 1 min is Monday 08:01', () => {
      expect(add('2026-11-20T17:00:00+01:00', 1)).toBe('2026-11-23T07:01:00.000Z');
    });

    it('a breach on Saturday escalates after 4 working hours on Monday 12:00', () => {
      expect(add('2026-11-21T11:00:00+01:00', 240)).toBe('2026-11-23T11:00:00.000Z');
    });

    it('a breach on Sunday night also lands on Monday 12:00', () => {
      expect(add('2026-11-22T23:30:00+01:00', 240)).toBe('2026-11-23T11:00:00.000Z');
    });
  });

  describe('over Awt holidays and closure days', () => {
    it('Tweede Kerstdag (Monday 26 Dec 2022) does not count: Friday 16:00 + 4 h is Tuesday 27 Dec 11:00', () => {
      expect(add('2022-12-23T16:00:00+01:00', 240)).toBe('2022-12-27T10:00:00.000Z');
    });

    it('both Kerstdagen on weekdays (Wed/Thu 2024): Tuesday 24 Dec 16:00 + 4 h is Friday 27 Dec 11:00', () => {
      expect(add('2024-12-24T16:00:00+01:00', 240)).toBe('2024-12-27T10:00:00.000Z');
    });

    it('a breach on Eerste Kerstdag 2024 counts from Friday 27 Dec 08:00', () => {
      expect(add('2024-12-25T10:00:00+01:00', 60)).toBe('2024-12-27T08:00:00.000Z');
    });

    it('Koningsdag (Monday 27 Apr 2026): Friday 24 Apr 16:00 + 4 h is Tuesday 28 Apr 11:00 (CEST)', () => {
      expect(add('2026-04-24T16:00:00+02:00', 240)).toBe('2026-04-28T09:00:00.000Z');
    });

    it('an extra closure day of the organisation does not count', () => {
      const closed = createAwtCalendar({ extraClosureDays: ['2026-11-25'] });
      expect(add('2026-11-24T16:30:00+01:00', 60, OFFICE, closed)).toBe('2026-11-26T07:30:00.000Z');
    });
  });

  describe('across DST switches (office hours are local time)', () => {
    it('spring forward (Sun 29 Mar 2026): Friday 16:00 CET + 4 h is Monday 11:00 CEST = 09:00Z', () => {
      expect(add('2026-03-27T16:00:00+01:00', 240)).toBe('2026-03-30T09:00:00.000Z');
    });

    it('fall back (Sun 25 Oct 2026): Friday 16:00 CEST + 4 h is Monday 11:00 CET = 10:00Z', () => {
      expect(add('2026-10-23T16:00:00+02:00', 240)).toBe('2026-10-26T10:00:00.000Z');
    });

    it('a breach on the 23-hour day itself lands on Monday 12:00 CEST', () => {
      expect(add('2026-03-29T12:00:00+02:00', 240)).toBe('2026-03-30T10:00:00.000Z');
    });

    it('a breach in the repeated hour of the 25-hour day lands on Monday 12:00 CET', () => {
      // 00:30Z is 02:30 CEST, the first of the two 02:30s that night.
      expect(add('2026-10-25T00:30:00Z', 240)).toBe('2026-10-26T11:00:00.000Z');
    });

    it('the working day after a switch is nine real hours long: Friday 08:00 + 18 h is Monday 17:00 CEST', () => {
      expect(add('2026-03-27T08:00:00+01:00', 18 * 60)).toBe('2026-03-30T15:00:00.000Z');
    });
  });
});

describe('addWorkingMinutes in a zone whose DST switch skips midnight on a werkdag', () => {
  it('office hours stay wall-clock 08:00 on that day (Africa/Cairo, Friday 24 Apr 2026: 00:00 EET -> 01:00 EEST)', () => {
    // Thursday 23 Apr 20:00Z = 22:00 EET is after hours; Friday's midnight is skipped, it opens at 08:00 EEST = 05:00Z,
    // so 60 working minutes end at 09:00 EEST = 06:00Z.
    const cairo = createAwtCalendar({ timeZone: 'Africa/Cairo' });
    expect(add('2026-04-23T20:00:00Z', 60, OFFICE, cairo)).toBe('2026-04-24T06:00:00.000Z');
  });
});
