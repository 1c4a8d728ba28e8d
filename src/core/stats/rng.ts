// A seeded, fast, reproducible pseudo-random number generator: xoshiro128** (Blackman & Vigna)
// seeded through splitmix32. Every random procedure in Falsify takes a seed and draws from one of
// these, so a notebook re-run gives the same numbers on any machine (pure 32-bit integer
// arithmetic: no platform-dependent floating point in the stream itself).
//
// Why xoshiro128**: 128 bits of state (period 2^128 − 1), passes BigCrush, and needs only 32-bit
// operations, which JavaScript does exactly and fast (`Math.imul`, `>>>`), unlike 64-bit generators
// that would need BigInt.

export interface Rng {
  /** A uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /** A uniform unsigned 32-bit integer. The cheapest draw; use it in hot loops. */
  uint32(): number;
  /** A uniform integer in [0, n), without modulo bias. `n` must be a positive integer ≤ 2^53. */
  int(n: number): number;
  /** A standard normal draw (Marsaglia's polar method). */
  normal(): number;
  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<T, A extends { length: number; [i: number]: T }>(array: A): A;
  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Int32Array;
  /** `k` distinct indices drawn uniformly from 0..n-1, in random order. */
  sample(n: number, k: number): Int32Array;
  /**
   * An independent child stream. The child's seed mixes one draw of this stream with the label, so
   * forks are reproducible, differ by label, and consuming the child never disturbs this stream.
   */
  fork(label?: string): Rng;
}

/** Creates a generator from any finite number (integers are the usual seeds; 0 is fine). */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`createRng: the seed must be a finite number, got ${seed}`);
  // Seed from all 64 bits of the double so distinct seeds (even non-integers, or > 2^32) give
  // distinct streams; -0 is normalised to 0.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, seed === 0 ? 0 : seed);
  return fromWords(view.getUint32(4), view.getUint32(0));
}

function fromWords(lo: number, hi: number): Rng {
  const mix = splitmix32(lo ^ Math.imul(hi, 0x9e3779b9));
  // State in a typed array: V8 would box 32-bit values kept in closure variables (Smis are 31-bit),
  // allocating on every draw.
  const s = new Int32Array([mix(), mix() ^ hi, mix(), mix()]);
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1; // the all-zero state is the one fixed point

  function uint32(): number {
    const s0 = s[0], s1 = s[1], s2 = s[2] ^ s0, s3 = s[3] ^ s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 9);
    s[3] = rotl(s3, 11);
    return result;
  }

  function next(): number {
    // 27 + 26 bits, the standard construction of a 53-bit double.
    const a = uint32() >>> 5;
    const b = uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  function int(n: number): number {
    if (!(n > 0) || !Number.isInteger(n)) throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
    if (n <= 0x100000000) {
      // Rejection of the top partial block removes modulo bias; rejection probability < n / 2^32.
      // The limit is ≥ 2^32 − n + 1, so it only needs computing for the rare draws above 2^32 − n.
      let x = uint32();
      if (x > 0x100000000 - n) {
        const limit = 0x100000000 - (0x100000000 % n);
        while (x >= limit) x = uint32();
      }
      // x % n, computed without fmod: x / n is never within rounding of an integer for x < 2^32,
      // so the floor is exact.
      return x - Math.floor(x / n) * n;
    }
    if (n > 9007199254740992) throw new RangeError(`Rng.int: n must be at most 2^53, got ${n}`);
    return Math.floor(next() * n);
  }

  let spare = NaN;
  function normal(): number {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = NaN;
      return z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * next() - 1;
      v = 2 * next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * f;
    return u * f;
  }

  function shuffle<T, A extends { length: number; [i: number]: T }>(array: A): A {
    for (let i = array.length - 1; i > 0; i--) {
      const j = int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  function permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return shuffle(out);
  }

  function sample(n: number, k: number): Int32Array {
    if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`Rng.sample: need 0 ≤ k ≤ n, got n=${n}, k=${k}`);
    // Partial Fisher–Yates: the first k slots end up a uniform ordered sample.
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + int(n - i);
      const tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
    }
    return pool.slice(0, k);
  }

  function fork(label = ""): Rng {
    return fromWords(uint32(), hashString(label));
  }

  return { next, uint32, int, normal, shuffle, permutation, sample, fork };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over UTF-16 code units: a stable 32-bit hash for fork labels. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
