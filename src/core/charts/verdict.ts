// The verdict as words and numbers: the plain-text fallback shown where the card cannot be drawn
// (exported scripts, text-only outputs), and the phrases the renderer's card reuses so both agree.
import type { Verdict } from "../display";
import { formatNumber, formatP } from "./spec";

/** "H1", or "H1 (gradient)" for a labelled test of H1: how a verdict is named wherever it is shown. */
export function verdictName(verdict: Pick<Verdict, "hypothesis" | "label">): string {
  return verdict.label ? `${verdict.hypothesis} (${verdict.label})` : verdict.hypothesis;
}

/** "d = 0.42, 95% CI [0.30, 0.55], threshold 0.2: the interval lies above the threshold". */
export function describeEffect(verdict: Verdict): string {
  const { effect, alpha, standardized } = verdict;
  const level = formatNumber(100 * (effect.level ?? 1 - alpha));
  const ci = `${level}% CI [${formatNumber(effect.ci[0])}, ${formatNumber(effect.ci[1])}]`;
  const base = `${effect.name} = ${formatNumber(effect.estimate)}, ${ci}${standardized ? ` (${standardized.name} = ${formatNumber(standardized.estimate)})` : ""}`;
  return effect.threshold === undefined ? base : `${base}, threshold ${formatNumber(effect.threshold)}: ${thresholdRelation(verdict)}`;
}

/** Where the effect's interval lies against the declared threshold. */
export function thresholdRelation(verdict: Verdict): string {
  const { ci, threshold } = verdict.effect;
  if (threshold === undefined) return "no threshold declared";
  if (ci[0] > threshold) return "the interval lies above the threshold";
  if (ci[1] < threshold) return "the interval lies below the threshold";
  return "the interval contains the threshold";
}

/** "welch-t (greater): statistic 2.31, p = 0.012, α = 0.05, n = 40 vs 40", with any multiple-comparison correction. */
export function describeTest(verdict: Verdict): string {
  const { correction } = verdict;
  const p = correction ? `${formatP(verdict.p)} (${correction.method}-adjusted over ${correction.tests} tests; unadjusted ${formatP(correction.rawP)})` : formatP(verdict.p);
  return `${verdict.test} (${verdict.alternative}): statistic ${formatNumber(verdict.statistic)}, ${p}, α = ${formatNumber(verdict.alpha)}, n = ${verdict.n.observed} vs ${verdict.n.baseline}`;
}

/** The whole verdict as a few lines of text (the `text/plain` fallback of a verdict output). */
export function verdictText(verdict: Verdict): string {
  return [
    `${verdictName(verdict)}: ${verdict.verdict.toUpperCase()}${verdict.claim ? ` — ${verdict.claim}` : ""}`,
    `test: ${describeTest(verdict)}`,
    `effect: ${describeEffect(verdict)}`,
    verdict.reason,
  ].join("\n");
}
