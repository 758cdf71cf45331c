/**
 * Starts OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise loads nothing of it (no SDK, no patched
 * modules, no spans: the zero-overhead path). The first import of src/main.ts, so it runs before http, fastify and pg
 * are loaded, under `npm start` (tsx) and `node dist/src/main.js` alike.
 */
import type { Tracing } from './tracing';

export const tracing: Tracing | null = process.env.OTEL_EXPORTER_OTLP_ENDPOINT
  ? // A synchronous require: the SDK must have patched http and pg before main.ts's next import loads them.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('./tracing') as typeof import('./tracing')).startTracing()
  : null;
