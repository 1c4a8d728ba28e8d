// Multiple-comparison corrections for several tests of one hypothesis (statsmodels'
// multipletests with `fdr_bh`, `fdr_by`, `holm`, `bonferroni`): adjusted p-values, to compare with
// the usual alpha.
import { checkSample, StatsError, type Sample } from "./sample";

/**
 * `bh` (= `benjamini-hochberg`): false discovery rate, independent or positively dependent tests.
 * `by` (= `benjamini-yekutieli`): false discovery rate under any dependence.
 * `holm`, `bonferroni`: family-wise error rate.
 */
export type PAdjustMethod = "bh" | "by" | "holm" | "bonferroni" | "benjamini-hochberg" | "benjamini-yekutieli";

const METHODS: readonly string[] = ["bh", "by", "holm", "bonferroni", "benjamini-hochberg", "benjamini-yekutieli"];

/**
 * Adjusted p-values, in the input order; reject H_i when p̃ᵢ ≤ alpha. Over the sorted p₍₁₎ ≤ … ≤ p₍ₘ₎:
 * BH p̃₍ᵢ₎ = min_{j ≥ i} min(1, m·p₍ⱼ₎ / j); BY the same times Σ_{k=1..m} 1/k;
 * Holm p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎); Bonferroni min(1, m·pᵢ).
 */
export function adjustPValues(pValues: Sample, method: PAdjustMethod = "bh"): number[] {
  checkSample(pValues, "adjustPValues: pValues", 0);
  if (!METHODS.includes(method)) throw new StatsError("invalid-argument", `method must be one of ${METHODS.join(", ")}; got "${method}"`);
  const m = pValues.length;
  for (let i = 0; i < m; i++) {
    if (pValues[i] < 0 || pValues[i] > 1) throw new StatsError("invalid-argument", `pValues[${i}] = ${pValues[i]} is not a probability`);
  }
  const adjusted = new Array<number>(m);
  if (method === "bonferroni") {
    for (let i = 0; i < m; i++) adjusted[i] = Math.min(1, m * pValues[i]);
    return adjusted;
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => pValues[a] - pValues[b]);
  if (method === "holm") {
    let running = 0;
    order.forEach((i, j) => {
      running = Math.max(running, Math.min(1, (m - j) * pValues[i]));
      adjusted[i] = running;
    });
    return adjusted;
  }
  let c = 1;
  if (method === "by" || method === "benjamini-yekutieli") for (let k = 2; k <= m; k++) c += 1 / k;
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1];
    running = Math.min(running, (c * m * pValues[i]) / rank);
    adjusted[i] = running;
  }
  return adjusted;
}
