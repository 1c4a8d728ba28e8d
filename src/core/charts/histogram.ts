// Binning and smoothing done in the builder, not in Vega-Lite: a data set of 50 000 activations
// becomes a few dozen bins in the spec instead of 50 000 inline values in the notebook file.
import { ChartError } from "./spec";

export interface HistogramBin {
  start: number;
  end: number;
  count: number;
  /** count / (n × bin width): comparable across data sets of different sizes. */
  density: number;
}

/** Equal-width bins over [min, max] (or `extent`); Sturges' rule for the count unless given. */
export function histogram(values: readonly number[], options: { bins?: number; extent?: [number, number] } = {}): HistogramBin[] {
  const finite = checkedValues(values, "histogram values");
  const [low, high] = options.extent ?? [Math.min(...finite), Math.max(...finite)];
  const bins = options.bins ?? Math.max(5, Math.ceil(Math.log2(finite.length) + 1));
  // A constant quantity still gets a visible bin of width 1 around it.
  const [start, width] = high > low ? [low, (high - low) / bins] : [low - 0.5, 1 / bins];
  const counts = new Array<number>(bins).fill(0);
  for (const value of finite) {
    const index = Math.min(bins - 1, Math.floor((value - start) / width));
    if (index >= 0 && value <= start + width * bins) counts[index] += 1;
  }
  return counts.map((count, index) => ({ start: start + index * width, end: start + (index + 1) * width, count, density: count / (finite.length * width) }));
}

/** Gaussian kernel density estimate on `points` evenly spaced x values, Silverman's bandwidth unless given. */
export function kernelDensity(values: readonly number[], options: { points?: number; bandwidth?: number; extent?: [number, number] } = {}): { x: number; density: number }[] {
  const finite = checkedValues(values, "density values");
  const n = finite.length;
  const mean = finite.reduce((sum, value) => sum + value, 0) / n;
  const sd = Math.sqrt(finite.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, n - 1));
  const bandwidth = options.bandwidth ?? (1.06 * (sd || 1) * n ** -0.2);
  const [low, high] = options.extent ?? [Math.min(...finite) - 3 * bandwidth, Math.max(...finite) + 3 * bandwidth];
  const points = options.points ?? 100;
  const norm = 1 / (n * bandwidth * Math.sqrt(2 * Math.PI));
  return Array.from({ length: points }, (_, index) => {
    const x = low + ((high - low) * index) / (points - 1);
    const density = finite.reduce((sum, value) => sum + Math.exp(-0.5 * ((x - value) / bandwidth) ** 2), 0) * norm;
    return { x, density };
  });
}

/** The share of values at or below `value`, in [0, 1]: where an example sits in its data set. */
export function percentileRank(values: readonly number[], value: number): number {
  return values.filter((other) => other <= value).length / values.length;
}

function checkedValues(values: readonly number[], what: string): number[] {
  if (values.length === 0) throw new ChartError("invalid-input", `${what} are empty: pass at least one number.`);
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) throw new ChartError("invalid-input", `${what}[${bad}] is ${values[bad]}: every value must be a finite number.`);
  return [...values];
}
