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
  deepLift,
  type DeepLiftOptions,
  type Explainable,
  gradient,
  type GradientOptions,
  gradientTimesInput,
  gradCam,
  type GradCamOptions,
  guidedBackprop,
  guidedGradCam,
  integratedGradients,
  type IntegratedGradientsOptions,
  type MapOptions,
  occlusion,
  type OcclusionOptions,
  smoothGrad,
  type SmoothGradOptions,
  type Target,
} from "../attribution";
import { mean, variance } from "../../stats/sample";
import { resolveTargets, scoredModel } from "../attribution/scores";
import { hogSimilarity, mapSpearman, normalizeAbs, ssim, type Map2D } from "../similarity";
import { constantScores, type Degeneracy, degeneracy, type MapStatus, mapStatus } from "./degenerate";
import { sobelMagnitude } from "./edge-detector";
import { type Block, type BlockSpec, randomizationBlocks } from "./blocks";
import { type BatchNormRandomisation, layersModelOf, randomizedCopy } from "./randomize";

/** Computes maps of `x` for the given classes (the trained model's, so every control explains the same class). */
export type Explainer = (model: Explainable, x: tf.Tensor, targets: Int32Array) => Promise<AttributionResult>;

export type MethodOptions = GradientOptions & IntegratedGradientsOptions & SmoothGradOptions & GradCamOptions & Omit<OcclusionOptions, "baseline"> & DeepLiftOptions;

export type SimilarityMeasure = "spearman" | "spearmanAbs" | "ssim" | "hog";
export const SIMILARITY_MEASURES: readonly SimilarityMeasure[] = ["spearman", "spearmanAbs", "ssim", "hog"];

export interface SanityControls {
  /** Randomise weights from the top block down, one more block per step. Default true. */
  cascading?: boolean;
  /** Randomise one block at a time. Default true. */
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
  target?: Exclude<Target, (scores: tf.Tensor) => tf.Tensor>;
  /** Options of the built-in method (steps, rule, samples…). */
  methodOptions?: MethodOptions;
  /** How channels combine into a map. Default `sum`. */
  reduce?: MapOptions["reduce"];
  /** The units of randomisation (see `BlockSpec`). Default "layers": each layer with weights, with its BatchNorm. */
  blocks?: BlockSpec;
  /** Running statistics of re-initialised BatchNorm layers: "keep-statistics" (default, Adebayo et al.) or "recalibrate". */
  batchNorm?: BatchNormRandomisation;
  /** Inputs to re-estimate BatchNorm statistics on ("recalibrate"). Default: the inputs explained. */
  calibration?: tf.Tensor;
}

export interface SimilaritySummary {
  /** Examples summarised: those with a defined value. */
  n: number;
  /** Examples left out because their similarity is undefined (NaN: a degenerate map, see the control's `degenerate`). */
  undefined: number;
  mean: number;
  median: number;
  sd: number;
  min: number;
  max: number;
}

export interface SanityControlResult {
  /** Stable id: `cascading-1`…, `independent-<block>`, `label-randomised`, `edge-detector`. */
  id: string;
  kind: "cascading" | "independent" | "label-randomised" | "edge-detector";
  /** Human-readable, e.g. "cascading randomisation: logits → dense". */
  label: string;
  /** Blocks re-initialised in this control (top first); empty for the others. */
  blocks: string[];
  /** Their layers (top first). */
  layers: string[];
  /** The control's map per example. */
  maps: number[][][];
  /** Each map's status: `ok`, or degenerate (`zero`, `constant`, `non-finite`). */
  mapStatus: MapStatus[];
  /**
   * Similarity of each example's control map with its method map; NaN (undefined, by every measure)
   * where either map is degenerate.
   */
  similarity: Record<SimilarityMeasure, number[]>;
  summary: Record<SimilarityMeasure, SimilaritySummary>;
  /** Set when some of this control's maps are degenerate: why, and for which examples. */
  degenerate?: Degeneracy;
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
  /** The status of the method's own maps (a degenerate one leaves every control undefined for that example). */
  mapStatus: MapStatus[];
  controls: SanityControlResult[];
  /** Every degenerate control (and the method itself, if its maps are), in control order: read these before any summary. */
  degenerate: Degeneracy[];
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
  const methodStatus = maps.map(mapStatus);
  const images = attributionMaps({ values: (await inputs.data()) as Float32Array, shape: inputs.shape }, { reduce: "sum" });
  const results: SanityControlResult[] = [];
  /** A control's maps against the method's; `scores` (its model's target scores) tell a constant output. */
  const compare = (id: string, kind: SanityControlResult["kind"], label: string, blocks: Block[], controlMaps: number[][][], scores?: ArrayLike<number>) => {
    const layers = blocks.flatMap((block) => [...block.layers].reverse());
    const status = controlMaps.map(mapStatus);
    const usable = status.map((s, i) => s === "ok" && methodStatus[i] === "ok");
    const degenerate = degeneracy(id, label, status, scores !== undefined && constantScores(scores));
    results.push({ id, kind, label, blocks: blocks.map((block) => block.name), layers, maps: controlMaps, mapStatus: status, ...similarities(maps, controlMaps, usable), ...(degenerate ? { degenerate } : {}) });
  };
  const randomisation = { batchNorm: options.batchNorm, calibration: options.calibration ?? inputs };
  const randomised = async (blocks: Block[]) => {
    const copy = await randomizedCopy(trained, blocks.flatMap((block) => block.layers), seed, randomisation);
    try {
      const result = await explain(copy, inputs, targets);
      return { maps: mapsOf(result), scores: result.scores };
    } finally {
      copy.dispose();
    }
  };

