// Permutation tests: the null distribution is built by re-randomising what the null hypothesis says
// is exchangeable, so no distributional assumption is needed.
//
//   permutationTest             two independent samples; statistic mean(x) − mean(y); group labels shuffled.
//   pairedPermutationTest       paired samples; statistic mean(x − y); the sign of each difference flipped.
//   correlationPermutationTest  association; statistic Pearson r (or Spearman rho); y shuffled against x.
//
// p-values (as scipy.stats.permutation_test computes them):
// - Monte Carlo (the default when there are more distinct arrangements than `nResamples`):
//   p = (k + 1) / (n + 1), k = resamples at least as extreme as the observed statistic, n = nResamples.
//   Counting the observed arrangement keeps p > 0 and the test exactly valid (Phipson & Smyth 2010).
// - Exact (when every distinct arrangement fits in `nResamples`, as scipy does): all arrangements,
//   the observed one included, are enumerated and p = k / N.
// - "At least as extreme" tolerates 100·ε relative to the statistic's scale, so that arrangements
//   equal to the observed one in exact arithmetic are not lost to rounding. The scale is the largest
//   |value| entering the statistic (or |T| when larger): scipy's rule, 100·ε·|T|, loses such ties when
//   T is small next to the data (e.g. T = 0.025 from values near 2, off by 7e-16 after rounding).
// - Two-sided, two conventions (`twoSided`), both valid tests:
//   `absolute` (default): k counts |T*| ≥ |T|, the textbook two-sided permutation test; never above 1.
//   `doubled`: twice the smaller one-sided p, capped at 1, as scipy.stats.permutation_test computes it.
//   They agree when the null distribution is symmetric (always for sign flips) and differ otherwise,
//   e.g. for two samples of unequal size: in exact cases the doubled p can be the smaller one.
// Every Monte Carlo test draws from `createRng(seed)` (default seed 0), so results are reproducible.
// The hot loops work in place on typed arrays and allocate nothing per resample.
import { createRng, type Rng } from "./rng";
import { rank } from "./rank";
import { checkAlternative, checkPaired, checkSample, StatsError, type Alternative, type Sample } from "./sample";

/** How a two-sided p is computed (see the module comment). */
export const TWO_SIDED_RULES = ["absolute", "doubled"] as const;
export type TwoSidedRule = (typeof TWO_SIDED_RULES)[number];

export interface PermutationOptions {
  /** `greater`: x above y (or a positive correlation). Default `two-sided`. */
  alternative?: Alternative;
  /** Two-sided p: `absolute` counts |T*| ≥ |T| (default); `doubled` is scipy's 2·min(one-sided p). */
  twoSided?: TwoSidedRule;
  /** Number of Monte Carlo resamples. Default 10,000. */
  nResamples?: number;
  /** Seed of the resampling stream. Default 0. */
  seed?: number;
  /** `auto` (default): enumerate exactly when there are at most `nResamples` arrangements. `false`: always Monte Carlo. */
  exact?: "auto" | false;
}

export interface PermutationResult {
  test: "permutation" | "paired-permutation" | "correlation-permutation";
  statistic: number;
  p: number;
  alternative: Alternative;
  /** The two-sided convention `p` follows, when `alternative` is two-sided. */
  twoSided?: TwoSidedRule;
  /** Resamples drawn (Monte Carlo) or arrangements enumerated (exact). */
  nResamples: number;
  exact: boolean;
  /** The statistic under each resample/arrangement: the null distribution, e.g. for a histogram. */
  null: Float64Array;
}

