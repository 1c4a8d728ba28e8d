// One call that runs an attribution method against every control that can falsify it (Adebayo et al.
// 2018, "Sanity Checks for Saliency Maps") and returns the similarity numbers, per example and
// summarised, for the sanity grid chart and for a verdict. A method passes when its maps CHANGE under
// randomisation (low similarity) and do not merely reproduce the edge detector.
import * as tf from "@tensorflow/tfjs";
import type { LoadedModel } from "../../data";
import {
  type AttributionMethod,
  type AttributionResult,
  attributionMaps,
  type Explainable,
  gradient,
  type GradientOptions,
  gradientTimesInput,
  integratedGradients,
  type IntegratedGradientsOptions,
  type MapOptions,
  smoothGrad,
  type SmoothGradOptions,
  type Target,
} from "../attribution";
import { mean, variance } from "../../stats/sample";
import { resolveTargets, scoredModel } from "../attribution/scores";
import { hogSimilarity, mapSpearman, normalizeAbs, ssim, type Map2D } from "../similarity";
import { sobelMagnitude } from "./edge-detector";
import { layersModelOf, randomizableLayers, randomizedCopy } from "./randomize";

/** Computes maps of `x` for the given classes (the trained model's, so every control explains the same class). */
export type Explainer = (model: Explainable, x: tf.Tensor, targets: Int32Array) => Promise<AttributionResult>;

export type MethodOptions = GradientOptions & IntegratedGradientsOptions & SmoothGradOptions;

export type SimilarityMeasure = "spearman" | "spearmanAbs" | "ssim" | "hog";
export const SIMILARITY_MEASURES: readonly SimilarityMeasure[] = ["spearman", "spearmanAbs", "ssim", "hog"];

export interface SanityControls {
  /** Randomise weights from the top layer down, one more layer per step. Default true. */
  cascading?: boolean;
  /** Randomise one layer at a time. Default true. */
  independent?: boolean;
  /** A model trained on permuted labels (e.g. examples/digits/models/cnn-shuffled). Default: none. */
  labelRandomised?: Explainable;
  /** Compare with the Sobel edge map of the input. Default true. */
  edgeDetector?: boolean;
}

export interface SanityOptions {
  /** Seed of the weight re-initialisation. Default 0. */
  seed?: number;
  /** Class to explain (fixed across controls). Default: the trained model's prediction. */
  target?: Target;
  /** Options of the built-in method (steps, rule, samples…). */
  methodOptions?: MethodOptions;
  /** How channels combine into a map. Default `sum`. */
  reduce?: MapOptions["reduce"];
}

export interface SimilaritySummary {
  /** Examples with a defined value (a constant map gives NaN rank correlations). */
  n: number;
  mean: number;
  median: number;
  sd: number;
  min: number;
  max: number;
}

export interface SanityControlResult {
  /** Stable id: `cascading-1`…, `independent-<layer>`, `label-randomised`, `edge-detector`. */
  id: string;
  kind: "cascading" | "independent" | "label-randomised" | "edge-detector";
  /** Human-readable, e.g. "cascading randomisation: logits → dense". */
  label: string;
  /** Layers re-initialised in this control (top first); empty for the others. */
  layers: string[];
  /** The control's map per example. */
  maps: number[][][];
  /** Similarity of each example's control map with its method map. */
  similarity: Record<SimilarityMeasure, number[]>;
  summary: Record<SimilarityMeasure, SimilaritySummary>;
}

export interface SanityReport {
  method: string;
  settings: Record<string, number | string>;
  seed: number;
  n: number;
  targets: number[];
  /** Inputs (channels summed) and the method's maps on the trained model, per example. */
  images: number[][][];
  maps: number[][][];
  controls: SanityControlResult[];
}

