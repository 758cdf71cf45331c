import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { teamIdSchema } from '../../auth/principal';
import { authorize } from '../../auth/permissions';
import type { AlertStream } from '../../deadlines/alert-stream';
import { canSeeAlert, toAlertView, type AlertService } from '../../deadlines/alert.service';
import type { AlertChannelService } from '../../deadlines/alert-channel.service';
import type { DeadlineAdjustmentService } from '../../deadlines/deadline-adjustment.service';
import type { DeadLetterService } from '../../deadlines/dead-letter.service';
import { principalOf } from '../authenticate';
import { API_VERSION } from '../api-contract';
import { cursorDescription, idempotencyKeyHeader, json, list, page, responses } from '../openapi';
import { alertChannelsSchema, deadLetterSchema } from '../record-schemas';
import { encodeSeqCursor, paged, seqCursorSchema } from '../pagination';
import { alertSchema } from '../view-schemas';

const writeHeaders = z.looseObject({ 'idempotency-key': idempotencyKeyHeader });

const alertCursor = seqCursorSchema('seq');

const levels = z
  .string()
  .optional()
  .transform((s) => (s ? s.split(',') : undefined))
  .pipe(z.array(z.enum(['warning', 'breach', 'escalation', 'acute'], { message: 'must be levels from: warning, breach, escalation, acute' })).optional());

/** The alerts, their channels, deadline adjustments and dead letters: one service per concept behind these routes. */
export interface AlertRouteServices {
  alerts: AlertService;
  deadlineAdjustments: DeadlineAdjustmentService;
  alertChannels: AlertChannelService;
  deadLetters: DeadLetterService;
}

