/** Deterministic pseudo-random source: the seed must give byte-identical data for the same `now`. */
export interface Random {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  id(prefix: string): string;
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** mulberry32: tiny, fast, and good enough for fixture data (not for anything secret). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to derive a numeric seed from a name such as a tenant id. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function createRandom(seedText: string): Random {
  const next = mulberry32(hashString(seedText));
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new TypeError('pick() needs a non-empty list');
      return item;
    },
    chance: (probability) => next() < probability,
    id(prefix) {
      let suffix = '';
      for (let i = 0; i < 12; i++) suffix += ID_ALPHABET[int(0, ID_ALPHABET.length - 1)];
      return `${prefix}_${suffix}`;
    },
  };
}
