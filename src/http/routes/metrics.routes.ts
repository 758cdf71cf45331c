import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { boundedMonthSchema } from '../../../workflows/reference/date-bounds';
import type { MetricsService } from '../../reporting/metrics.service';
import { principalOf } from '../authenticate';
import { looseItem, responses } from '../openapi';

const month = boundedMonthSchema;

type Figure = { value: number | null; suppressed: boolean };
const isFigure = (v: unknown): v is Figure => typeof v === 'object' && v !== null && 'suppressed' in v && 'value' in v;

/** Flattens the JSON answer into one CSV row per figure: the same numbers, the same suppression. */
export function metricsCsv(body: Awaited<ReturnType<MetricsService['wachtlijst']>>): string {
  const rows: string[][] = [['section', 'month', 'scope', 'figure', 'value', 'suppressed']];
  const walk = (section: string, monthId: string, scope: string, path: string, node: unknown) => {
    if (isFigure(node)) rows.push([section, monthId, scope, path, node.value === null ? '' : String(node.value), String(node.suppressed)]);
    else if (typeof node === 'number') rows.push([section, monthId, scope, path, String(node), 'false']);
    else if (typeof node === 'object' && node !== null) for (const [k, v] of Object.entries(node)) walk(section, monthId, scope, path ? `${path}.${k}` : k, v);
  };
  for (const m of body.months) {
    walk('month', m.month, body.gemeente, '', m.gemeente);
    walk('month', m.month, 'REGIO', '', m.region);
  }
  for (const t of body.trend) {
    walk('trend', t.month, body.gemeente, '', t.gemeente);
    walk('trend', t.month, 'REGIO', '', t.region);
  }
  return `${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
}

export function metricsRoutes(metrics: MetricsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/metrics/wachtlijst', {
      schema: {
        operationId: 'getWachtlijst',
        response: responses(
          {
            200: {
              description: 'The figures; X-Disclosure names the suppression rules',
              content: { 'application/json': { schema: looseItem('Wachtlijst', { months: z.array(z.looseObject({})) }) }, 'text/csv': { schema: z.string() } },
            },
          },
          [403],
        ),
        tags: ['metrics'],
        summary: 'Anonymised waiting lists and case mix for a gemeente and its region, month by month (JSON, or CSV with Accept: text/csv)',
        querystring: z
          .object({ gemeente: z.string().regex(/^GM\d{4}$/, 'must be a CBS gemeente code (GMnnnn)').optional(), month: month.optional(), from: month.optional(), to: month.optional() })
          .strict()
          .refine((q) => Boolean(q.month) !== Boolean(q.from || q.to), { message: 'give month, or from and to', path: ['month'] })
          .refine((q) => Boolean(q.from) === Boolean(q.to), { message: 'give both from and to', path: ['to'] }),
      },
      handler: async (request, reply) => {
        const q = request.query;
        const body = await metrics.wachtlijst(principalOf(request), { gemeente: q.gemeente, from: (q.month ?? q.from)!, to: (q.month ?? q.to)! });
        void reply.header('x-disclosure', body.disclosure.rules.join('; '));
        if ((request.headers.accept ?? '').includes('text/csv')) return reply.type('text/csv; charset=utf-8').send(metricsCsv(body));
        return body;
      },
    });
  };
}
