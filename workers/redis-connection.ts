import { Redis } from 'ioredis';

export interface RedisLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A connection as BullMQ requires it: no per-request retry limit, so blocking commands survive reconnects. */
export function createRedis(url: string, logger: RedisLogger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  redis.on('error', (error: Error) => logger.error({ err: { message: error.message } }, 'redis connection error'));
  return redis;
}

/**
 * A connection for the API's shared rate-limit counters: it fails fast instead of queueing, so a request never
 * waits on an unreachable Redis (the limiter then lets requests through, see src/http/hardening.ts).
 */
export function createRateLimitRedis(url: string, logger: RedisLogger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1_000, commandTimeout: 500, lazyConnect: false });
  redis.on('error', (error: Error) => logger.error({ err: { message: error.message } }, 'rate-limit redis connection error'));
  return redis;
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
