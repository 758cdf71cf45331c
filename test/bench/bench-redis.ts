/** Redis measuring helpers for the benches: this Redis is shared, so only keys under our own prefixes are ever touched. */
import type { Redis } from 'ioredis';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function redisInfo(redis: Redis, section: string): Promise<Record<string, string>> {
  const text = await redis.info(section);
  return Object.fromEntries(
    text
      .split('\r\n')
      .filter((l) => l.includes(':') && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
  );
}

/** used_memory once lazily freed objects (UNLINK of an earlier prefix) are gone, so they do not blur a delta. */
export async function settledUsedMemory(redis: Redis): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const info = await redisInfo(redis, 'memory');
    if (Number(info.lazyfree_pending_objects ?? 0) === 0) return Number(info.used_memory);
    await sleep(100);
  }
  return Number((await redisInfo(redis, 'memory')).used_memory);
}

export async function* scanPrefix(redis: Redis, prefix: string): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 2000);
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}

/** SCAN + UNLINK of `${prefix}:*` only; never FLUSHALL/FLUSHDB (other people use this Redis). */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of scanPrefix(redis, prefix)) await redis.unlink(...keys);
}

/** Exact bytes of our own keys (MEMORY USAGE … SAMPLES 0), immune to what others do on the shared Redis. */
export async function ownKeyBytes(redis: Redis, prefix: string): Promise<{ keys: number; bytes: number }> {
  let keys = 0;
  let bytes = 0;
  for await (const batch of scanPrefix(redis, prefix)) {
    const pipeline = redis.pipeline();
    for (const key of batch) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    for (const [, n] of (await pipeline.exec()) ?? []) bytes += Number(n ?? 0);
    keys += batch.length;
  }
  return { keys, bytes };
}
