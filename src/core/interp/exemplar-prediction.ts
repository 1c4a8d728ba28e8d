// Do a unit's synthetic images (featureVisualization) tell more about what it responds to than its
// natural exemplars (topExemplars)? Borowski et al. (2021) asked people: shown a unit's references,
// which of two query images activates it more? Natural exemplars helped people more. This is the
// automated proxy of that task, the control a feature visualisation has to survive:
//
// The images are split (seeded) into a reference half and held-out queries. Per unit, the natural
// references are the k most and k least activating reference images; the synthetic references are k
// images maximising the unit and k maximising its negation (from different noise). A nearest-exemplar
// predictor scores each query by its similarity to the closest "most" reference minus that to the
// closest "least" reference (Pearson correlation of pixels, or of a layer's activations with
// `space`), and predicts that the higher-scoring query of a pair activates the unit more. Accuracy
// is the share of held-out pairs (with different activations) it orders correctly, ties counting
// half; chance is 0.5. Natural vs synthetic is compared over units with a paired permutation test.
import * as tf from "@tensorflow/tfjs";
import { pairedPermutationTest } from "../stats/permutation";
import { createRng } from "../stats/rng";
import { InterpError, type LayerRef, layerActivations } from "./activations";
import { type FeatureVisualization, featureVisualization, type FeatureVisualizationOptions } from "./feature-visualization";

export interface ExemplarPredictionOptions {
  layer: LayerRef;
  /** The units (channels) to test. */
  units: readonly number[];
  /** References of each kind (most and least activating). Default 9. */
  k?: number;
  /** Share of the images held out as queries. Default 0.5. */
  heldOut?: number;
  /** Where similarity is measured: `pixels` (default) or a layer's activations (flattened). */
  space?: "pixels" | LayerRef;
  /** Settings of the synthesis (not layer, units, seed, random directions). */
  featureVisualization?: Omit<FeatureVisualizationOptions, "layer" | "unit" | "direction" | "randomDirections" | "seed">;
  seed?: number;
  batchSize?: number;
}

export interface ExemplarPredictionUnit {
  unit: number;
  /** Accuracy with natural / synthetic references; `null` when undefined (see `undefinedBecause`). */
  natural: number | null;
  synthetic: number | null;
  /** Held-out pairs with different activations. */
  pairs: number;
  /** Natural references: image indices, most / least activating first. */
  top: number[];
  bottom: number[];
  undefinedBecause?: string;
}

export interface ExemplarPrediction {
  layer: string;
  space: string;
  chance: 0.5;
  /** Image indices of the held-out queries. */
  heldOut: number[];
  units: ExemplarPredictionUnit[];
  /** Mean accuracy over the units where both are defined. */
  natural: number;
  synthetic: number;
  /** Paired permutation test over those units of natural − synthetic accuracy (two-sided). */
  comparison: { statistic: number; p: number; units: number };
  /** The synthetic references: per unit, k maximising images then k minimising ones. */
  syntheticReferences: FeatureVisualization;
}

