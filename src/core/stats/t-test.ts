// Student (pooled variance), Welch (unequal variances, Welch–Satterthwaite df) and paired t-tests,
// as scipy.stats.ttest_ind / ttest_rel compute them, plus the confidence interval of the mean
// difference (their `confidence_interval()`). The estimate is always mean(x) − mean(y), so
// `greater` predicts x above y.
import {
  checkAlternative, checkLevel, checkPaired, checkSample, differences, mean, variance, type Alternative, type Sample,
} from "./sample";
import { studentTCdf, studentTQuantile, studentTSf } from "./special";

export type TTestKind = "student-t" | "welch-t" | "paired-t" | "one-sample-t";

export interface TTestResult {
  test: TTestKind;
  statistic: number;
  df: number;
  p: number;
  alternative: Alternative;
  /** mean(x) − mean(y) (paired: the mean of the differences; one-sample: mean(x) − mu). */
  estimate: number;
  standardError: number;
  /** CI of the estimate at `confidenceLevel`; one-sided alternatives give a half-infinite interval. */
  ci: [number, number];
  confidenceLevel: number;
}

export interface TTestOptions {
  /** Default `two-sided`. */
  alternative?: Alternative;
  /** Default 0.95. */
  confidenceLevel?: number;
}

/** Two-sample t-test assuming equal variances (pooled SD), df = n₁ + n₂ − 2. */
export function studentTTest(x: Sample, y: Sample, options: TTestOptions = {}): TTestResult {
  checkSample(x, "x", 2);
  checkSample(y, "y", 2);
  const n1 = x.length, n2 = y.length;
  const df = n1 + n2 - 2;
  const pooled = ((n1 - 1) * variance(x) + (n2 - 1) * variance(y)) / df;
  return tResult("student-t", mean(x) - mean(y), Math.sqrt(pooled * (1 / n1 + 1 / n2)), df, options);
}

/** Welch's two-sample t-test (no equal-variance assumption), Welch–Satterthwaite df. */
export function welchTTest(x: Sample, y: Sample, options: TTestOptions = {}): TTestResult {
  checkSample(x, "x", 2);
  checkSample(y, "y", 2);
  const a = variance(x) / x.length;
  const b = variance(y) / y.length;
  const df = (a + b) ** 2 / (a ** 2 / (x.length - 1) + b ** 2 / (y.length - 1));
  return tResult("welch-t", mean(x) - mean(y), Math.sqrt(a + b), df, options);
}

/** Paired t-test on x − y, df = n − 1. */
export function pairedTTest(x: Sample, y: Sample, options: TTestOptions = {}): TTestResult {
  checkPaired(x, y, 2);
  return { ...oneSampleTTest(differences(x, y), options), test: "paired-t" };
}

/** One-sample t-test of mean(x) against `mu` (default 0), df = n − 1. */
export function oneSampleTTest(x: Sample, options: TTestOptions & { mu?: number } = {}): TTestResult {
  checkSample(x, "x", 2);
  return tResult("one-sample-t", mean(x) - (options.mu ?? 0), Math.sqrt(variance(x) / x.length), x.length - 1, options);
}

/** The p-value of a t statistic with `df` degrees of freedom for an alternative. */
export function tPValue(t: number, df: number, alternative: Alternative): number {
  if (alternative === "greater") return studentTSf(t, df);
  if (alternative === "less") return studentTCdf(t, df);
  return Math.min(1, 2 * studentTSf(Math.abs(t), df));
}

function tResult(test: TTestKind, estimate: number, standardError: number, df: number, options: TTestOptions): TTestResult {
  const alternative = options.alternative ?? "two-sided";
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  checkAlternative(alternative);
  checkLevel(confidenceLevel);
  // Zero variance: t is ±∞ (or NaN for a zero estimate), as in scipy.
  const statistic = estimate / standardError;
  const p = Number.isNaN(statistic) ? NaN : tPValue(statistic, df, alternative);
  let ci: [number, number];
  if (alternative === "two-sided") {
    const h = studentTQuantile(1 - (1 - confidenceLevel) / 2, df) * standardError;
    ci = [estimate - h, estimate + h];
  } else {
    const h = studentTQuantile(confidenceLevel, df) * standardError;
    ci = alternative === "greater" ? [estimate - h, Infinity] : [-Infinity, estimate + h];
  }
  return { test, statistic, df, p, alternative, estimate, standardError, ci, confidenceLevel };
}
