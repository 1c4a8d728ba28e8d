// The exact binomial test and the Clopper–Pearson interval: "are k correct answers out of n above
// chance p?" (e.g. forward-prediction accuracy against 1 / number of choices). Matches
// scipy.stats.binomtest's p-value (two-sided: the probabilities of every outcome no likelier than
// the observed one, with scipy's 1e-7 relative slack) and proportion_ci(method="exact").
import { type Alternative, checkAlternative, checkLevel, StatsError } from "./sample";
import { incompleteBeta, logGamma } from "./special";

export interface BinomialOptions {
  /** The success probability under the null. Default 0.5. */
  p?: number;
  alternative?: Alternative;
  confidenceLevel?: number;
}

export interface BinomialTestResult {
  test: "binomial";
  /** The observed proportion k / n. */
  statistic: number;
  successes: number;
  trials: number;
  /** The null's success probability. */
  nullProportion: number;
  p: number;
  alternative: Alternative;
  /** Clopper–Pearson interval of the proportion; one-sided alternatives give a one-sided interval, as scipy. */
  ci: [number, number];
  confidenceLevel: number;
}

export function binomialTest(successes: number, trials: number, options: BinomialOptions = {}): BinomialTestResult {
  const p0 = options.p ?? 0.5;
  const alternative = options.alternative ?? "two-sided";
  const level = options.confidenceLevel ?? 0.95;
  checkAlternative(alternative);
  checkLevel(level);
  if (!(Number.isInteger(trials) && trials >= 1)) throw new StatsError("invalid-argument", `trials must be a positive integer, got ${trials}`);
  if (!(Number.isInteger(successes) && successes >= 0 && successes <= trials)) throw new StatsError("invalid-argument", `successes must be an integer in [0, ${trials}], got ${successes}`);
  if (!(p0 > 0 && p0 < 1)) throw new StatsError("invalid-argument", `p must be in (0, 1), got ${p0}`);
  const k = successes, n = trials;
  const p = alternative === "greater" ? upperTail(k, n, p0) : alternative === "less" ? lowerTail(k, n, p0) : twoSided(k, n, p0);
  return { test: "binomial", statistic: k / n, successes: k, trials: n, nullProportion: p0, p: Math.min(1, p), alternative, ci: clopperPearson(k, n, level, alternative), confidenceLevel: level };
}

/** The Clopper–Pearson ("exact") interval of a proportion k / n. */
export function clopperPearson(k: number, n: number, level = 0.95, alternative: Alternative = "two-sided"): [number, number] {
  const tail = alternative === "two-sided" ? (1 - level) / 2 : 1 - level;
  const lower = alternative === "less" || k === 0 ? 0 : betaQuantile(tail, k, n - k + 1);
  const upper = alternative === "greater" || k === n ? 1 : betaQuantile(1 - tail, k + 1, n - k);
  return [lower, upper];
}

/** P(X = k) for X ~ Binomial(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return 0;
  return Math.exp(logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/** P(X ≥ k) = I_p(k, n − k + 1). */
function upperTail(k: number, n: number, p: number): number {
  return k <= 0 ? 1 : incompleteBeta(p, k, n - k + 1);
}

/** P(X ≤ k) = I_{1−p}(n − k, k + 1). */
function lowerTail(k: number, n: number, p: number): number {
  return k >= n ? 1 : incompleteBeta(1 - p, n - k, k + 1, p);
}

function twoSided(k: number, n: number, p: number): number {
  const expected = n * p;
  if (k === expected) return 1;
  const d = binomialPmf(k, n, p) * (1 + 1e-7);
  if (k < expected) {
    // The other tail: outcomes above the mean no likelier than k (the pmf falls monotonically there).
    let j = Math.ceil(expected);
    while (j <= n && binomialPmf(j, n, p) > d) j++;
    return lowerTail(k, n, p) + (j <= n ? upperTail(j, n, p) : 0);
  }
  let j = Math.floor(expected);
  while (j >= 0 && binomialPmf(j, n, p) > d) j--;
  return (j >= 0 ? lowerTail(j, n, p) : 0) + upperTail(k, n, p);
}

/** x with I_x(a, b) = q, by bisection (I is increasing in x): exact to double precision in ~60 halvings. */
function betaQuantile(q: number, a: number, b: number): number {
  let lo = 0, hi = 1;
  for (let i = 0; i < 100 && hi - lo > 1e-16; i++) {
    const mid = (lo + hi) / 2;
    if (incompleteBeta(mid, a, b) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
