import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LIVE_BODY, readiness, type HealthProbe } from '../http/routes/health.routes';

export interface OpsServerOptions {
  host: string;
  port: number;
  health: HealthProbe;
  /** The Prometheus exposition, when metrics are collected. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A small HTTP server beside the API, on OPS_PORT: /health/live, /health/ready and /metrics, without tokens and
 * without the API's routes. It gives the worker role (which serves no API) a health endpoint and lets Prometheus
 * scrape a port that is not exposed to clients.
 */
export async function startOpsServer(o: OpsServerOptions): Promise<OpsServer> {
  const send = (res: ServerResponse, status: number, contentType: string, body: string) => {
    res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET') return json(res, 405, { status: 'method not allowed' });
    if (path === '/health/live') return json(res, 200, LIVE_BODY);
    if (path === '/health/ready') {
      const r = await readiness(o.health);
      return json(res, r.ok ? 200 : 503, r.body);
    }
    if (path === '/metrics' && o.metrics) {
      const m = await o.metrics();
      return send(res, 200, m.contentType, m.body);
    }
    return json(res, 404, { status: 'not found' });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      o.log.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'ops server request failed');
      if (!res.headersSent) json(res, 500, { status: 'error' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  o.log.info({ host: o.host, port }, 'ops server listening (health, metrics)');
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