  const blocks = randomizationBlocks(trained, options.blocks).reverse();
  if (controls.cascading ?? true) {
    for (let k = 1; k <= blocks.length; k++) {
      const top = blocks.slice(0, k);
      const { maps: controlMaps, scores } = await randomised(top);
      compare(`cascading-${k}`, "cascading", `cascading randomisation: ${cascadeName(top)}`, top, controlMaps, scores);
    }
  }
  if (controls.independent ?? true) {
    for (const block of blocks) {
      const { maps: controlMaps, scores } = await randomised([block]);
      compare(`independent-${block.name}`, "independent", `independent randomisation: ${block.name}`, [block], controlMaps, scores);
    }
  }
  if (controls.labelRandomised) {
    const result = await explain(controls.labelRandomised, inputs, targets);
    compare("label-randomised", "label-randomised", "label-randomised model", [], mapsOf(result), result.scores);
  }
  if (controls.edgeDetector ?? true) compare("edge-detector", "edge-detector", "edge detector (Sobel)", [], images.map(sobelMagnitude));

  const own = degeneracy("method", original.method, methodStatus, constantScores(original.scores));
  const degenerate = [...(own ? [own] : []), ...results.flatMap((control) => (control.degenerate ? [control.degenerate] : []))];
  return { method: original.method, settings: original.settings, seed, n: maps.length, targets: Array.from(targets), images, maps, mapStatus: methodStatus, controls: results, degenerate };
}

/** "logits → dense", or "logits → … → conv1 (12 blocks)" for long cascades. */
function cascadeName(blocks: Block[]): string {
  const names = blocks.map((block) => block.name);
  return names.length <= 3 ? names.join(" → ") : `${names[0]} → … → ${names.at(-1)} (${names.length} blocks)`;
}

/** The built-in methods as explainers (targets fixed by the caller). */
export function explainer(method: AttributionMethod, options: MethodOptions = {}): Explainer {
  const run = {
    gradient,
    "gradient-x-input": gradientTimesInput,
    "integrated-gradients": integratedGradients,
    smoothgrad: smoothGrad,
    "guided-backprop": guidedBackprop,
    "grad-cam": gradCam,
    "guided-grad-cam": guidedGradCam,
    occlusion,
    deeplift: deepLift,
  }[method];
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

/** Per-example similarities by every measure, NaN where `usable[i]` is false (a degenerate map). */
function similarities(maps: number[][][], control: number[][][], usable: readonly boolean[]): Pick<SanityControlResult, "similarity" | "summary"> {
  const undefinedSimilarity = Object.fromEntries(SIMILARITY_MEASURES.map((m) => [m, NaN])) as Record<SimilarityMeasure, number>;
  const per = maps.map((map, i) => (usable[i] ? mapSimilarity(map, control[i]) : undefinedSimilarity));
  const similarity = {} as SanityControlResult["similarity"];
  const summary = {} as SanityControlResult["summary"];
  for (const measure of SIMILARITY_MEASURES) {
    similarity[measure] = per.map((s) => s[measure]);
    summary[measure] = summarize(similarity[measure]);
  }
  return { similarity, summary };
}

/** Summary of the defined values; `undefined` counts the NaNs left out (never silently). */
export function summarize(values: number[]): SimilaritySummary {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = v.length;
  const left = values.length - n;
  if (!n) return { n, undefined: left, mean: NaN, median: NaN, sd: NaN, min: NaN, max: NaN };
  const sd = n > 1 ? Math.sqrt(variance(v)) : NaN;
  const median = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return { n, undefined: left, mean: mean(v), median, sd, min: v[0], max: v[n - 1] };
}
