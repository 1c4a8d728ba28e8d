// The result every attribution method returns: plain typed arrays (no tensors to dispose), the
// classes explained, and for Integrated Gradients the completeness check that says whether the
// integral was computed accurately enough to trust the map.
import type { AttributionMethod } from "./methods";
import type { ScoreOutput } from "./scores";

export interface AttributionResult {
  method: AttributionMethod;
  /** Attributions, the input's shape (e.g. [n, 8, 8, 1]), row-major. */
  values: Float32Array;
  shape: number[];
  /** The class explained per example (−1 where a target function chose the score). */
  targets: Int32Array;
  /** The explained score f(x)[target] per example. */
  scores: Float32Array;
  /** Whether the scores are pre-softmax logits or the model's own output. */
  output: ScoreOutput;
  /** The settings used (steps, rule, samples, sigma, seed…), for the record. */
  settings: Record<string, number | string>;
  /** Integrated Gradients only. */
  completeness?: Completeness;
}

/**
 * IG's completeness axiom: Σ attributions = f(x) − f(baseline). The gap measures the quadrature
 * error; a large relative gap means more steps (or Gauss–Legendre) are needed.
 */
export interface Completeness {
  /** Σ of each example's attributions. */
  attributionSum: Float64Array;
  /** f(x)[target] − f(baseline)[target] per example. */
  scoreDifference: Float64Array;
  /** attributionSum − scoreDifference per example. */
  gap: Float64Array;
  maxAbsGap: number;
  /** max |gap| / mean |scoreDifference|: scale-free, ≈ 0 when the integral is accurate. */
  relativeGap: number;
}

export interface MapOptions {
  /** How channels combine into one value per pixel: `sum` (default, keeps sign), `abs-sum`, or `max-abs`. */
  reduce?: "sum" | "abs-sum" | "max-abs";
}

/** Example `index`'s attribution as rows of columns (channels reduced), the form charts take. */
export function attributionMap(result: Pick<AttributionResult, "values" | "shape">, index: number, options: MapOptions = {}): number[][] {
  const [n, height, width, channels = 1] = result.shape.length === 3 ? [...result.shape, 1] : result.shape;
  if (result.shape.length < 3 || result.shape.length > 4) throw new RangeError(`attributionMap: needs [n, h, w] or [n, h, w, c] attributions, got [${result.shape.join(", ")}]`);
  if (!(index >= 0 && index < n)) throw new RangeError(`attributionMap: example ${index} is outside 0..${n - 1}`);
  const reduce = options.reduce ?? "sum";
  const base = index * height * width * channels;
  return Array.from({ length: height }, (_, r) =>
    Array.from({ length: width }, (_, c) => {
      let value = 0;
      for (let k = 0; k < channels; k++) {
        const v = result.values[base + (r * width + c) * channels + k];
        value = reduce === "sum" ? value + v : reduce === "abs-sum" ? value + Math.abs(v) : Math.max(value, Math.abs(v));
      }
      return value;
    }),
  );
}

/** Every example's map (see `attributionMap`). */
export function attributionMaps(result: Pick<AttributionResult, "values" | "shape">, options: MapOptions = {}): number[][][] {
  return Array.from({ length: result.shape[0] }, (_, i) => attributionMap(result, i, options));
}

export function completeness(values: Float32Array, perExample: number, scoreDifference: Float64Array): Completeness {
  const n = scoreDifference.length;
  const attributionSum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = i * perExample; k < (i + 1) * perExample; k++) sum += values[k];
    attributionSum[i] = sum;
  }
  const gap = attributionSum.map((sum, i) => sum - scoreDifference[i]);
  const maxAbsGap = gap.reduce((max, g) => Math.max(max, Math.abs(g)), 0);
  const meanAbsDifference = scoreDifference.reduce((s, d) => s + Math.abs(d), 0) / n;
  return { attributionSum, scoreDifference, gap, maxAbsGap, relativeGap: maxAbsGap / (meanAbsDifference || 1) };
}

