// Pearson's r and Spearman's rho with their p-values (scipy.stats.pearsonr / spearmanr): both use
// the t distribution with n − 2 degrees of freedom, which for Pearson is exact under bivariate
// normality and for Spearman is the usual large-sample approximation (scipy's default too).
import { rank } from "./rank";
import { checkAlternative, checkLevel, checkPaired, StatsError, type Alternative, type Sample } from "./sample";
import { normalQuantile, studentTCdf, studentTSf } from "./special";

export interface CorrelationResult {
  test: "pearson" | "spearman";
  /** r or rho, in [−1, 1]. */
  statistic: number;
  p: number;
  alternative: Alternative;
  n: number;
  /** Degrees of freedom of the t statistic, n − 2. */
  df: number;
  /**
   * Fisher-z confidence interval of the correlation (scipy's `confidence_interval()`), one-sided
   * for one-sided alternatives. For Spearman it is the same transform applied to rho, an approximation.
   */
  ci: [number, number];
  confidenceLevel: number;
}

export interface CorrelationOptions {
  /** `greater`: positive association. Default `two-sided`. */
  alternative?: Alternative;
  /** Default 0.95. */
  confidenceLevel?: number;
}

/** Pearson's product-moment correlation of paired samples, with p-value and Fisher-z CI. */
export function pearson(x: Sample, y: Sample, options: CorrelationOptions = {}): CorrelationResult {
  checkPaired(x, y, 3);
  return withInference("pearson", pearsonR(x, y), x.length, options);
}

/** Spearman's rank correlation (Pearson's r of the average ranks, so ties are handled). */
export function spearman(x: Sample, y: Sample, options: CorrelationOptions = {}): CorrelationResult {
  checkPaired(x, y, 3);
  return withInference("spearman", pearsonR(rank(x), rank(y)), x.length, options);
}

/** The bare Pearson correlation coefficient (no inference); NaN when either sample is constant. */
export function pearsonR(x: Sample, y: Sample): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

function withInference(test: CorrelationResult["test"], r: number, n: number, options: CorrelationOptions): CorrelationResult {
  const alternative = options.alternative ?? "two-sided";
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  checkAlternative(alternative);
  checkLevel(confidenceLevel);
  if (Number.isNaN(r)) throw new StatsError("invalid-argument", `${test}: a sample is constant, so the correlation is undefined`);
  const df = n - 2;
  // t = r √(df / (1 − r²)), with 1 − r² = (1 − r)(1 + r) to keep precision near |r| = 1.
  const t = r * Math.sqrt(df / ((1 - r) * (1 + r)));
  const p =
    alternative === "greater" ? studentTSf(t, df)
    : alternative === "less" ? studentTCdf(t, df)
    : Math.min(1, 2 * studentTSf(Math.abs(t), df));
  return { test, statistic: r, p, alternative, n, df, ci: fisherCi(r, n, alternative, confidenceLevel), confidenceLevel };
}

function fisherCi(r: number, n: number, alternative: Alternative, level: number): [number, number] {
  if (n <= 3) return [-1, 1];
  const z = Math.atanh(r);
  const se = 1 / Math.sqrt(n - 3);
  if (alternative === "greater") return [Math.tanh(z - normalQuantile(level) * se), 1];
  if (alternative === "less") return [-1, Math.tanh(z + normalQuantile(level) * se)];
  const h = normalQuantile(1 - (1 - level) / 2) * se;
  return [Math.tanh(z - h), Math.tanh(z + h)];
}