/** Two-sample permutation test of mean(x) − mean(y) (labels exchangeable under the null). */
export function permutationTest(x: Sample, y: Sample, options: PermutationOptions = {}): PermutationResult {
  checkSample(x, "x", 1);
  checkSample(y, "y", 1);
  const { nResamples, exact } = settings(options);
  const n1 = x.length;
  const n = n1 + y.length;
  const pooled = new Float64Array(n);
  for (let i = 0; i < n1; i++) pooled[i] = x[i];
  for (let i = 0; i < y.length; i++) pooled[n1 + i] = y[i];
  let total = 0;
  for (let i = 0; i < n; i++) total += pooled[i];
  // Same formula for the observed and the permuted statistics, so equal arrangements round equally.
  const diff = (sumX: number) => sumX / n1 - (total - sumX) / (n - n1);
  let sumX = 0;
  for (let i = 0; i < n1; i++) sumX += pooled[i];
  const observed = diff(sumX);

  const arrangements = binomialUpTo(n, n1, nResamples);
  if (exact === "auto" && arrangements <= nResamples) {
    const nul = new Float64Array(arrangements);
    let k = 0;
    forEachCombination(n, n1, (chosen) => {
      let s = 0;
      for (let i = 0; i < n1; i++) s += pooled[chosen[i]];
      nul[k++] = diff(s);
    });
    return result("permutation", observed, nul, options, true, maxAbs(pooled));
  }
  const rng = createRng(options.seed ?? 0);
  const nul = new Float64Array(nResamples);
  // Partial Fisher–Yates: the first k slots become a uniform random subset, drawn for the smaller
  // group (its complement is the other group).
  const k = Math.min(n1, n - n1);
  for (let r = 0; r < nResamples; r++) {
    let s = 0;
    for (let i = 0; i < k; i++) {
      const j = i + rng.int(n - i);
      const v = pooled[j];
      pooled[j] = pooled[i];
      pooled[i] = v;
      s += v;
    }
    nul[r] = diff(k === n1 ? s : total - s);
  }
  return result("permutation", observed, nul, options, false, maxAbs(pooled));
}

/** Paired permutation test of mean(x − y): each pair's difference keeps or flips its sign under the null. */
export function pairedPermutationTest(x: Sample, y: Sample, options: PermutationOptions = {}): PermutationResult {
  checkPaired(x, y, 1);
  const { nResamples, exact } = settings(options);
  const n = x.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = x[i] - y[i];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += d[i];
  const observed = sum / n;

  if (exact === "auto" && n < 31 && 2 ** n <= nResamples) {
    const count = 2 ** n;
    const nul = new Float64Array(count);
    for (let mask = 0; mask < count; mask++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (mask >>> i) & 1 ? -d[i] : d[i];
      nul[mask] = s / n;
    }
    return result("paired-permutation", observed, nul, options, true, maxAbs(d));
  }
  // Flipping the signs of a subset F gives the sum total − 2·Σ_F d. Σ_F d is read from tables of
  // the 256 subset sums of each block of 8 differences, one random byte per block: n/8 lookups per
  // resample instead of n branches.
  const blocks = Math.ceil(n / 8);
  const table = new Float64Array(blocks * 256);
  for (let b = 0; b < blocks; b++) {
    const at = b * 256;
    for (let mask = 1; mask < 256; mask++) {
      const low = mask & -mask;
      const i = b * 8 + 31 - Math.clz32(low);
      table[at + mask] = table[at + (mask ^ low)] + (i < n ? d[i] : 0);
    }
  }
  const rng = createRng(options.seed ?? 0);
  const nul = new Float64Array(nResamples);
  for (let r = 0; r < nResamples; r++) {
    let flipped = 0;
    let word = 0;
    for (let b = 0; b < blocks; b++) {
      if ((b & 3) === 0) word = rng.uint32();
      flipped += table[b * 256 + ((word >>> ((b & 3) * 8)) & 255)];
    }
    nul[r] = (sum - 2 * flipped) / n;
  }
  return result("paired-permutation", observed, nul, options, false, maxAbs(d));
}

/** Permutation test of association: Pearson r (or Spearman rho, `method: "spearman"`) with y shuffled. */
export function correlationPermutationTest(
  x: Sample,
  y: Sample,
  options: PermutationOptions & { method?: "pearson" | "spearman" } = {},
): PermutationResult {
  checkPaired(x, y, 2);
  const { nResamples, exact } = settings(options);
  const method = options.method ?? "pearson";
  if (method !== "pearson" && method !== "spearman") throw new StatsError("invalid-argument", `method must be "pearson" or "spearman", got "${method}"`);
  // Standardise once (Σz = 0, Σz² = 1): then r = Σ zx·zy for every arrangement of zy.
  const zx = standardise(method === "spearman" ? rank(x) : x, "x");
  const zy = standardise(method === "spearman" ? rank(y) : y, "y");
  const n = zx.length;
  const dot = () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += zx[i] * zy[i];
    return s;
  };
  const observed = dot();
  if (exact === "auto" && factorialUpTo(n, nResamples) <= nResamples) {
    const nul: number[] = [];
    forEachPermutation(zy, () => nul.push(dot()));
    return result("correlation-permutation", observed, Float64Array.from(nul), options, true, 1);
  }
  const rng: Rng = createRng(options.seed ?? 0);
  const nul = new Float64Array(nResamples);
  for (let r = 0; r < nResamples; r++) {
    rng.shuffle(zy);
    nul[r] = dot();
  }
  return result("correlation-permutation", observed, nul, options, false, 1);
}