/** Natural vs synthetic exemplars as predictors of which of two held-out images activates each unit more (a graph model's `layer` and `space` are node names). */
export async function exemplarPrediction(model: tf.LayersModel | tf.GraphModel, images: tf.Tensor, options: ExemplarPredictionOptions): Promise<ExemplarPrediction> {
  const k = options.k ?? 9;
  const heldOutShare = options.heldOut ?? 0.5;
  const n = images.shape[0];
  const nHeld = Math.round(n * heldOutShare);
  if (!(heldOutShare > 0 && heldOutShare < 1)) throw new InterpError("invalid-input", `heldOut must be a share in (0, 1), got ${heldOutShare}`);
  if (!(Number.isInteger(k) && k >= 1 && 2 * k <= n - nHeld && nHeld >= 2)) throw new InterpError("invalid-input", `k = ${k} references of each kind need 2k ≤ ${n - nHeld} reference images and ≥ 2 held-out ones`);
  if (options.units.length === 0) throw new InterpError("invalid-input", "units is empty: name the units to test");
  const seed = options.seed ?? 0;
  const acts = await layerActivations(model, images, { layer: options.layer, batchSize: options.batchSize, reduce: "spatial-mean" });
  const width = acts.shape[1];
  for (const u of options.units) if (!(Number.isInteger(u) && u >= 0 && u < width)) throw new InterpError("invalid-input", `unit ${u} is outside 0..${width - 1}`);
  const order = createRng(seed).permutation(n);
  const heldOut = Array.from(order.subarray(0, nHeld)).sort((a, b) => a - b);
  const reference = Array.from(order.subarray(nHeld));

  const directions = options.units.flatMap((u) => [1, -1].flatMap((sign) => Array.from({ length: k }, () => Array.from({ length: width }, (_, j) => (j === u ? sign : 0)))));
  const synthetic = await featureVisualization(model, { ...options.featureVisualization, layer: options.layer, direction: directions, randomDirections: 0, seed });
  const space = options.space ?? "pixels";
  const { name: spaceName, rows: features } = await representation(model, images, space, options.batchSize);
  const syntheticImages = tf.tensor([...synthetic.features.flatMap((f) => Array.from(f.image))], [directions.length, ...synthetic.shape]);
  const { rows: syntheticFeatures } = await representation(model, syntheticImages, space, options.batchSize).finally(() => syntheticImages.dispose());

  const units = options.units.map((unit, i): ExemplarPredictionUnit => {
    const score = (index: number) => acts.data[index * width + unit];
    const ranked = [...reference].sort((a, b) => score(b) - score(a) || a - b);
    const top = ranked.slice(0, k), bottom = ranked.slice(-k).reverse();
    const queries = heldOut.map((index) => features[index]);
    const activations = heldOut.map(score);
    const natural = nearestExemplarAccuracy({ top: top.map((j) => features[j]), bottom: bottom.map((j) => features[j]), queries, activations });
    const base = i * 2 * k;
    const synth = nearestExemplarAccuracy({ top: syntheticFeatures.slice(base, base + k), bottom: syntheticFeatures.slice(base + k, base + 2 * k), queries, activations });
    const undefinedBecause = natural.pairs === 0 ? `unit ${unit} has the same activation on every held-out image (dead?): no pair to order` : undefined;
    return { unit, natural: natural.pairs ? natural.accuracy : null, synthetic: synth.pairs ? synth.accuracy : null, pairs: natural.pairs, top, bottom, ...(undefinedBecause ? { undefinedBecause } : {}) };
  });
  const defined = units.filter((u) => u.natural !== null && u.synthetic !== null);
  if (defined.length === 0) throw new InterpError("invalid-input", `no unit has held-out images it activates differently: ${units.map((u) => u.undefinedBecause).join("; ")}`);
  const nat = defined.map((u) => u.natural!), syn = defined.map((u) => u.synthetic!);
  const test = pairedPermutationTest(nat, syn, { seed });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    layer: acts.layer,
    space: spaceName,
    chance: 0.5,
    heldOut,
    units,
    natural: mean(nat),
    synthetic: mean(syn),
    comparison: { statistic: test.statistic, p: test.p, units: defined.length },
    syntheticReferences: synthetic,
  };
}

/**
 * The nearest-exemplar predictor's accuracy: each query scores max corr(q, top) − max corr(q, bottom);
 * over every pair of queries with different activations, the share whose scores are ordered as their
 * activations (ties in score count half). Constant vectors have correlation 0 with everything.
 */
export function nearestExemplarAccuracy(input: { top: ArrayLike<number>[]; bottom: ArrayLike<number>[]; queries: ArrayLike<number>[]; activations: ArrayLike<number> }): { accuracy: number; pairs: number } {
  const { queries, activations } = input;
  if (queries.length !== activations.length) throw new InterpError("shape-mismatch", `${queries.length} queries but ${activations.length} activations`);
  const top = input.top.map(standardised), bottom = input.bottom.map(standardised);
  const nearest = (q: Float64Array, refs: Float64Array[]) => Math.max(...refs.map((r) => dot(q, r)));
  const scores = queries.map((query) => {
    const q = standardised(query);
    return nearest(q, top) - nearest(q, bottom);
  });
  let right = 0, pairs = 0;
  for (let a = 0; a < scores.length; a++)
    for (let b = a + 1; b < scores.length; b++) {
      const truth = Math.sign(activations[a] - activations[b]);
      if (truth === 0) continue;
      pairs++;
      const guess = Math.sign(scores[a] - scores[b]);
      right += guess === truth ? 1 : guess === 0 ? 0.5 : 0;
    }
  return { accuracy: pairs ? right / pairs : Number.NaN, pairs };
}

/** Mean 0 and norm 1, so a dot product is Pearson's correlation; a constant vector becomes zeros. */
function standardised(v: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(v as ArrayLike<number>);
  const mean = out.reduce((a, b) => a + b, 0) / out.length;
  for (let i = 0; i < out.length; i++) out[i] -= mean;
  const norm = Math.sqrt(dot(out, out));
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] /= norm;
  return norm > 0 ? out : new Float64Array(out.length);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Each image as a flat vector: its pixels, or its activations at `space` (named as the layer or node is). */
async function representation(model: tf.LayersModel | tf.GraphModel, images: tf.Tensor, space: "pixels" | LayerRef, batchSize?: number): Promise<{ name: string; rows: Float32Array[] }> {
  const n = images.shape[0];
  const { layer: name, data } = space === "pixels" ? { layer: space, data: (await images.data()) as Float32Array } : await layerActivations(model, images, { layer: space, batchSize });
  const size = data.length / n;
  return { name, rows: Array.from({ length: n }, (_, i) => data.subarray(i * size, (i + 1) * size)) };
}
