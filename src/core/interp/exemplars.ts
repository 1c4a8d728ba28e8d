// Top exemplars: the data-set images that most (and least) activate a unit, and the control that
// says whether they look selective for a reason. The k images a unit likes best always share
// *something*; the question is whether they share more than the top images of a random direction
// of the same layer do. So the same statistics are computed for `randomDirections` unit-norm random
// directions of the layer's unit space (seeded), and the unit's place among them is reported:
// - `separation`: (mean of the top k − mean over all images) / SD over all images;
// - `purity` (with labels): the share of the top k in their most common class.
// A unit's per-image score is its activation (dense) or its spatial mean (conv maps).
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../stats/rng";
import { type ArrayWithShape, InterpError, labelArray, type Labels, type LayerRef, layerActivations } from "./activations";

export interface ExemplarOptions {
  layer: LayerRef;
  /** The unit (channel) to explain; or give `direction` (a vector over the units) instead. */
  unit?: number;
  direction?: number[];
  /** How many top (and bottom) images. Default 9. */
  k?: number;
  /** Class labels of the images, for `purity`. */
  labels?: Labels;
  /** Random directions for the baseline. Default 100. */
  randomDirections?: number;
  seed?: number;
  batchSize?: number;
}

export interface ExemplarStatistics {
  separation: number;
  purity?: number;
}

export interface Exemplars extends ExemplarStatistics {
  layer: string;
  /** Image indices, most activating first, and their scores. */
  top: { index: number; activation: number }[];
  /** Least activating first. */
  bottom: { index: number; activation: number }[];
  /** The same statistics for each random direction, and the unit's percentile among them (share of random directions strictly below it). */
  random: { separation: number[]; purity?: number[]; separationPercentile: number; purityPercentile?: number };
}

/** The top and bottom `k` images of a unit (or direction) of `layer`, with the random-direction baseline. */
export async function topExemplars(model: tf.LayersModel | tf.GraphModel, images: tf.Tensor, options: ExemplarOptions): Promise<Exemplars> {
  const acts = await layerActivations(model, images, { layer: options.layer, batchSize: options.batchSize, reduce: "spatial-mean" });
  return exemplarsOf(acts, { ...options, layer: acts.layer });
}

/** The same from per-image unit scores [n, units] (e.g. `layerActivations(..., {reduce: "spatial-mean"})`). */
export function exemplarsOf(acts: ArrayWithShape & { layer?: string }, options: Omit<ExemplarOptions, "layer" | "batchSize"> & { layer?: LayerRef }): Exemplars {
  if (acts.shape.length !== 2) throw new InterpError("shape-mismatch", `exemplars need one score per image and unit [n, units], got [${acts.shape.join(", ")}]; reduce conv maps first (reduce: "spatial-mean")`);
  const [n, units] = acts.shape;
  const k = options.k ?? 9;
  if (!(Number.isInteger(k) && k >= 1 && 2 * k <= n)) throw new InterpError("invalid-input", `k must be an integer with 2k ≤ ${n} images, got ${k}`);
  const direction = options.direction ?? (options.unit !== undefined ? oneHot(options.unit, units) : undefined);
  if (!direction) throw new InterpError("invalid-input", "give the unit (an index) or a direction over the layer's units");
  if (direction.length !== units) throw new InterpError("shape-mismatch", `direction has ${direction.length} values; the layer has ${units} units`);
  const labels = options.labels === undefined ? undefined : labelArray(options.labels, n);
  const scores = project(acts.data, n, units, direction);
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
  if (scores[order[0]] === scores[order[n - 1]]) throw new InterpError("invalid-input", `the ${options.direction ? "direction" : `unit ${options.unit}`} is constant (${scores[0]}) on all ${n} images: it has no top or bottom images (a dead unit?)`);
  const own = statistics(scores, order, k, labels);
  const rng = createRng(options.seed ?? 0);
  const count = options.randomDirections ?? 100;
  const random = Array.from({ length: count }, () => {
    const v = Array.from({ length: units }, () => rng.normal());
    const s = project(acts.data, n, units, v);
    return statistics(s, Array.from(s.keys()).sort((a, b) => s[b] - s[a] || a - b), k, labels);
  });
  const percentile = (value: number, values: number[]) => values.filter((v) => v < value).length / values.length;
  const separations = random.map((r) => r.separation);
  const purities = labels ? random.map((r) => r.purity!) : undefined;
  return {
    layer: acts.layer ?? (typeof options.layer === "string" ? options.layer : "activations"),
    ...own,
    top: order.slice(0, k).map((index) => ({ index, activation: scores[index] })),
    bottom: order.slice(-k).reverse().map((index) => ({ index, activation: scores[index] })),
    random: {
      separation: separations,
      separationPercentile: percentile(own.separation, separations),
      ...(purities ? { purity: purities, purityPercentile: percentile(own.purity!, purities) } : {}),
    },
  };
}

function oneHot(unit: number, units: number): number[] {
  if (!(Number.isInteger(unit) && unit >= 0 && unit < units)) throw new InterpError("invalid-input", `unit ${unit} is outside 0..${units - 1}`);
  return Array.from({ length: units }, (_, j) => (j === unit ? 1 : 0));
}

function project(data: ArrayLike<number>, n: number, units: number, direction: number[]): Float64Array {
  const norm = Math.hypot(...direction);
  if (!(norm > 0)) throw new InterpError("invalid-input", "the direction is zero");
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < units; j++) s += data[i * units + j] * direction[j];
    out[i] = s / norm;
  }
  return out;
}

function statistics(scores: Float64Array, order: number[], k: number, labels?: Int32Array): ExemplarStatistics {
  const n = scores.length;
  const mean = scores.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(scores.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const topMean = order.slice(0, k).reduce((s, i) => s + scores[i], 0) / k;
  const separation = (topMean - mean) / sd;
  if (!labels) return { separation };
  const counts = new Map<number, number>();
  for (const i of order.slice(0, k)) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  return { separation, purity: Math.max(...counts.values()) / k };
}