/**
 * The p-value of `observed` against a null distribution, with the module's conventions: Monte
 * Carlo (k + 1) / (n + 1), exact k / N, tolerance 100·ε·max(|T|, scale) (`scale`: the largest |value|
 * entering the statistic), two-sided by `twoSided`.
 */
export function permutationPValue(observed: number, nul: ArrayLike<number>, alternative: Alternative, exact: boolean, twoSided: TwoSidedRule = "absolute", scale = 0): number {
  if (alternative === "two-sided" && twoSided === "doubled") {
    const oneSided = (side: Alternative) => permutationPValue(observed, nul, side, exact, twoSided, scale);
    return Math.min(1, 2 * Math.min(oneSided("less"), oneSided("greater")));
  }
  const gamma = Math.max(Math.abs(observed), scale) * 100 * Number.EPSILON;
  let k = 0;
  if (alternative === "greater") {
    for (let i = 0; i < nul.length; i++) if (nul[i] >= observed - gamma) k++;
  } else if (alternative === "less") {
    for (let i = 0; i < nul.length; i++) if (nul[i] <= observed + gamma) k++;
  } else {
    const threshold = Math.abs(observed) - gamma;
    for (let i = 0; i < nul.length; i++) if (Math.abs(nul[i]) >= threshold) k++;
  }
  return exact ? k / nul.length : (k + 1) / (nul.length + 1);
}

function settings(options: PermutationOptions): { nResamples: number; exact: "auto" | false } {
  const nResamples = options.nResamples ?? 10_000;
  if (!Number.isInteger(nResamples) || nResamples < 1) {
    throw new StatsError("invalid-argument", `nResamples must be a positive integer, got ${nResamples}`);
  }
  checkAlternative(options.alternative ?? "two-sided");
  if (options.twoSided !== undefined && !TWO_SIDED_RULES.includes(options.twoSided)) {
    throw new StatsError("invalid-argument", `twoSided must be ${TWO_SIDED_RULES.join(" or ")}, got ${JSON.stringify(options.twoSided)}`);
  }
  return { nResamples, exact: options.exact ?? "auto" };
}

function result(test: PermutationResult["test"], statistic: number, nul: Float64Array, options: PermutationOptions, exact: boolean, scale: number): PermutationResult {
  const alternative = options.alternative ?? "two-sided";
  const twoSided = alternative === "two-sided" ? (options.twoSided ?? "absolute") : undefined;
  const p = permutationPValue(statistic, nul, alternative, exact, twoSided, scale);
  return { test, statistic, p, alternative, ...(twoSided ? { twoSided } : {}), nResamples: nul.length, exact, null: nul };
}

function maxAbs(values: Float64Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}

function standardise(v: Sample, name: string): Float64Array {
  const n = v.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += v[i];
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (v[i] - m) ** 2;
  if (ss === 0) throw new StatsError("invalid-argument", `${name} is constant, so its correlation is undefined`);
  const z = new Float64Array(n);
  const scale = 1 / Math.sqrt(ss);
  for (let i = 0; i < n; i++) z[i] = (v[i] - m) * scale;
  return z;
}

/** C(n, k), or any number above `limit` as soon as it is known to exceed it. */
function binomialUpTo(n: number, k: number, limit: number): number {
  let c = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) {
    c = (c * (n - Math.min(k, n - k) + i)) / i;
    if (c > limit) return Infinity;
  }
  return Math.round(c);
}

function factorialUpTo(n: number, limit: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) if ((f *= i) > limit) return Infinity;
  return f;
}

/** Calls `visit` with each k-subset of 0..n-1 (lexicographic; the first is the identity split). */
function forEachCombination(n: number, k: number, visit: (chosen: Int32Array) => void): void {
  const c = new Int32Array(k);
  for (let i = 0; i < k; i++) c[i] = i;
  for (;;) {
    visit(c);
    let i = k - 1;
    while (i >= 0 && c[i] === n - k + i) i--;
    if (i < 0) return;
    c[i]++;
    for (let j = i + 1; j < k; j++) c[j] = c[j - 1] + 1;
  }
}

/** Heap's algorithm: permutes `a` in place through all n! orders, calling `visit` after each. */
function forEachPermutation(a: Float64Array, visit: () => void): void {
  const n = a.length;
  const c = new Int32Array(n);
  visit();
  for (let i = 1; i < n; ) {
    if (c[i] < i) {
      const j = i % 2 === 0 ? 0 : c[i];
      const t = a[j];
      a[j] = a[i];
      a[i] = t;
      visit();
      c[i]++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
}
