import { Redis } from 'ioredis';
import type { ConnectionWatch } from '../src/shared/outage-log';

export interface RedisLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The one name every Redis connection of a process reports its outages under (they all reach the same server). */
export const REDIS = 'redis';

/**
 * Reports a connection's errors and closes as an outage and its 'ready' as the recovery. Every ioredis connection
 * gets this before its first command: an 'error' event without a listener is thrown, and ioredis keeps retrying.
 */
export function watchRedis(redis: Redis, watch: ConnectionWatch): Redis {
  redis.on('error', (error: Error) => watch.failed(REDIS, error));
  // A server that shuts down cleanly closes the socket without an error; the reconnects that follow fail with one.
  redis.on('close', () => watch.failed(REDIS, new Error('connection closed')));
  redis.on('ready', () => watch.recovered(REDIS));
  return redis;
}

/** A connection as BullMQ requires it: no per-request retry limit, so blocking commands survive reconnects. */
export function createRedis(url: string, watch: ConnectionWatch): Redis {
  return watchRedis(new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true }), watch);
}

/**
 * A connection for the API's shared rate-limit counters: it fails fast instead of queueing, so a request never
 * waits on an unreachable Redis (the limiter then lets requests through, see src/http/hardening.ts).
 */
export function createRateLimitRedis(url: string, watch: ConnectionWatch): Redis {
  return watchRedis(new Redis(url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1_000, commandTimeout: 500, lazyConnect: false }), watch);
}

const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

/** Whether an error a BullMQ object emits is its connection failing (an outage) rather than a fault of its own. */
export function isRedisConnectionError(error: Error): boolean {
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (CONNECTION_ERRNOS.has(code)) return true;
  return /Connection is closed|Stream isn't writeable|connect ETIMEDOUT|ECONNREFUSED|ECONNRESET|max retries per request|LOADING/.test(error.message);
}

/**
 * An 'error' listener for a BullMQ Queue, Worker or QueueEvents: connection failures join the process's Redis
 * outage (logged once); anything else is logged as JSON, one line each.
 */
export function bullmqErrorListener(what: { kind: 'queue' | 'worker' | 'queue-events'; queue: string }, watch: ConnectionWatch, logger: RedisLogger): (error: Error) => void {
  return (error: Error) => {
    if (isRedisConnectionError(error)) watch.failed(REDIS, error);
    else logger.error({ ...what, err: { type: error.name, message: error.message } }, `bullmq ${what.kind} error`);
  };
}

/** BullMQ loses jobs if Redis evicts keys under memory pressure: warn loudly unless the policy is noeviction. */
export async function checkEvictionPolicy(redis: Redis, logger: RedisLogger): Promise<string | null> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy'));
    const policy = reply[1] ?? null;
    if (policy !== 'noeviction') {
      logger.warn({ maxmemoryPolicy: policy }, 'REDIS maxmemory-policy IS NOT noeviction: under memory pressure Redis may evict deadline jobs. Set maxmemory-policy noeviction.');
    }
    return policy;
  } catch {
    logger.warn({}, 'could not read maxmemory-policy (CONFIG disabled?): make sure it is noeviction');
    return null;
  }
}
