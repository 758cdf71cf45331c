/**
 * Burgerservicenummer (BSN) validation: the "11-proef".
 *
 * A BSN has exactly nine digits d1..d9. It is valid when
 *   9*d1 + 8*d2 + 7*d3 + 6*d4 + 5*d5 + 4*d6 + 3*d7 + 2*d8 - 1*d9
 * is divisible by 11 and not zero (000000000 is not a BSN).
 *
 * Pure: no I/O, no clock, no randomness.
 */
import { z } from 'zod';

const BSN_WEIGHTS = [9, 8, 7, 6, 5, 4, 3, 2, -1] as const;
const NINE_DIGITS = /^\d{9}$/;

export const BSN_ERROR_MESSAGE = 'must be a valid BSN (9 digits passing the 11-proef)';

export function isValidBsn(bsn: string): boolean {
  if (!NINE_DIGITS.test(bsn)) return false;
  let sum = 0;
  for (let i = 0; i < BSN_WEIGHTS.length; i++) {
    sum += (bsn.charCodeAt(i) - 48) * BSN_WEIGHTS[i]!;
  }
  return sum !== 0 && sum % 11 === 0;
}

export const bsnSchema = z.string().refine(isValidBsn, { error: BSN_ERROR_MESSAGE });
