// Quantiles for the interp summaries (layer selectivity, random-order bands, the RBF median heuristic),
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

/** Pointwise over equally long curves (e.g. one per random order): the mean and the central `level` percentile interval. */
export function curveBand(curves: number[][], level: number): { mean: number[]; lower: number[]; upper: number[] } {
  const mean: number[] = [], lower: number[] = [], upper: number[] = [];
  for (let s = 0; s < curves[0].length; s++) {
    const values = curves.map((c) => c[s]);
    const [low, high] = quantiles(values, [(1 - level) / 2, 1 - (1 - level) / 2]);
    mean.push(values.reduce((a, v) => a + v, 0) / values.length);
    lower.push(low);
    upper.push(high);
  }
  return { mean, lower, upper };
}
