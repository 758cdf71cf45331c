import { z } from 'zod';

/** An opaque cursor over a sequence number: `<label>:<seq>` in base64url. */
export function encodeSeqCursor(label: string, seq: number): string {
  return Buffer.from(`${label}:${seq}`).toString('base64url');
}

/** The query parameter of a seq cursor: decodes to the seq, or a 400 naming `cursor`. */
export function seqCursorSchema(label: string) {
  const pattern = new RegExp(`^${label}:([1-9]\\d{0,15})$`);
  return z
    .string()
    .max(100)
    .transform((c, ctx) => {
      const match = pattern.exec(Buffer.from(c, 'base64url').toString('utf8'));
      if (!match) {
        ctx.addIssue({ code: 'custom', message: 'must be a cursor returned by a previous page' });
        return z.NEVER;
      }
      return Number(match[1]);
    });
}
