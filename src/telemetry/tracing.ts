import type { IncomingMessage } from 'node:http';
import FastifyOtelInstrumentation from '@fastify/otel';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BullMQOtel } from 'bullmq-otel';
import type { Telemetry } from 'bullmq';

/** Paths polled by probes and scrapers: no spans, they would drown the traces of real work. */
const UNTRACED_PATHS = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

const pathOf = (url: string | undefined) => (url ?? '').split('?')[0] ?? '';

export interface Tracing {
  /** For BullMQ queues and workers: a span per job added and processed, the trace context carried in the job's options. */
  bullmq: Telemetry;
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry tracing: HTTP (server and client), Fastify routes and hooks, PostgreSQL queries (pg) and BullMQ jobs,
 * exported over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT. The standard OTEL_* variables apply (OTEL_SERVICE_NAME,
 * OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_TRACES_SAMPLER, …); metrics and logs stay with Prometheus and stdout unless
 * OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER say otherwise.
 *
 * Must start before `http`, `fastify` and `pg` are loaded (src/telemetry/preload.ts, main.ts's first import).
 * What spans hold: route patterns, SQL text with its placeholders (never the parameter values), job names and ids,
 * and the path without its query string; never bodies.
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env): Tracing {
  env.OTEL_SERVICE_NAME ??= 'veilig-thuis-workflow';
  env.OTEL_METRICS_EXPORTER ??= 'none';
  env.OTEL_LOGS_EXPORTER ??= 'none';
  const sdk = new NodeSDK({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.has(pathOf(request.url)),
        // A query string may carry a search term: spans keep the path only, as the request logs do.
        requestHook: (span, request) => {
          // Incoming requests only (an outgoing ClientRequest has setHeader).
          if (!('setHeader' in request)) {
            const path = pathOf(request.url);
            span.setAttribute('http.target', path);
            span.setAttribute('url.path', path);
            span.setAttribute('http.url', path);
          }
        },
        // The request id (echoed or generated) joins a trace to the log lines of the same request.
        headersToSpanAttributes: { server: { responseHeaders: ['x-request-id'] } },
      }),
      new FastifyOtelInstrumentation({ registerOnInitialization: true, ignorePaths: (route) => UNTRACED_PATHS.has(route.url) }),
      // Only queries inside a traced request or job: no orphan spans from pool housekeeping.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
  return {
    bullmq: new BullMQOtel({ tracerName: 'veilig-thuis-workflow' }),
    shutdown: () => sdk.shutdown(),
  };
}
