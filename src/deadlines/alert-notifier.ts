import { createHmac } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type { Database } from '../../db/database';
import type { Clock } from '../shared/clock';
import { alertMessage, type AlertMessage } from './alert-message';
import type { DeadlineTimer } from './deadline-timer';
import { deadlineRepository as repo } from './deadline.repository';

export interface NotifierOptions {
  db: Database;
  clock: Clock;
  timer: DeadlineTimer;
  publicBaseUrl: string;
  smtpUrl: string | undefined;
  smtpFrom: string;
  maxAttempts: number;
  backoffMs: number;
}

export type DeliveryOutcome = 'delivered' | 'retry' | 'dead' | 'skipped';

/** Signature over `${timestamp}.${body}`, so a receiver can reject replays and tampering. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Delivers alert notifications from the alert_deliveries outbox: a signed webhook per team, and e-mail over SMTP. */
export class AlertNotifier {
  private mailer: Transporter | null = null;

  constructor(private readonly o: NotifierOptions) {}

  async deliver(deliveryId: string): Promise<DeliveryOutcome> {
    const outcome = await this.o.db.transaction().execute(async (trx) => {
      // skip locked: another worker delivering the same row right now wins; this one does nothing.
      const delivery = await repo.lockDelivery(trx, deliveryId);
      if (!delivery || delivery.status !== 'pending') return { kind: 'skipped' as const };
      const alert = await repo.findAlert(trx, delivery.alert_id);
      if (!alert) return { kind: 'skipped' as const };
      const message = alertMessage(alert, this.o.publicBaseUrl);
      const channels = delivery.channel === 'webhook' ? await repo.channels(trx, alert.team_id) : undefined;
      const now = this.o.clock.now();
      const attempts = delivery.attempts + 1;
      try {
        if (delivery.channel === 'webhook') await this.postWebhook(delivery.target, channels?.webhook_secret ?? '', message);
        else await this.sendEmail(delivery.target, message);
        await repo.updateDelivery(trx, deliveryId, { status: 'delivered', attempts, last_error: null, updated_at: now });
        return { kind: 'delivered' as const };
      } catch (error) {
        const lastError = error instanceof Error ? error.message.slice(0, 500) : 'delivery failed';
        if (attempts >= this.o.maxAttempts) {
          await repo.updateDelivery(trx, deliveryId, { status: 'dead', attempts, last_error: lastError, updated_at: now });
          return { kind: 'dead' as const };
        }
        const retryAt = new Date(now.getTime() + this.o.backoffMs * 2 ** (attempts - 1));
        await repo.updateDelivery(trx, deliveryId, { attempts, next_attempt_at: retryAt, last_error: lastError, updated_at: now });
        return { kind: 'retry' as const, retryAt, attempts };
      }
    });
    if (outcome.kind === 'retry') await this.o.timer.scheduleDelivery(deliveryId, outcome.retryAt, outcome.attempts + 1);
    return outcome.kind;
  }

  async close(): Promise<void> {
    this.mailer?.close();
  }

  private async postWebhook(url: string, secret: string, message: AlertMessage): Promise<void> {
    const body = JSON.stringify(message);
    const timestamp = this.o.clock.now().toISOString();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vt-timestamp': timestamp, 'x-vt-signature': signWebhook(secret, timestamp, body) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`webhook answered ${response.status}`);
  }

  private async sendEmail(to: string, message: AlertMessage): Promise<void> {
    if (!this.o.smtpUrl) throw new Error('SMTP_URL is not configured');
    this.mailer ??= createTransport(this.o.smtpUrl);
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