/** Runs `method` on `model` and on each control, and measures how alike the maps are. */
export async function sanityCheck(
  method: AttributionMethod | Explainer,
  model: tf.LayersModel | LoadedModel,
  inputs: tf.Tensor,
  controls: SanityControls = {},
  options: SanityOptions = {},
): Promise<SanityReport> {
  const seed = options.seed ?? 0;
  const explain = typeof method === "function" ? method : explainer(method, options.methodOptions);
  const trained = layersModelOf(model);
  const targets = resolveTargets(scoredModel(trained, options.methodOptions?.output), inputs, options.target);
  const original = await explain(trained, inputs, targets);
  const mapsOf = (result: AttributionResult) => attributionMaps(result, { reduce: options.reduce });
  const maps = mapsOf(original);
  const images = attributionMaps({ values: (await inputs.data()) as Float32Array, shape: inputs.shape }, { reduce: "sum" });
  const results: SanityControlResult[] = [];
  const compare = (id: string, kind: SanityControlResult["kind"], label: string, layers: string[], controlMaps: number[][][]) =>
    results.push({ id, kind, label, layers, maps: controlMaps, ...similarities(maps, controlMaps) });
  const randomised = async (layers: string[]) => {
    const copy = await randomizedCopy(trained, layers, seed);
    try {
      return mapsOf(await explain(copy, inputs, targets));
    } finally {
      copy.dispose();
    }
  };

  const layers = randomizableLayers(trained);
  if (controls.cascading ?? true) {
    for (let k = 1; k <= layers.length; k++) {
      const top = layers.slice(0, k);
      compare(`cascading-${k}`, "cascading", `cascading randomisation: ${top.join(" → ")}`, top, await randomised(top));
    }
  }
  if (controls.independent ?? true) {
    for (const layer of layers) compare(`independent-${layer}`, "independent", `independent randomisation: ${layer}`, [layer], await randomised([layer]));
  }
  if (controls.labelRandomised) {
    compare("label-randomised", "label-randomised", "label-randomised model", [], mapsOf(await explain(controls.labelRandomised, inputs, targets)));
  }
  if (controls.edgeDetector ?? true) compare("edge-detector", "edge-detector", "edge detector (Sobel)", [], images.map(sobelMagnitude));

  return { method: original.method, settings: original.settings, seed, n: maps.length, targets: Array.from(targets), images, maps, controls: results };
}

/** The built-in methods as explainers (targets fixed by the caller). */
export function explainer(method: AttributionMethod, options: MethodOptions = {}): Explainer {
  const run = { gradient, "gradient-x-input": gradientTimesInput, "integrated-gradients": integratedGradients, smoothgrad: smoothGrad }[method];
  if (!run) throw new RangeError(`unknown attribution method ${String(method)}`);
  return (model, x, targets) => run(model, x, { ...options, target: targets });
}

/**
 * Similarity of two maps by every measure: Spearman (signed and of |values|), and SSIM and HOG
 * similarity of the maps as |value| / max |value| (Adebayo et al.'s normalisation).
 */
export function mapSimilarity(a: Map2D, b: Map2D): Record<SimilarityMeasure, number> {
  const [na, nb] = [normalizeAbs(a), normalizeAbs(b)];
  return { spearman: mapSpearman(a, b), spearmanAbs: mapSpearman(a, b, { absolute: true }), ssim: ssim(na, nb), hog: hogSimilarity(na, nb) };
}

function similarities(maps: number[][][], control: number[][][]): Pick<SanityControlResult, "similarity" | "summary"> {
  const per = maps.map((map, i) => mapSimilarity(map, control[i]));
  const similarity = {} as SanityControlResult["similarity"];
  const summary = {} as SanityControlResult["summary"];
  for (const measure of SIMILARITY_MEASURES) {
    similarity[measure] = per.map((s) => s[measure]);
    summary[measure] = summarize(similarity[measure]);
  }
  return { similarity, summary };
}

export function summarize(values: number[]): SimilaritySummary {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = v.length;
  if (!n) return { n, mean: NaN, median: NaN, sd: NaN, min: NaN, max: NaN };
  const sd = n > 1 ? Math.sqrt(variance(v)) : NaN;
  const median = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return { n, mean: mean(v), median, sd, min: v[0], max: v[n - 1] };
}
