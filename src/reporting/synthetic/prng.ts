/**
 * Deterministic randomness for synthetic data: every value comes from a seeded PRNG, so the same seed gives the
 * same database. Each case draws from its own stream (seed, case number, purpose), which makes a case independent
 * of batch size, worker count and the order in which cases are generated.
 */

/** A source of numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: tiny, fast and good enough for test data (not for anything secret). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes 32-bit words into one well-spread 32-bit seed (murmur3's finaliser per word). */
export function hash32(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const w of words) {
    let k = Math.imul(w | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a string: turns `--seed anything` into a 32-bit seed. */
export function seedFromString(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

/** A weighted choice; weights need not sum to 1. */
export class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(private readonly entries: ReadonlyArray<readonly [T, number]>) {
    let sum = 0;
    for (const [, w] of entries) {
      sum += w;
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  pick(rng: Rng): T {
    const x = rng() * this.total;
    for (let i = 0; i < this.cumulative.length; i++) if (x < this.cumulative[i]!) return this.entries[i]![0];
    return this.entries[this.entries.length - 1]![0];
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A UUID version 7 (RFC 9562) for the given moment, its random bits from the PRNG. Time-ordered ids keep the
 * primary-key indexes append-mostly while a million cases are loaded in order of receipt.
 */
export function uuidV7(ms: number, rng: Rng): string {
  const hi = Math.floor(ms / 0x1000000); // top 24 of the 48 timestamp bits
  const lo = ms % 0x1000000;
  const r1 = Math.floor(rng() * 4294967296);
  const r2 = Math.floor(rng() * 4294967296);
  const r3 = Math.floor(rng() * 4294967296);
  return (
    HEX[(hi >>> 16) & 0xff]! +
    HEX[(hi >>> 8) & 0xff]! +
    HEX[hi & 0xff]! +
    HEX[(lo >>> 16) & 0xff]! +
    '-' +
    HEX[(lo >>> 8) & 0xff]! +
    HEX[lo & 0xff]! +
    '-' +
    HEX[0x70 | ((r1 >>> 24) & 0x0f)]! +
    HEX[(r1 >>> 16) & 0xff]! +
    '-' +
    HEX[0x80 | ((r1 >>> 8) & 0x3f)]! +
    HEX[r1 & 0xff]! +
    '-' +
    HEX[(r2 >>> 24) & 0xff]! +
    HEX[(r2 >>> 16) & 0xff]! +
    HEX[(r2 >>> 8) & 0xff]! +
    HEX[r2 & 0xff]! +
    HEX[(r3 >>> 8) & 0xff]! +
    HEX[r3 & 0xff]!
  );
}
