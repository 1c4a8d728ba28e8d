// Bootstrap confidence intervals (percentile, basic and BCa) with scipy.stats.bootstrap's
// conventions, so a notebook's interval can be checked against Python:
// - each sample is resampled with replacement independently, or, with `paired`, the same indices
//   are drawn for every sample (pairs stay together);
// - the interval is read off the bootstrap distribution with linear interpolation (numpy's default
//   quantile), at α and 1 − α with α = (1 − level)/2 (two-sided) or 1 − level (one-sided, the
//   other end being ±∞);
// - BCa (Efron & Tibshirani 1993, §14.3): bias correction z₀ = Φ⁻¹(mean-rank of the estimate in
//   the bootstrap distribution) and acceleration â from the jackknife, leaving out one observation
//   of one sample at a time (one pair at a time when paired), summed over the samples.
// Defaults follow scipy: BCa, 9,999 resamples, level 0.95. Reproducible through `seed` (default 0).
import { createRng } from "./rng";
import { checkAlternative, checkLevel, checkSample, StatsError, type Alternative, type Sample } from "./sample";
import { normalCdf, normalQuantile } from "./special";

export type BootstrapMethod = "percentile" | "basic" | "bca";

/** A statistic of one or more samples (in the order given), e.g. `(x, y) => mean(x) − mean(y)`. */
export type Statistic = (...samples: Float64Array[]) => number;

export interface BootstrapOptions {
  /** Default `bca`. */
  method?: BootstrapMethod;
  /** Default 0.95. */
  confidenceLevel?: number;
  /** `greater` gives [lower, ∞), `less` (−∞, upper]. Default `two-sided`. */
  alternative?: Alternative;
  /** Default 9,999. */
  nResamples?: number;
  /** Default 0. */
  seed?: number;
  /** Resample pairs (equal-length samples, same indices for all). Default false. */
  paired?: boolean;
}

export interface BootstrapResult {
  /** The statistic on the data. */
  estimate: number;
  ci: [number, number];
  /** Standard deviation of the bootstrap distribution (ddof 1). */
  standardError: number;
  method: BootstrapMethod;
  confidenceLevel: number;
  alternative: Alternative;
  nResamples: number;
  /** The statistic on each resample. */
  distribution: Float64Array;
  /** BCa only: the bias correction z₀ and acceleration â. */
  bca?: { biasCorrection: number; acceleration: number };
}

