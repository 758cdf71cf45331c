import { validationError } from '../shared/errors';

/** The default of RECEIVED_AT_MAX_AGE_DAYS. */
export const DEFAULT_RECEIVED_AT_MAX_AGE_DAYS = 365;

/**
 * When VT received a melding or advies: given, or now. Not in the future, and not longer ago than the window: a date
 * years back is a typing error, and its terms would have lapsed before it was registered (an alert at once).
 */
export function receivedAtOf(given: string | undefined, now: Date, maxAgeDays: number): Date {
  const receivedAt = given ? new Date(given) : now;
  if (receivedAt.getTime() > now.getTime()) throw validationError([{ field: 'receivedAt', rule: 'must not be in the future' }]);
  if (now.getTime() - receivedAt.getTime() > maxAgeDays * 86_400_000) {
    throw validationError([{ field: 'receivedAt', rule: `must not lie more than ${maxAgeDays} days back (RECEIVED_AT_MAX_AGE_DAYS)` }]);
  }
  return receivedAt;
}
