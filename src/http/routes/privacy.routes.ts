import { z } from 'zod';
import { singleLine } from '../../../workflows/reference/text-rules';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AuditService } from '../../audit/audit.service';
import type { PersonExportService } from '../../privacy/person-export.service';
import { principalOf } from '../authenticate';
import { cursorDescription, json, page, responses } from '../openapi';
import { personExportSchema } from '../../privacy/person-export';
import { auditEntrySchema } from '../record-schemas';
import { paged, seqCursorSchema } from '../pagination';

const auditQuery = z
  .object({
    case: z.uuid({ message: 'must be a case id (UUID)' }).optional(),
    actor: singleLine(z.string().min(1).max(200)).optional(),
    breakGlass: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: seqCursorSchema('audit').optional().describe(cursorDescription),
  })
  .strict();

const exportParams = z.object({ id: z.uuid({ message: 'must be a case id (UUID)' }), personId: z.uuid({ message: 'must be a person id (UUID)' }) });

/** The audit trail for a beheerder, and a person's right of access. */
export function privacyRoutes(audit: AuditService, exports: PersonExportService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/audit', {
      schema: {
        operationId: 'listAudit',
        tags: ['privacy'],
        summary: 'The audit trail, oldest first, keyset-paginated (beheerder); reading it is recorded too',
        querystring: auditQuery,
        response: responses({ 200: json('One page of the trail', page(auditEntrySchema)) }, [403]),
      },
      handler: async (request, reply) => {
        const q = request.query;
        return paged(request, reply, await audit.list(principalOf(request), { caseId: q.case, actorId: q.actor, breakGlass: q.breakGlass, limit: q.limit, afterSeq: q.cursor }));
      },
    });

    app.get('/v1/cases/:id/persons/:personId/export', {
      schema: {
        operationId: 'exportPerson',
        response: responses(
          { 200: { description: 'The export', content: { 'application/json': { schema: personExportSchema }, 'application/pdf': { schema: z.string().describe('binary') } } } },
          [403, 404, 410],
        ),
        tags: ['privacy'],
        summary: "What the engine holds about one person, without others' data (beheerder; AVG art. 15). JSON, or PDF with Accept: application/pdf",
        params: exportParams,
      },
      handler: async (request, reply) => {
        const { id, personId } = request.params;
        const principal = principalOf(request);
        if ((request.headers.accept ?? '').includes('application/pdf')) {
          const pdf = await exports.export(principal, id, personId, 'pdf');
          return reply
            .type('application/pdf')
            .header('content-disposition', `attachment; filename="inzage-${personId}.pdf"`)
            .header('cache-control', 'no-store')
            .send(pdf);
        }
        void reply.header('cache-control', 'no-store');
        return exports.export(principal, id, personId, 'json');
      },
    });
  };
}
