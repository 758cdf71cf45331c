/**
 * Deterministic randomness for synthetic data: every value comes from a seeded PRNG, so the same seed gives the
 * same database. Each case draws from its own stream (seed, case number, purpose), which makes a case independent
 * of batch size, worker count and the order in which cases are generated.
 */

/** A source of numbers in [0, 1). */
export type Rng = () => number;

/**
 * sfc32 (Chris Doty-Humphrey's small fast counting generator): 128 bits of state, so the streams of a million cases
 * never run into each other. (A 32-bit-state generator such as mulberry32 visits only 2^32 states: across a million
 * cases' streams two of them meet, and from there on produce the same values, ids included.)
 */
export function sfc32(a: number, b: number, c: number, d: number): Rng {
  a >>>= 0;
  b >>>= 0;
  c >>>= 0;
  d >>>= 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // let the seed words mix before the first value is used
  return next;
}

/** A stream of its own for the given words (seed, case number, purpose): four independent hashes seed sfc32. */
export function streamOf(...words: number[]): Rng {
  return sfc32(hash32(...words, 1), hash32(...words, 2), hash32(...words, 3), hash32(...words, 4));
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
