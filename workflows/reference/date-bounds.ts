import { z } from 'zod';

/**
 * The dates the service works with lie in this range: the Awt calendar starts in 1980 and Veilig Thuis in 2015, so
 * a case date, a report period or an instant before 2000 is a typing error, as is one after 2199. Birth dates are
 * the exception (from 1900, in melding.events.ts).
 */
export const FIRST_DAY = '2000-01-01';
export const LAST_DAY = '2199-12-31';
export const DATE_RANGE_RULE = `must lie between ${FIRST_DAY} and ${LAST_DAY}`;

export const inDateRange = (isoDate: string) => isoDate >= FIRST_DAY && isoDate <= LAST_DAY;

/** A local date (YYYY-MM-DD) within the range. */
export const boundedDateSchema = z.iso.date({ message: 'must be a date in the form YYYY-MM-DD' }).refine(inDateRange, DATE_RANGE_RULE);

/** A month (YYYY-MM) within the range. */
export const boundedMonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM')
  .refine((m) => inDateRange(`${m}-01`), `must lie between ${FIRST_DAY.slice(0, 7)} and ${LAST_DAY.slice(0, 7)}`);

/** An instant with offset within the range (as a UTC date, give or take the offset). */
export const boundedInstantSchema = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset, e.g. 2026-11-20T09:30:00+01:00' })
  // zod runs refinements after a failed format check too: an unparseable value is left to that check's message.
  .refine((v) => {
    const at = new Date(v);
    return Number.isNaN(at.getTime()) || inDateRange(at.toISOString().slice(0, 10));
  }, DATE_RANGE_RULE);
