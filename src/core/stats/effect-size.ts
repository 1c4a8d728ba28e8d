// Standardized effect sizes: how big a difference is in units of spread, comparable across metrics.
import { checkPaired, checkSample, differences, mean, variance, type Sample } from "./sample";

/** Cohen's d for two independent samples: (mean(x) − mean(y)) / pooled SD (ddof 1 in each group). */
export function cohensD(x: Sample, y: Sample): number {
  checkSample(x, "x", 2);
  checkSample(y, "y", 2);
  const n1 = x.length, n2 = y.length;
  const pooled = ((n1 - 1) * variance(x) + (n2 - 1) * variance(y)) / (n1 + n2 - 2);
  return (mean(x) - mean(y)) / Math.sqrt(pooled);
}

/** Cohen's d_z for paired samples: mean(x − y) / SD(x − y) (ddof 1); equals t / √n of the paired t-test. */
export function cohensDz(x: Sample, y: Sample): number {
  checkPaired(x, y, 2);
  const d = differences(x, y);
  return mean(d) / Math.sqrt(variance(d));
}
