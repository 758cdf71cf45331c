import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Socket } from 'node:net';
import { problem, PROBLEM_CONTENT_TYPE } from './problem';

/** Fastify's router errors, before any route runs: fixed messages, never the path (caller input that may hold anything). */
const ROUTER_ERRORS: Record<string, { status: number; message: string }> = {
  FST_ERR_BAD_URL: { status: 400, message: 'the path is not a valid URL (malformed percent-encoding)' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, message: 'a path parameter is too long' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 500, message: 'the route could not be matched' },
};

function body(status: number, code: string, message: string): string {
  return JSON.stringify(problem({ status, code, detail: message }));
}

/** `frameworkErrors`: the router's errors in the one error shape, without echoing the path. */
export const frameworkErrors = (error: Error & { code?: string }, _request: FastifyRequest, reply: FastifyReply) => {
  const known = ROUTER_ERRORS[error.code ?? ''] ?? { status: 400, message: 'the request could not be routed' };
  const code = (error.code ?? 'FST_ERR_BAD_REQUEST').replace(/^FST_ERR_/, '');
  void reply.code(known.status).header('cache-control', 'no-store').type(PROBLEM_CONTENT_TYPE).send(body(known.status, `REQUEST.${code}`, known.message));
};

/** Errors of Node's HTTP parser (header too large, malformed request line): answered on the socket in the same shape. */
const CLIENT_ERRORS: Record<string, { status: number; reason: string; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', code: 'REQUEST.HEADERS_TOO_LARGE', message: 'the request headers are too large' },
  HPE_URI_TOO_LONG: { status: 414, reason: 'URI Too Long', code: 'REQUEST.URI_TOO_LONG', message: 'the request target is too long' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', code: 'REQUEST.TIMEOUT', message: 'the request took too long to arrive' },
};

export const clientErrorHandler: NonNullable<FastifyServerOptions['clientErrorHandler']> = (error: Error & { code?: string }, socket: Socket) => {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const known = CLIENT_ERRORS[error.code ?? ''] ?? { status: 400, reason: 'Bad Request', code: 'REQUEST.MALFORMED', message: 'the request is not valid HTTP' };
  const payload = body(known.status, known.code, known.message);
  socket.end(
    `HTTP/1.1 ${known.status} ${known.reason}\r\nconnection: close\r\ncontent-type: ${PROBLEM_CONTENT_TYPE}\r\ncache-control: no-store\r\ncontent-length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
  );
};
