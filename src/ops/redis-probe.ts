import type { Redis } from 'ioredis';
import type { HealthProbe } from '../http/routes/health.routes';

/** Redis answers PING within a second; without Redis (embedded mode) it is not configured, which is not a failure. */
export function redisProbe(redis: Redis | null): HealthProbe['redis'] {
  return async () => {
    if (!redis) return { ok: false, configured: false, mode: 'embedded: in-process reconciler keeps deadlines' };
    try {
      const ping = await Promise.race([redis.ping(), new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 1_000).unref())]);
      return { ok: ping === 'PONG', configured: true, mode: 'bullmq' };
    } catch {
      return { ok: false, configured: true, mode: 'bullmq' };
    }
  };
}
