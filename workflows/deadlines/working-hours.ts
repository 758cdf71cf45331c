import { TZDate } from '@date-fns/tz';
import type { AwtCalendar } from '../calendar/awt-calendar';

export interface OfficeHours {
  /** Minutes after local midnight when the working day starts, e.g. 8 * 60. */
  startMinute: number;
  endMinute: number;
}

const MINUTE = 60_000;

/**
 * The moment `minutes` working minutes after `from`: only werkdagen between office hours count (local time, so
 * DST is handled by the calendar). An escalation "after 4 working hours" of a Friday 16:00 breach lands on Monday.
 */
export function addWorkingMinutes(calendar: AwtCalendar, from: Date, minutes: number, hours: OfficeHours): Date {
  let remaining = minutes;
  let day = calendar.localDate(from);
  let cursor = from.getTime();
  for (let guard = 0; guard < 3660; guard++) {
    if (calendar.isWerkdag(day)) {
      // Opening and closing are wall-clock times: a DST switch between midnight and opening must not shift them.
      const open = wallClock(calendar.timeZone, day, hours.startMinute);
      const close = wallClock(calendar.timeZone, day, hours.endMinute);
      const begin = Math.max(cursor, open);
      if (begin < close) {
        const available = (close - begin) / MINUTE;
        if (remaining <= available) return new Date(begin + remaining * MINUTE);
        remaining -= available;
      }
    }
    day = calendar.addWerkdagen(day, 1);
    cursor = calendar.startOfLocalDay(day).getTime();
  }
  throw new RangeError(`cannot add ${minutes} working minutes: no office hours found within ten years`);
}

function wallClock(timeZone: string, localDate: string, minuteOfDay: number): number {
  const [y, m, d] = localDate.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, Math.floor(minuteOfDay / 60), minuteOfDay % 60, 0, 0, timeZone).getTime();
}
