import { retryWhileUnavailable } from '../shared/retry-unavailable';
import { createHmac } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type { Database } from '../../db/database';
import type { Clock } from '../shared/clock';
import { alertMessage, type AlertMessage } from './alert-message';
import type { DeadlineTimer } from './deadline-timer';
import { deadlineRepository as repo } from './deadline.repository';
import { postWebhook } from './webhook-post';
import type { WebhookPolicy } from './webhook-target';

export interface NotifierOptions {
  db: Database;
  clock: Clock;
  timer: DeadlineTimer;
  publicBaseUrl: string;
  smtpUrl: string | undefined;
  smtpFrom: string;
  maxAttempts: number;
  backoffMs: number;
  /** Where webhooks may go (src/deadlines/webhook-target.ts). */
  webhookPolicy: WebhookPolicy;
}

/** How long a claimed delivery is reserved for the worker sending it (longer than any send may take). */
const LEASE_MS = 60_000;

export type DeliveryOutcome = 'delivered' | 'retry' | 'dead' | 'skipped';

/**
 * Standard Webhooks (standardwebhooks.com): `v1,` and the base64 HMAC-SHA256 over `${id}.${timestamp}.${body}`, so a
 * receiver verifies with any Standard Webhooks library and rejects replays (the id) and old messages (the timestamp).
 * A secret `whsec_<base64>` is the spec's form (the key is the decoded base64); any other secret is used as its bytes
 * (receivers pass it with the libraries' raw format, e.g. `new Webhook(secret, { format: 'raw' })`).
 */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** Delivers alert notifications from the alert_deliveries outbox: a signed webhook per team, and e-mail over SMTP. */
export class AlertNotifier {
  private mailer: Transporter | null = null;

  constructor(private readonly o: NotifierOptions) {}

  /**
   * Claims the delivery in a short transaction (a lease: while it runs, nobody else picks it up), sends outside any
   * transaction, and records the outcome in a second one. No row lock or connection is held during network I/O.
   */
  async deliver(deliveryId: string): Promise<DeliveryOutcome> {
    const claim = await this.o.db.transaction().execute(async (trx) => {
      // skip locked: another worker claiming the same row right now wins; this one does nothing.
      const delivery = await repo.lockDelivery(trx, deliveryId);
      const now = this.o.clock.now();
      if (!delivery || delivery.status !== 'pending' || delivery.next_attempt_at > now) return undefined;
      const alert = await repo.findAlert(trx, delivery.alert_id);
      if (!alert) return undefined;
      const channels = delivery.channel === 'webhook' ? await repo.channels(trx, alert.team_id) : undefined;
      await repo.updateDelivery(trx, deliveryId, { next_attempt_at: new Date(now.getTime() + LEASE_MS), updated_at: now });
      return { delivery, message: alertMessage(alert, this.o.publicBaseUrl), secret: channels?.webhook_secret ?? '' };
    });
    if (!claim) return 'skipped';

    const attempts = claim.delivery.attempts + 1;
    let error: string | null = null;
    try {
      if (claim.delivery.channel === 'webhook') await this.postWebhook(claim.delivery.id, claim.delivery.target, claim.secret, claim.message);
      else await this.sendEmail(claim.delivery.target, claim.message);
    } catch (e) {
      error = e instanceof Error ? e.message.slice(0, 500) : 'delivery failed';
    }

    const now = this.o.clock.now();
    if (error === null) {
      // Sent: record it even across a database restart, or the retried job would send it a second time.
      await retryWhileUnavailable(() => repo.updateDelivery(this.o.db, deliveryId, { status: 'delivered', attempts, last_error: null, updated_at: now }));
      return 'delivered';
    }
    if (attempts >= this.o.maxAttempts) {
      await repo.updateDelivery(this.o.db, deliveryId, { status: 'dead', attempts, last_error: error, updated_at: now });
      return 'dead';
    }
    const retryAt = new Date(now.getTime() + this.o.backoffMs * 2 ** (attempts - 1));
    await repo.updateDelivery(this.o.db, deliveryId, { attempts, next_attempt_at: retryAt, last_error: error, updated_at: now });
    await this.o.timer.scheduleDelivery(deliveryId, retryAt, attempts + 1).catch(() => undefined);
    return 'retry';
  }

  async close(): Promise<void> {
    this.mailer?.close();
  }

  /** The delivery id is the message id: the same on every retry, so a receiver can drop duplicates. */
  private async postWebhook(id: string, url: string, secret: string, message: AlertMessage): Promise<void> {
    const body = JSON.stringify(message);
    const timestamp = Math.floor(this.o.clock.now().getTime() / 1000);
    const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secret, id, timestamp, body) };
    await postWebhook(url, headers, body, this.o.webhookPolicy);
  }

  private async sendEmail(to: string, message: AlertMessage): Promise<void> {
    if (!this.o.smtpUrl) throw new Error('SMTP_URL is not configured');
    // Bounded waits: an SMTP server that hangs must not hold a worker for minutes.
    const url = new URL(this.o.smtpUrl);
    this.mailer ??= createTransport({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
      secure: url.protocol === 'smtps:',
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 15_000,
    });
    await this.mailer.sendMail({
      from: this.o.smtpFrom,
      to,
      subject: `[Veilig Thuis] ${message.title}: ${message.deadlineKind}`,
      text: [
        message.title,
        `Termijn: ${message.deadlineKind}`,
        `Verliep of verloopt: ${message.dueAt}`,
        `Team: ${message.teamId}`,
        `Melding: ${message.link}`,
      ].join('\n'),
    });
  }
}