/** A bootstrap confidence interval of `statistic` over `samples`. */
export function bootstrap(samples: Sample[], statistic: Statistic, options: BootstrapOptions = {}): BootstrapResult {
  const method = options.method ?? "bca";
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  const alternative = options.alternative ?? "two-sided";
  const nResamples = options.nResamples ?? 9_999;
  const paired = options.paired ?? false;
  checkLevel(confidenceLevel);
  checkAlternative(alternative);
  if (method !== "percentile" && method !== "basic" && method !== "bca") {
    throw new StatsError("invalid-argument", `method must be "percentile", "basic" or "bca", got "${method}"`);
  }
  if (!Number.isInteger(nResamples) || nResamples < 2) throw new StatsError("invalid-argument", `nResamples must be an integer ≥ 2, got ${nResamples}`);
  if (samples.length === 0) throw new StatsError("too-few-values", "bootstrap needs at least one sample");
  samples.forEach((s, i) => checkSample(s, `samples[${i}]`, 2));
  if (paired && samples.some((s) => s.length !== samples[0].length)) {
    throw new StatsError("length-mismatch", `paired bootstrap needs equal-length samples, got ${samples.map((s) => s.length).join(", ")}`);
  }

  const data = samples.map((s) => Float64Array.from(s));
  const estimate = statistic(...data);
  const rng = createRng(options.seed ?? 0);
  const buffers = data.map((s) => new Float64Array(s.length));
  const distribution = new Float64Array(nResamples);
  for (let r = 0; r < nResamples; r++) {
    if (paired) {
      const n = data[0].length;
      for (let i = 0; i < n; i++) {
        const j = rng.int(n);
        for (let s = 0; s < data.length; s++) buffers[s][i] = data[s][j];
      }
    } else {
      for (let s = 0; s < data.length; s++) {
        const src = data[s], dst = buffers[s], n = src.length;
        for (let i = 0; i < n; i++) dst[i] = src[rng.int(n)];
      }
    }
    distribution[r] = statistic(...buffers);
  }

  const alpha = alternative === "two-sided" ? (1 - confidenceLevel) / 2 : 1 - confidenceLevel;
  let levels: [number, number] = [alpha, 1 - alpha];
  let bca: BootstrapResult["bca"];
  if (method === "bca") {
    const biasCorrection = normalQuantile(meanRank(distribution, estimate));
    const acceleration = jackknifeAcceleration(data, statistic, paired);
    bca = { biasCorrection, acceleration };
    const adjust = (z: number) => normalCdf(biasCorrection + (biasCorrection + z) / (1 - acceleration * (biasCorrection + z)));
    levels = [adjust(normalQuantile(alpha)), adjust(-normalQuantile(alpha))];
    if (!levels.every(Number.isFinite)) {
      throw new StatsError("invalid-argument", "the BCa interval cannot be computed (degenerate bootstrap distribution); use method: \"percentile\"");
    }
  }
  const sorted = Float64Array.from(distribution).sort();
  let ci: [number, number] = [quantileSorted(sorted, levels[0]), quantileSorted(sorted, levels[1])];
  if (method === "basic") ci = [2 * estimate - ci[1], 2 * estimate - ci[0]];
  if (alternative === "less") ci[0] = -Infinity;
  if (alternative === "greater") ci[1] = Infinity;
  return { estimate, ci, standardError: sd(distribution), method, confidenceLevel, alternative, nResamples, distribution, ...(bca ? { bca } : {}) };
}

/** Linear-interpolation quantile of sorted values (numpy's default, "type 7"). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Fraction of the distribution below `score`, ties counting half (percentileofscore, kind "mean"). */
function meanRank(distribution: Float64Array, score: number): number {
  let below = 0, atOrBelow = 0;
  for (const v of distribution) {
    if (v < score) below++;
    if (v <= score) atOrBelow++;
  }
  return (below + atOrBelow) / (2 * distribution.length);
}

function jackknifeAcceleration(data: Float64Array[], statistic: Statistic, paired: boolean): number {
  // Leave-one-out statistics per resampling unit: the pairs (paired) or each sample in turn.
  const groups = paired ? [data.map((_, s) => s)] : data.map((_, s) => [s]);
  let num = 0, den = 0;
  for (const group of groups) {
    const n = data[group[0]].length;
    const loo = data.slice();
    const thetas = new Float64Array(n);
    const reduced = group.map(() => new Float64Array(n - 1));
    for (let i = 0; i < n; i++) {
      group.forEach((s, g) => {
        const src = data[s], dst = reduced[g];
        for (let k = 0, m = 0; k < n; k++) if (k !== i) dst[m++] = src[k];
        loo[s] = dst;
      });
      thetas[i] = statistic(...loo);
    }
    let meanTheta = 0;
    for (const t of thetas) meanTheta += t / n;
    let s2 = 0, s3 = 0;
    for (const t of thetas) {
      const u = (n - 1) * (meanTheta - t);
      s2 += u * u;
      s3 += u * u * u;
    }
    num += s3 / n ** 3;
    den += s2 / n ** 2;
  }
  return num / (6 * den ** 1.5);
}

function sd(x: Float64Array): number {
  let m = 0;
  for (const v of x) m += v / x.length;
  let ss = 0;
  for (const v of x) ss += (v - m) ** 2;
  return Math.sqrt(ss / (x.length - 1));
}
