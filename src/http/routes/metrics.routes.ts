import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { boundedMonthSchema } from '../../../workflows/reference/date-bounds';
import type { MetricsService } from '../../reporting/metrics.service';
import { principalOf } from '../authenticate';
import { responses } from '../openapi';
import { wachtlijstSchema } from '../wachtlijst-schema';
import { PERIOD_ID_PATTERN } from '../../../workflows/reporting/periods';

const YEARS_RULE = 'must lie between 2000 and 2199';
const inYears = (p: string) => Number(p.slice(0, 4)) >= 2000 && Number(p.slice(0, 4)) <= 2199;
const month = boundedMonthSchema;
const quarter = z.string().regex(/^\d{4}-Q[1-4]$/, 'must be a quarter as YYYY-Qn').refine(inYears, YEARS_RULE);
const half = z.string().regex(/^\d{4}-H[12]$/, 'must be a half-year as YYYY-H1 or YYYY-H2').refine(inYears, YEARS_RULE);
const year = z.string().regex(/^\d{4}$/, 'must be a year as YYYY').refine(inYears, YEARS_RULE);
const period = z.string().regex(PERIOD_ID_PATTERN, 'must be a period: YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY').refine(inYears, YEARS_RULE);

type Figure = { value: number | null; suppressed: boolean };
const isFigure = (v: unknown): v is Figure => typeof v === 'object' && v !== null && 'suppressed' in v && 'value' in v;

/** Flattens the JSON answer into one CSV row per figure: the same numbers, the same suppression. */
export function metricsCsv(body: Awaited<ReturnType<MetricsService['wachtlijst']>>): string {
  const rows: string[][] = [['section', 'period', 'scope', 'figure', 'value', 'suppressed']];
  const walk = (section: string, monthId: string, scope: string, path: string, node: unknown) => {
    if (isFigure(node)) rows.push([section, monthId, scope, path, node.value === null ? '' : String(node.value), String(node.suppressed)]);
    else if (typeof node === 'number') rows.push([section, monthId, scope, path, String(node), 'false']);
    else if (typeof node === 'object' && node !== null) for (const [k, v] of Object.entries(node)) walk(section, monthId, scope, path ? `${path}.${k}` : k, v);
  };
  for (const p of body.periods) {
    walk(p.kind, p.period, body.gemeente, '', p.gemeente);
    walk(p.kind, p.period, 'REGIO', '', p.region);
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
              content: { 'application/json': { schema: wachtlijstSchema }, 'text/csv': { schema: z.string() } },
            },
          },
          [403],
        ),
        tags: ['metrics'],
        summary:
          'Anonymised waiting lists and case mix for a gemeente and its region per fixed period: one month, quarter, half-year or year, or a range of one kind (from/to), period by period (JSON, or CSV with Accept: text/csv)',
        querystring: z
          .object({
            gemeente: z.string().regex(/^GM\d{4}$/, 'must be a CBS gemeente code (GMnnnn)').optional(),
            month: month.optional(),
            quarter: quarter.optional(),
            half: half.optional(),
            year: year.optional(),
            from: period.optional(),
            to: period.optional(),
          })
          .strict()
          .refine((q) => [q.month, q.quarter, q.half, q.year].filter(Boolean).length + (q.from || q.to ? 1 : 0) === 1, {
            message: 'give one of month, quarter, half or year, or from and to',
            path: ['month'],
          })
          .refine((q) => Boolean(q.from) === Boolean(q.to), { message: 'give both from and to', path: ['to'] }),
      },
      handler: async (request, reply) => {
        const q = request.query;
        const single = q.month ?? q.quarter ?? q.half ?? q.year;
        const body = await metrics.wachtlijst(principalOf(request), { gemeente: q.gemeente, from: (single ?? q.from)!, to: (single ?? q.to)! });
        void reply.header('x-disclosure', body.disclosure.rules.join('; '));
        if ((request.headers.accept ?? '').includes('text/csv')) return reply.type('text/csv; charset=utf-8').send(metricsCsv(body));
        return body;
      },
    });
  };
}
