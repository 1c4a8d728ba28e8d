// Ranks with ties, the basis of Spearman's rho and of rank-based similarity (saliency sanity checks).
import { checkSample, type Sample } from "./sample";

/**
 * Ranks 1..n of `x`, tied values sharing the average of their ranks (scipy.stats.rankdata's
 * default `method="average"`).
 */
export function rank(x: Sample): Float64Array {
  checkSample(x, "rank: x", 0);
  const n = x.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => x[a] - x[b]);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && x[order[end]] === x[order[start]]) end++;
    const average = (start + end + 1) / 2; // mean of ranks start+1 .. end
    for (let k = start; k < end; k++) ranks[order[k]] = average;
    start = end;
  }
  return ranks;
}
