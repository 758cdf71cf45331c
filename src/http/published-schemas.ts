import { z } from 'zod';

/** A figure after disclosure control (workflows/reporting/disclosure.ts): a rounded count, or suppressed with the reason. */
export const publishedCountSchema = z
  .union([
    z.object({ value: z.number(), suppressed: z.literal(false) }),
    z.object({ value: z.null(), suppressed: z.literal(true), reason: z.enum(['primary', 'secondary']).describe('primary: under the minimum; secondary: hidden so that no other hidden cell can be derived') }),
  ])
  .meta({ id: 'PublishedCount', description: 'A count rounded for publication, or suppressed (value null) with the reason' });
