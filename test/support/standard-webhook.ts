import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';

/**
 * Checks an alert webhook with the `standardwebhooks` package's own code, not ours. `verify` also checks that the
 * timestamp is within five minutes of the real time; a test on a clock set elsewhere in time (OffsetClock) checks the
 * signature with the package's `sign` at the stated timestamp instead.
 */
export function standardWebhookVerdict(secret: string, headers: IncomingHttpHeaders, raw: string, opts: { realTime: boolean }): { ok: boolean; reason?: string } {
  const hook = new Webhook(secret, { format: 'raw' });
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') return { ok: false, reason: 'missing webhook-* headers' };
  try {
    if (opts.realTime) hook.verify(raw, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature });
    else if (hook.sign(id, new Date(Number(timestamp) * 1000), raw) !== signature) return { ok: false, reason: 'signature differs' };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
