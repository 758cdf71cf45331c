import type { Database } from '../../db/database';
import { authorize } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import type { AuditTrail } from '../audit/audit-trail';
import { auditActor } from '../audit/audit-actor';
import { caseRepository } from '../cases/case.repository';
import type { Clock } from '../shared/clock';
import { validationError } from '../shared/errors';
import { deadlineRepository as repo } from './deadline.repository';
import { checkWebhookTarget, WebhookTargetError, type WebhookPolicy } from './webhook-target';

/** Where a team's alerts go: its webhook (with its signing secret) and its e-mail address (`PUT /v1/teams/:teamId/alert-channels`). */
export class AlertChannelService {
  constructor(private readonly o: { db: Database; clock: Clock; audit: AuditTrail; webhookPolicy: WebhookPolicy }) {}

  async set(p: Principal, teamId: string, input: { webhookUrl?: string | null; webhookSecret?: string | null; email?: string | null }) {
    authorize(p, 'alert-channels.set', { team: teamId });
    if (input.webhookUrl) {
      await checkWebhookTarget(input.webhookUrl, this.o.webhookPolicy).catch((e: unknown) => {
        throw e instanceof WebhookTargetError ? validationError([{ field: 'webhookUrl', rule: e.message }]) : e;
      });
    }
    const now = this.o.clock.now();
    await this.o.db.transaction().execute(async (trx) => {
      await caseRepository.ensureTeam(trx, teamId);
      await repo.upsertChannels(trx, { team_id: teamId, webhook_url: input.webhookUrl ?? null, webhook_secret: input.webhookSecret ?? null, email: input.email ?? null, updated_at: now, updated_by: p.sub });
      // Where alerts go is recorded (the host, not the secret or the address's path), so a redirected channel can be traced.
      const webhook = input.webhookUrl ? new URL(input.webhookUrl).host : 'none';
      await this.o.audit.recordIn(trx, { actor: auditActor(p), action: 'alert-channels.change', caseTeam: teamId, detail: `webhook=${webhook} email=${input.email ? 'set' : 'none'}` });
    });
    return { teamId, webhookUrl: input.webhookUrl ?? null, webhookSecretSet: Boolean(input.webhookSecret), email: input.email ?? null };
  }
}
