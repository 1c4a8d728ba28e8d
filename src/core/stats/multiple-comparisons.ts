// False-discovery-rate control for several tests (statsmodels.stats.multitest.multipletests with
// `fdr_bh` and `fdr_by`): adjusted p-values, to compare with the usual alpha.
import { checkSample, StatsError, type Sample } from "./sample";

/** `bh`: Benjamini–Hochberg (independent or positively dependent tests); `by`: Benjamini–Yekutieli (any dependence). */
export type FdrMethod = "bh" | "by";

/**
 * Adjusted p-values, in the input order: p̃₍ᵢ₎ = min_{j ≥ i} min(1, c·m·p₍ⱼ₎ / j) over the sorted
 * p-values, with c = 1 (BH) or c = Σ_{k=1..m} 1/k (BY). Reject H_i when p̃ᵢ ≤ alpha.
 */
export function adjustPValues(pValues: Sample, method: FdrMethod = "bh"): number[] {
  checkSample(pValues, "adjustPValues: pValues", 0);
  if (method !== "bh" && method !== "by") throw new StatsError("invalid-argument", `method must be "bh" or "by", got "${method}"`);
  const m = pValues.length;
  for (let i = 0; i < m; i++) {
    if (pValues[i] < 0 || pValues[i] > 1) throw new StatsError("invalid-argument", `pValues[${i}] = ${pValues[i]} is not a probability`);
  }
  let c = 1;
  if (method === "by") for (let k = 2; k <= m; k++) c += 1 / k;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => pValues[a] - pValues[b]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1];
    running = Math.min(running, (c * m * pValues[i]) / rank);
    adjusted[i] = running;
  }
  return adjusted;
}
