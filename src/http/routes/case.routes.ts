import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MELDING_EVENT_TYPES, MELDING_STATES, meldingCommandSchemas, type MeldingEventType } from '../../../workflows/melding';
import type { VtRegion } from '../../../workflows/reference';
import { singleLine } from '../../../workflows/reference/text-rules';
import { teamIdSchema } from '../../auth/principal';
import type { CaseEngine } from '../../cases/case.engine';
import type { CaseReader } from '../../cases/case-reader';
import { ACCESS_REASON_HEADER } from '../../cases/case-access';
import { correctViolenceTypesSchema, gemeenteCodeSchema, instantSchema, registerMeldingSchema } from '../../cases/case.schemas';
import { principalOf } from '../authenticate';
import { paged } from '../pagination';
import { historyEntrySchema, melderSchema, transitionsSchema } from '../view-schemas';
import { caseSummarySchema, caseViewSchema, cursorDescription, idempotencyKeyHeader, json, list, page, responses } from '../openapi';
import { asPreconditionFailure, expectedVersionOf, noneMatchHits, versionEtag } from '../etag';

const caseParams = z.object({ id: z.uuid({ message: 'must be a case id (UUID)' }) });

/** Reading another team's case ("breaking the glass", teamleider or manager): the reason, recorded in the audit trail. */
export const accessHeaders = z.looseObject({
  [ACCESS_REASON_HEADER]: singleLine(z.string())
    .trim()
    .min(10, 'must say why, in at least 10 characters')
    .max(500, 'must be at most 500 characters')
    .optional()
    .describe('Why you read a case outside your own teams (teamleider, manager); recorded in the audit trail. No names: ids and circumstances only.'),
});
const writeHeaders = z.looseObject({ 'idempotency-key': idempotencyKeyHeader });
const eventHeaders = z.looseObject({
  'idempotency-key': idempotencyKeyHeader,
  'if-match': z.string().optional().describe('The ETag of the case as GET /v1/cases/{id} sent it, instead of expectedVersion; 412 when stale'),
});
const accessOf = (headers: { [ACCESS_REASON_HEADER]?: string }) => ({ reason: headers[ACCESS_REASON_HEADER] });

