// An ablation site: one layer of one model on one labelled data set, prepared so that many
// ablations are cheap. The layer's output is computed ONCE (batched, when a route first needs it)
// and kept on the device; each ablation edits that tensor (zero or mean units, or project out a
// subspace) and runs only the head (the layers after it). Several ablations share one head forward
// pass by stacking their edited copies along the batch axis, up to a memory budget; when the head
// starts with a Dense or Conv2D layer, its product is shared too and each ablation is a low-rank
// correction (forward.ts). On tfjs-node, single units of a chain model run with the baseline as one
// TensorFlow graph from the inputs (graph-forward.ts), which needs no activations at all.
import * as tf from "@tensorflow/tfjs";
import {
  checkBatchSize, checkInputs, InterpError, type LayerRef, type Labels, labelArray, layerForward, resolveLayer,
} from "../activations";
import { editedForward, type HeadForward, lowRankForward, type ResolvedAblation, type Rows } from "./forward";
import { graphForward } from "./graph-forward";
import { type Head, splitAt } from "./head";
import { orthonormalBasis, projectOutBasis } from "./project";

/** What to remove from the layer's output. */
export type Ablation =
  /** Units (indices on the last axis; conv channels) set to 0 (`zero`, default) or to their mean over the data set (`mean`, per position). */
  | { units: readonly number[]; mode?: "zero" | "mean" }
  /** A subspace in unit space (rows = directions, any independent set) projected out: h − U(UᵀU)⁻¹Uᵀh. */
  | { directions: readonly (readonly number[])[] };

export interface AblationSiteOptions {
  layer: LayerRef;
  /** Examples per forward pass when computing the layer's output. Default 256. */
  batchSize?: number;
  /**
   * Upper bound on the floats of one stacked head input (examples × ablations × layer size).
   * Default 2^23 (32 MB of float32).
   */
  maxBatchElements?: number;
  /**
   * `auto` (default): single units through one TensorFlow graph on tfjs-node when the head is a
   * chain starting with a Dense or Conv2D layer (graph-forward.ts); else a low-rank update of that
   * layer where it applies; else `edited`: edited copies of the activations through the whole head.
   * All are exact; `edited` is the plain route, kept selectable to cross-check.
   */
  strategy?: "auto" | "edited";
}

export interface AblationSite {
  layer: string;
  /** Units on the layer's last axis. */
  units: number;
  examples: number;
  /** Accuracy with nothing ablated. */
  baseline: number;
  /** Accuracy (argmax of the model's output = label) under each ablation. */
  accuracy(ablations: readonly Ablation[]): Promise<number[]>;
  /** The model's output [examples, outputs] under one ablation (caller disposes). */
  outputs(ablation: Ablation): tf.Tensor;
  /** Frees the cached activations (if any were computed); the site is unusable afterwards. */
  dispose(): void;
}

/** Prepares ablations of `options.layer` over `inputs` / `labels`. Call `dispose()` when done (or use `withAblationSite`). */
export async function ablationSite(model: tf.LayersModel, inputs: tf.Tensor, labels: Labels, options: AblationSiteOptions): Promise<AblationSite> {
  return (await openAblationSite(model, inputs, labels, options, [])).site;
}

/**
 * A site, and the accuracy under `first` measured together with the baseline: on the graph route,
 * the baseline and every single unit of a mode share one pass through the model.
 */
