import { z } from 'zod';
import type { AdviesView } from '../adviezen/advies.service';
import type { AuditService } from '../audit/audit.service';
import type { AlertChannelService } from '../deadlines/alert-channel.service';
import type { DeadLetterService } from '../deadlines/dead-letter.service';
import type { RetentionService } from '../retention/retention.service';
import { describes } from './exact-schema';
import { day, instant } from './view-schemas';

/**
 * Exact response schemas of the records around a case: an advies, the retention status, the audit trail, a team's
 * alert channels and failed deliveries. Each is tied to the type its service answers (describes), so the document,
 * the serialiser (which checks every answer) and the service cannot disagree.
 */

export const adviesSchema = describes<AdviesView>()(
  z
    .object({
      id: z.uuid(),
      teamId: z.string(),
      gemeente: z.string(),
      violenceTypes: z.array(z.string()),
      receivedAt: instant,
      registeredAt: instant,
      registeredBy: z.string(),
      caller: z.object({ professional: z.boolean(), sector: z.string().nullable() }),
      summary: z.string(),
      convertedCaseId: z.uuid().nullable().describe('The case it became (POST /v1/meldingen with adviesId); null while it is an advies'),
    })
    .meta({ id: 'Advies' }),
);

export const retentionSchema = describes<Awaited<ReturnType<RetentionService['status']>>>()(
  z
    .object({
      caseId: z.uuid(),
      state: z.string(),
      closedAt: instant.nullable(),
      destroyOn: day.nullable().describe('The day the dossier is destroyed; null while the case is open'),
      rule: z.enum(['closure_term', 'youngest_child']).nullable().describe('closure_term: 20 years after closure; youngest_child: until the youngest child is 18 plus 20 years'),
      legalHold: z.object({ since: instant, by: z.string().nullable(), reason: z.string().nullable() }).nullable(),
      destroyedAt: instant.nullable(),
      destruction: z.object({ personsRemoved: z.number().int(), meldersRemoved: z.number().int(), eventsRedacted: z.number().int(), textFieldsRemoved: z.number().int() }).nullable(),
    })
    .meta({ id: 'RetentionStatus' }),
);

type AuditPage = Awaited<ReturnType<AuditService['list']>>;
export const auditEntrySchema = describes<AuditPage['items'][number]>()(
  z
    .object({
      seq: z.number().int(),
      at: instant,
      actor: z.object({ id: z.string(), role: z.string(), teams: z.array(z.string()) }),
      action: z.string(),
      caseId: z.uuid().nullable(),
      caseTeam: z.string().nullable(),
      personId: z.uuid().nullable(),
      detail: z.string().nullable(),
      breakGlass: z.boolean(),
      reason: z.string().nullable(),
      sealed: z.boolean().describe('false until the sealer has chained the row (within AUDIT_SEAL_INTERVAL_MS)'),
      chainSeq: z.number().int().nullable().describe('the row\'s place in the chain; null until sealed'),
      rowHash: z.string().nullable().describe('sha256 over the row\'s own contents; null for rows of the old chain'),
      prevHash: z.string().nullable(),
      hash: z.string().nullable().describe('the chain link over rowHash and prevHash (npm run audit:verify walks the chain); null until sealed'),
    })
    .meta({ id: 'AuditEntry' }),
);

export const alertChannelsSchema = describes<Awaited<ReturnType<AlertChannelService['set']>>>()(
  z.object({ teamId: z.string(), webhookUrl: z.string().nullable(), webhookSecretSet: z.boolean(), email: z.string().nullable() }).meta({ id: 'AlertChannels' }),
);

export const deadLetterSchema = describes<Awaited<ReturnType<DeadLetterService['list']>>[number]>()(
  z
    .object({
      id: z.uuid(),
      alertId: z.uuid(),
      channel: z.enum(['webhook', 'email']),
      target: z.string(),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      updatedAt: instant,
    })
    .meta({ id: 'DeadLetter' }),
);
