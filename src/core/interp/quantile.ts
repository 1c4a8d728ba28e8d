// Quantiles for the interp summaries (layer selectivity, ablation bands, the RBF median heuristic),
// numpy's default definition (linear interpolation, "type 7") so fixtures from numpy agree.

/** The q-quantiles (each in [0, 1]) of `values`, which need not be sorted. */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  const last = sorted.length - 1;
  return qs.map((q) => {
    const position = last * q;
    const below = Math.floor(position);
    const above = Math.min(below + 1, last);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  });
}