export function alertRoutes(s: AlertRouteServices, stream: AlertStream, publicBaseUrl: string): FastifyPluginAsyncZod {
  const { alerts, deadlineAdjustments, alertChannels, deadLetters } = s;
  return async (app) => {
    app.get('/v1/alerts', {
      schema: {
        operationId: 'listAlerts',
        tags: ['alerts'],
        summary: "Alerts of the caller's teams (managers: all), newest first",
        response: responses({ 200: json('One page of alerts, newest first', page(alertSchema)) }, [403]),
        querystring: z
          .object({
            level: levels,
            status: z.enum(['open', 'acknowledged']).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
            cursor: alertCursor.optional().describe(cursorDescription),
          })
          .strict(),
      },
      handler: async (request, reply) => {
        const q = request.query;
        const items = await alerts.list(principalOf(request), { levels: q.level, status: q.status, limit: q.limit, beforeSeq: q.cursor });
        const last = items.at(-1);
        // A full page may be followed by more; the page after the last full one is then empty.
        return paged(request, reply, { items, nextCursor: items.length === q.limit && last ? encodeSeqCursor('seq', last.seq) : null });
      },
    });

    app.post('/v1/alerts/:id/ack', {
      schema: {
        operationId: 'acknowledgeAlert',
        headers: writeHeaders,
        response: responses({ 200: json('The acknowledged alert', alertSchema) }, [403, 404, 409]),
        tags: ['alerts'],
        summary: 'Acknowledge an alert (recorded in the case history); an acknowledged breach does not escalate',
        params: z.object({ id: z.uuid({ message: 'must be an alert id (UUID)' }) }),
        // The note is optional, and so is the body: Fastify passes a missing body as null.
        body: z
          .object({ note: z.string().trim().min(1).max(2000).optional() })
          .strict()
          .nullish()
          .transform((b) => b ?? {}),
      },
      handler: async (request) => alerts.acknowledge(principalOf(request), request.params.id, request.body.note),
    });

    app.get('/v1/alerts/stream', {
      schema: {
        operationId: 'streamAlerts',
        tags: ['alerts'],
        summary: 'Server-sent events: each new alert for the caller, as it is raised',
        description: 'Each event is `event: alert`, `id: <seq>`, `data: <Alert as JSON>`; send Last-Event-ID to resume.',
        response: responses({ 200: { description: 'An event stream of alerts', content: { 'text/event-stream': { schema: z.string() } } } }, [403]),
      },
      handler: async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, 'alert.receive');
        const lastEventId = Number(request.headers['last-event-id']);
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no', 'api-version': API_VERSION });
        raw.write('retry: 2000\n\n');
        const unsubscribe = await stream.subscribe((alert) => {
          if (!canSeeAlert(principal, alert)) return;
          raw.write(`id: ${alert.seq}\nevent: alert\ndata: ${JSON.stringify(toAlertView(alert, publicBaseUrl))}\n\n`);
        }, Number.isInteger(lastEventId) && lastEventId > 0 ? lastEventId : undefined);
        const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
        // The stream lives no longer than the token that opened it: the client reconnects with a fresh one.
        const expiry = principal.expiresAt
          ? setTimeout(() => {
              raw.write('event: token-expired\ndata: {}\n\n');
              raw.end();
            }, Math.max(0, Math.min(principal.expiresAt.getTime() - Date.now(), 2 ** 31 - 1)))
          : undefined;
        request.raw.on('close', () => {
          clearInterval(heartbeat);
          clearTimeout(expiry);
          unsubscribe();
        });
      },
    });

    app.put('/v1/teams/:teamId/alert-channels', {
      schema: {
        operationId: 'setTeamAlertChannels',
        headers: writeHeaders,
        response: responses({ 200: json('The channels as set (the secret is not echoed)', alertChannelsSchema) }, [403]),
        tags: ['alerts'],
        summary: "Set a team's alert channels: a webhook (signed per Standard Webhooks) and/or an e-mail address",
        params: z.object({ teamId: teamIdSchema }),
        body: z
          .object({
            webhookUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).nullable().optional(),
            webhookSecret: z.string().min(16, 'must be at least 16 characters').max(200).nullable().optional(),
            email: z.email({ message: 'must be an e-mail address' }).nullable().optional(),
          })
          .strict()
          .refine((b) => !b.webhookUrl || Boolean(b.webhookSecret), { message: 'a webhook needs a webhookSecret to sign with', path: ['webhookSecret'] }),
      },
      handler: async (request) => alertChannels.set(principalOf(request), request.params.teamId, request.body),
    });

    app.post('/v1/deadlines/:id/adjustments', {
      schema: {
        operationId: 'adjustDeadline',
        headers: writeHeaders,
        response: responses(
          {
            200: json(
              'The deadline after the adjustment',
              z.object({ id: z.uuid(), kind: z.string(), status: z.string(), dueAt: z.string(), originalDueAt: z.string(), warnAt: z.string() }).meta({ id: 'AdjustedDeadline' }),
            ),
          },
          [403, 404, 422],
        ),
        tags: ['alerts'],
        summary: 'Record an opschorting or verlenging (teamleider): the end moves by werkdagen; the statutory term is kept',
        params: z.object({ id: z.uuid({ message: 'must be a deadline id (UUID)' }) }),
        body: z.object({ kind: z.enum(['opschorting', 'verlenging']), werkdagen: z.number().int().min(1).max(60), reason: z.string().trim().min(1).max(2000) }).strict(),
      },
      handler: async (request) => {
        const d = await deadlineAdjustments.adjust(principalOf(request), request.params.id, request.body);
        return { id: d.id, kind: d.kind, status: d.status, dueAt: d.due_at.toISOString(), originalDueAt: d.original_due_at.toISOString(), warnAt: d.warn_at.toISOString() };
      },
    });

    app.get('/v1/admin/dead-letters', {
      schema: {
        operationId: 'listDeadLetters',
        response: responses({ 200: json('Failed deliveries', list(deadLetterSchema)) }, [403]),
        tags: ['alerts'],
        summary: 'Alert notifications that exhausted their attempts (beheerder)',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict() },
      handler: async (request) => ({ items: await deadLetters.list(principalOf(request), request.query.limit) }),
    });
  };
}
