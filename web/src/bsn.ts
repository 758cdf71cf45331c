/**
 * The BSN 11-proef as the API applies it (workflows/reference/bsn.ts; web/ may not import server code, so it is
 * repeated here and a unit test checks both agree): nine digits d1..d9 with 9·d1 + 8·d2 + … + 2·d8 − d9 a non-zero
 * multiple of 11.
 */
const WEIGHTS = [9, 8, 7, 6, 5, 4, 3, 2, -1];

export function isValidBsn(bsn: string): boolean {
  if (!/^\d{9}$/.test(bsn)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (bsn.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return sum !== 0 && sum % 11 === 0;
}