/** `{ type, expectedVersion, ...payload }`, one variant per event type, generated from the machine's event schemas; expectedVersion may come as If-Match instead. */
export const caseCommandSchema = z.discriminatedUnion(
  'type',
  MELDING_EVENT_TYPES.map((type) =>
    meldingCommandSchemas[type].safeExtend({
      type: z.literal(type),
      expectedVersion: z.number({ message: 'must be the case version you last saw (an integer)' }).int().min(1).optional(),
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  { error: () => `must be one of: ${MELDING_EVENT_TYPES.join(', ')}` },
);

export function caseRoutes(engine: CaseEngine, reader: CaseReader, region: VtRegion): FastifyPluginAsyncZod {
  const listQuery = z
    .object({
      state: z
        .string()
        .optional()
        .transform((s) => (s ? s.split(',') : undefined))
        .pipe(z.array(z.enum(MELDING_STATES as [string, ...string[]], { message: `must be states from: ${MELDING_STATES.join(', ')}` })).optional()),
      team: teamIdSchema.optional(),
      gemeente: gemeenteCodeSchema(region).optional(),
      overdue: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
      dueBefore: instantSchema.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().max(500).optional().describe(cursorDescription),
    })
    .strict();

  return async (app) => {
    app.post('/v1/meldingen', {
      schema: {
        operationId: 'registerMelding',
        tags: ['meldingen'],
        summary: 'Register a melding; the safety-assessment deadline starts at receivedAt',
        headers: writeHeaders,
        body: registerMeldingSchema(region),
        response: responses({ 201: json('The new case', caseViewSchema) }, [403, 404, 409, 422]),
      },
      handler: async (request, reply) => reply.status(201).send(await engine.registerMelding(principalOf(request), request.body)),
    });

    app.get('/v1/cases', {
      schema: {
        operationId: 'listCases',
        tags: ['cases'],
        summary: 'List the cases of your teams, nearest open deadline first',
        querystring: listQuery,
        response: responses({ 200: json('One page of cases', page(caseSummarySchema)) }, [403]),
      },
      handler: async (request, reply) => {
        const q = request.query;
        const result = await reader.listCases(principalOf(request), {
          state: q.state,
          team: q.team,
          gemeente: q.gemeente,
          overdue: q.overdue,
          dueBefore: q.dueBefore ? new Date(q.dueBefore) : undefined,
          limit: q.limit,
          cursor: q.cursor,
        });
        return paged(request, reply, result);
      },
    });

    app.get('/v1/cases/:id', {
      schema: {
        operationId: 'getCase',
        tags: ['cases'],
        summary: 'A case with its persons and deadlines (audited; another team: teamleider or manager with X-Access-Reason)',
        description: 'Sends the version as a strong ETag; If-None-Match with it answers 304.',
        params: caseParams,
        headers: accessHeaders.extend({ 'if-none-match': z.string().optional().describe('ETags you hold; 304 when one is current') }),
        response: responses({ 200: json('The case', caseViewSchema), 304: z.null().describe('Not modified: the ETag you sent is current') }, [403, 404, 410]),
      },
      handler: async (request, reply) => {
        const view = await reader.getCase(principalOf(request), request.params.id, accessOf(request.headers));
        const etag = versionEtag(view.version);
        void reply.header('etag', etag);
        if (noneMatchHits(request.headers['if-none-match'], etag)) return reply.status(304).send();
        return view;
      },
    });

    app.get('/v1/cases/:id/melder', {
      schema: {
        operationId: 'getCaseMelder',
        tags: ['cases'],
        summary: "The melder, with a shielded melder's identity decrypted: staff on the case only (audited)",
        params: caseParams,
        response: responses({ 200: json('The melder', melderSchema) }, [403, 404, 410]),
      },
      handler: async (request) => reader.melder(principalOf(request), request.params.id),
    });

    app.get('/v1/cases/:id/transitions', {
      schema: {
        operationId: 'getCaseTransitions',
        tags: ['cases'],
        summary: 'Events allowed now (with payload schemas) and blocked ones (with reasons)',
        params: caseParams,
        headers: accessHeaders,
        response: responses({ 200: json('Allowed and blocked events', transitionsSchema) }, [403, 404, 410]),
      },
      handler: async (request) => reader.transitions(principalOf(request), request.params.id, accessOf(request.headers)),
    });

    app.post('/v1/cases/:id/events', {
      schema: {
        tags: ['cases'],
        summary: 'Apply an event: 409 on a stale expectedVersion, 412 on a stale If-Match, 422 when the state or a guard does not allow it',
        operationId: 'applyCaseEvent',
        params: caseParams,
        headers: eventHeaders,
        body: caseCommandSchema,
        response: responses({ 200: json('The case after the event; ETag is its new version', caseViewSchema) }, [403, 404, 409, 410, 412, 422]),
      },
      handler: async (request, reply) => {
        const body = request.body as { type: MeldingEventType; expectedVersion?: number };
        const expected = expectedVersionOf(request.headers['if-match'], body.expectedVersion);
        try {
          const view = await engine.applyCommand(principalOf(request), request.params.id, { ...body, expectedVersion: expected.version });
          void reply.header('etag', versionEtag(view.version));
          return view;
        } catch (error) {
          throw expected.viaIfMatch ? asPreconditionFailure(error) : error;
        }
      },
    });

    app.put('/v1/cases/:id/violence-types', {
      schema: {
        tags: ['cases'],
        summary: 'Correct the types of violence registered on a melding, with the reason; recorded in the case history (VIOLENCE_TYPES_CORRECTED) and recounted in the month it was received',
        operationId: 'correctViolenceTypes',
        params: caseParams,
        headers: writeHeaders,
        body: correctViolenceTypesSchema,
        response: responses({ 200: json('The case with the corrected types; ETag is its new version', caseViewSchema) }, [403, 404, 409, 410, 422]),
      },
      handler: async (request, reply) => {
        const view = await engine.correctViolenceTypes(principalOf(request), request.params.id, request.body);
        void reply.header('etag', versionEtag(view.version));
        return view;
      },
    });

    app.get('/v1/cases/:id/history', {
      schema: {
        operationId: 'getCaseHistory',
        tags: ['cases'],
        summary: 'Every event of the case: who, when, from and to state',
        params: caseParams,
        headers: accessHeaders,
        response: responses({ 200: json('The events, oldest first', list(historyEntrySchema)) }, [403, 404, 410]),
      },
      handler: async (request) => ({ items: await reader.history(principalOf(request), request.params.id, accessOf(request.headers)) }),
    });
  };
}