export async function openAblationSite(
  model: tf.LayersModel,
  inputs: tf.Tensor,
  labels: Labels,
  options: AblationSiteOptions,
  first: readonly Ablation[],
): Promise<{ site: AblationSite; accuracy: number[] }> {
  const layer = resolveLayer(model, options.layer);
  checkInputs(model, inputs);
  const n = inputs.shape[0];
  const y = labelArray(labels, n);
  const batchSize = checkBatchSize(options.batchSize ?? 256);
  const maxElements = options.maxBatchElements ?? 2 ** 23;
  const labelTensor = tf.tensor1d(y, "int32");
  const outputShape = (layer.outputShape as (number | null)[]).slice(1);
  // The layer's activations and their mean over the data set, computed when a route first asks
  // (a route that runs the whole model from the inputs never does); kept until dispose.
  let cached: tf.Tensor | undefined;
  let cachedMean: tf.Tensor | undefined;
  const activations = () =>
    (cached ??= tf.keep(
      tf.tidy(() => {
        const forward = layerForward(model, layer);
        const parts: tf.Tensor[] = [];
        for (let start = 0; start < n; start += batchSize) parts.push(forward(inputs.slice(start, Math.min(batchSize, n - start))));
        return parts.length === 1 ? parts[0] : tf.concat(parts);
      }),
    ));
  const meanActivation = () => (cachedMean ??= tf.keep(tf.tidy(() => activations().mean(0))));
  const examplesOf = (start: number, size: number): Rows => ({
    h: () => activations().slice(start, size),
    x: () => inputs.slice(start, size),
    mean: meanActivation,
  });
  const units = outputShape[outputShape.length - 1] ?? activations().shape[outputShape.length];
  const exampleSize = outputShape.every((d) => d != null) ? (outputShape as number[]).reduce((a, b) => a * b, 1) : activations().size / Math.max(1, n);
  let disposed = false;
  // The graph route needs no tfjs head: split only when another route runs, or to check that the
  // model can be split at all when no graph route applies.
  let head: Head | undefined;
  const headOf = () => (head ??= splitAt(model, layer));
  const auto = (options.strategy ?? "auto") === "auto";
  let lowRank: HeadForward | undefined | null = null;
  const lowRankRoute = () => (lowRank === null ? (lowRank = auto ? lowRankForward(headOf()) : undefined) : lowRank);
  let edited: HeadForward | undefined;
  const editedRoute = () => (edited ??= editedForward(headOf(), edit));
  const graph = auto ? graphForward(model, layer, () => lowRankRoute() ?? editedRoute()) : undefined;
  const routeOf = (ablation: ResolvedAblation) => (graph?.accepts(ablation) ? graph : lowRankRoute()?.accepts(ablation) ? lowRankRoute()! : editedRoute());
  const release = () => tf.dispose([cached, cachedMean, labelTensor].filter((t): t is tf.Tensor => t !== undefined));
  if (!graph) {
    try {
      headOf();
    } catch (error) {
      release();
      throw error;
    }
  }

  function resolve(ablation: Ablation): ResolvedAblation {
    if ("directions" in ablation) return { basis: orthonormalBasis(ablation.directions, units) };
    for (const u of ablation.units) {
      if (!(Number.isInteger(u) && u >= 0 && u < units)) throw new InterpError("invalid-input", `unit ${u} is not in 0..${units - 1} (layer ${layer.name})`);
    }
    return { units: [...new Set(ablation.units)], mode: ablation.mode ?? "zero" };
  }

  function edit(h: tf.Tensor, ablation: ResolvedAblation): tf.Tensor {
    return tf.tidy(() => {
      if ("basis" in ablation) return projectOutBasis(h, tf.tensor2d(ablation.basis));
      const keep = new Float32Array(units).fill(1);
      for (const u of ablation.units) keep[u] = 0;
      const mask = tf.tensor1d(keep);
      const kept = h.mul(mask);
      return ablation.mode === "mean" ? kept.add(meanActivation().mul(tf.scalar(1).sub(mask))) : kept;
    });
  }

  function check(): void {
    if (disposed) throw new InterpError("invalid-input", "this ablation site was disposed");
  }

  async function accuracy(ablations: readonly Ablation[]): Promise<number[]> {
    check();
    const resolved = ablations.map(resolve);
    const correct = new Float64Array(ablations.length);
    for (const forward of new Set(resolved.map(routeOf))) {
      const mine = resolved.flatMap((ablation, i) => (routeOf(ablation) === forward ? [i] : []));
      // Rows of one head pass: as many examples as fit, then as many ablations of them as fit.
      const rows = Math.max(1, Math.floor(maxElements / forward.rowSize(exampleSize)));
      const exampleChunk = Math.min(n, rows);
      const ablationChunk = Math.max(1, Math.floor(rows / exampleChunk));
      const groups = groupsOf(mine, ablationChunk, (i) => forward.stackedRows?.(resolved[i]) ?? 1);
      for (let start = 0; start < n; start += exampleChunk) {
        const size = Math.min(exampleChunk, n - start);
        for (const group of groups) {
          const counts = tf.tidy(() => {
            const chunk = examplesOf(start, size);
            const ablations = group.map((i) => resolved[i]);
            const labelChunk = labelTensor.slice(start, size);
            const counted = forward.correct?.(chunk, ablations, labelChunk);
            if (counted) return counted;
            const predicted = forward.run(chunk, ablations).argMax(-1).reshape([group.length, size]);
            return predicted.equal(labelChunk.expandDims(0)).sum(1);
          });
          const values = await counts.data();
          counts.dispose();
          values.forEach((c, k) => (correct[group[k]] += c));
        }
      }
    }
    return Array.from(correct, (c) => c / n);
  }

  function outputs(ablation: Ablation): tf.Tensor {
    check();
    const resolved = resolve(ablation);
    return tf.tidy(() => routeOf(resolved).run(examplesOf(0, n), [resolved]));
  }

  const dispose = () => {
    if (disposed) return;
    disposed = true;
    release();
    lowRank?.dispose();
    head?.dispose();
  };
  let measured: number[];
  try {
    measured = await accuracy([{ units: [] }, ...first]);
  } catch (error) {
    dispose(); // an invalid ablation in `first`: nothing may leak
    throw error;
  }
  const [baseline, ...rest] = measured;
  return { site: { layer: layer.name, units, examples: n, baseline, accuracy, outputs, dispose }, accuracy: rest };
}

/** `items` in order, cut into groups of at most `capacity` rows (an item of 0 rows joins any group). */
function groupsOf(items: readonly number[], capacity: number, rows: (item: number) => number): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let used = 0;
  for (const item of items) {
    const cost = rows(item);
    if (current.length && used + cost > capacity) {
      groups.push(current);
      [current, used] = [[], 0];
    }
    current.push(item);
    used += cost;
  }
  if (current.length) groups.push(current);
  return groups;
}

/** Runs `fn` on a fresh ablation site and disposes it afterwards, even if `fn` throws. */
export async function withAblationSite<T>(
  model: tf.LayersModel,
  inputs: tf.Tensor,
  labels: Labels,
  options: AblationSiteOptions,
  fn: (site: AblationSite) => Promise<T>,
): Promise<T> {
  const site = await ablationSite(model, inputs, labels, options);
  try {
    return await fn(site);
  } finally {
    site.dispose();
  }
}
