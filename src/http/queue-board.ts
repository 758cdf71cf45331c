import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TokenVerifier } from '../auth/token-verifier';
import { AppError } from '../shared/errors';
import type { ErrorHandler } from './error-handler';

export const QUEUE_BOARD_PATH = '/admin/queues';
const COOKIE = 'vt_queue_board';
const SIGN_IN = `${QUEUE_BOARD_PATH}/sign-in`;
const SIGN_OUT = `${QUEUE_BOARD_PATH}/sign-out`;

export interface QueueBoardOptions {
  queues: Queue[];
  verifier: TokenVerifier;
  /** The app's error handler: Bull Board sets one of its own in its scope, and refusals must stay problem details. */
  onError: ErrorHandler;
  /** `Secure` on the cookie: true when the service is reached over https (PUBLIC_BASE_URL). */
  secureCookie: boolean;
}

/** The sign-in form: no script and no inline style, so it holds under the strict CSP. */
const SIGN_IN_PAGE = `<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Wachtrijen: aanmelden</title></head>
<body>
<main>
<h1>Wachtrijen (beheerder)</h1>
<p>Plak een beheerderstoken (zoals voor de API). Het wordt als cookie bewaard, alleen voor ${QUEUE_BOARD_PATH}, tot het verloopt.</p>
<form method="post" action="${SIGN_IN}">
<label for="token">Token</label>
<input id="token" name="token" type="password" autocomplete="off" required>
<button type="submit">Aanmelden</button>
</form>
</main>
</body>
</html>
`;

function tokenFromCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE && value.length > 0) return value.join('=');
  }
  return undefined;
}

/** The bearer header, else the board's cookie (a browser cannot send a header when it follows a link). */
export function queueBoardAuthorization(request: FastifyRequest): string | undefined {
  if (request.headers.authorization) return request.headers.authorization;
  const token = tokenFromCookie(request.headers.cookie);
  return token ? `Bearer ${token}` : undefined;
}

/**
 * Bull Board at /admin/queues: the BullMQ queues (deadlines, notifications) with their jobs, for a beheerder only,
 * read-only (no retry, remove, promote or add: timers are put right by the reconciler, not by hand). Every request is
 * authenticated as the API's are, by the same token verifier: a bearer header, or the cookie that
 * POST /admin/queues/sign-in sets from a beheerder's token (HttpOnly, SameSite=Strict, path /admin/queues, expiring
 * with the token). Job payloads hold ids only (workers/job-catalogue.ts), so the board shows no personal data.
 * Hidden from the OpenAPI document: a browser page, not part of the API.
 */
export function queueBoardRoutes(o: QueueBoardOptions) {
  return async (app: FastifyInstance) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    app.get(SIGN_IN, { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(SIGN_IN_PAGE));

    app.post(SIGN_IN, { schema: { hide: true } }, async (request, reply) => {
      const body = request.body as Record<string, unknown> | undefined;
      const token = typeof body?.token === 'string' ? body.token.trim() : '';
      const authorization = token ? `Bearer ${token}` : request.headers.authorization;
      const principal = await o.verifier.verify(authorization);
      request.principal = principal;
      if (principal.role !== 'beheerder') throw new AppError('AUTH.FORBIDDEN', 'only a beheerder sees the queues');
      const value = authorization!.replace(/^Bearer\s+/i, '');
      const maxAge = principal.expiresAt ? Math.max(0, Math.floor((principal.expiresAt.getTime() - Date.now()) / 1000)) : 3600;
      const cookie = `${COOKIE}=${value}; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${o.secureCookie ? '; Secure' : ''}`;
      return reply.code(303).header('set-cookie', cookie).header('location', QUEUE_BOARD_PATH).header('cache-control', 'no-store').send();
    });

    app.post(SIGN_OUT, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(303)
        .header('set-cookie', `${COOKIE}=; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=0${o.secureCookie ? '; Secure' : ''}`)
        .header('location', SIGN_IN)
        .send(),
    );

    await app.register(async (board) => {
      board.addHook('onRequest', async (request, reply) => {
        try {
          // The rate limiter may have verified a bearer header already; a cookie is verified here.
          request.principal ??= await o.verifier.verify(queueBoardAuthorization(request));
          if (request.principal.role !== 'beheerder') throw new AppError('AUTH.FORBIDDEN', 'only a beheerder sees the queues');
          // Read-only, also for the pause and resume of all queues that Bull Board's readOnlyMode lets through.
          if (request.method !== 'GET' && request.method !== 'HEAD') throw new AppError('AUTH.FORBIDDEN', 'the queue board is read-only: missed timers are restored by the reconciler');
        } catch (error) {
          return o.onError(error instanceof Error ? error : new Error(String(error)), request, reply);
        }
        void reply.header('cache-control', 'no-store');
      });
      // The page links a web font from another origin: a browser in a data centre fetches nothing from outside, and the
      // CSP would refuse it anyway. Without the link the board uses system fonts.
      board.addHook('onSend', async (_request, reply, payload) => {
        if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
        return payload.replace(/<link[^>]*href="https:\/\/fonts\.(?:googleapis|gstatic)\.com[^"]*"[^>]*>/g, '');
      });
      const adapter = new FastifyAdapter();
      adapter.setBasePath(QUEUE_BOARD_PATH);
      createBullBoard({
        queues: o.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
        serverAdapter: adapter,
        options: { uiConfig: { boardTitle: 'Veilig Thuis' } },
      });
      await board.register(adapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
    });
  };
}
