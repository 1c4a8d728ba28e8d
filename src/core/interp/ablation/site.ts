// An ablation site: one layer of one model on one labelled data set, prepared so that many
// ablations are cheap. The layer's output is computed ONCE (batched) and kept on the device; each
// ablation edits that tensor (zero or mean units, or project out a subspace) and runs only the head
// (the layers after it). Several ablations share one head forward pass by stacking their edited
// copies along the batch axis, up to a memory budget; when the head starts with a Dense or Conv2D
// layer, its product is shared too and each ablation is a low-rank correction (forward.ts), for
// single units on tfjs-node inside one TensorFlow graph with the rest of the head (graph-forward.ts).
import * as tf from "@tensorflow/tfjs";
import {
  checkBatchSize, checkInputs, InterpError, type LayerRef, type Labels, labelArray, layerForward, resolveLayer,
} from "../activations";
import { editedForward, type HeadForward, lowRankForward, type ResolvedAblation } from "./forward";
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
  /** Accuracy with nothing ablated (the head on the cached activations). */
  baseline: number;
  /** Accuracy (argmax of the model's output = label) under each ablation. */
  accuracy(ablations: readonly Ablation[]): Promise<number[]>;
  /** The model's output [examples, outputs] under one ablation (caller disposes). */
  outputs(ablation: Ablation): tf.Tensor;
  /** Frees the cached activations; the site is unusable afterwards. */
  dispose(): void;
}

/** Prepares ablations of `options.layer` over `inputs` / `labels`. Call `dispose()` when done (or use `withAblationSite`). */
export async function ablationSite(model: tf.LayersModel, inputs: tf.Tensor, labels: Labels, options: AblationSiteOptions): Promise<AblationSite> {
  const layer = resolveLayer(model, options.layer);
  checkInputs(model, inputs);
  const n = inputs.shape[0];
  const y = labelArray(labels, n);
  const batchSize = checkBatchSize(options.batchSize ?? 256);
  const maxElements = options.maxBatchElements ?? 2 ** 23;
  const forward = layerForward(model, layer);
  const cached = tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < n; start += batchSize) parts.push(forward(inputs.slice(start, Math.min(batchSize, n - start))));
    return parts.length === 1 ? parts[0] : tf.concat(parts);
  });
  const mean = tf.tidy(() => cached.mean(0));
  const labelTensor = tf.tensor1d(y, "int32");
  const units = cached.shape[cached.rank - 1];
  const exampleSize = cached.size / Math.max(1, n);
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
  if (!graph) {
    try {
      headOf();
    } catch (error) {
      tf.dispose([cached, mean, labelTensor]);
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
      return ablation.mode === "mean" ? kept.add(mean.mul(tf.scalar(1).sub(mask))) : kept;
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
      for (let start = 0; start < n; start += exampleChunk) {
        const size = Math.min(exampleChunk, n - start);
        for (let a = 0; a < mine.length; a += ablationChunk) {
          const group = mine.slice(a, a + ablationChunk);
          const counts = tf.tidy(() => {
            const h = cached.slice(start, size);
            const ablations = group.map((i) => resolved[i]);
            const labelChunk = labelTensor.slice(start, size);
            const counted = forward.correct?.(h, ablations, mean, labelChunk);
            if (counted) return counted;
            const predicted = forward.run(h, ablations, mean).argMax(-1).reshape([group.length, size]);
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
    return tf.tidy(() => routeOf(resolved).run(cached, [resolved], mean));
  }

  const [baseline] = await accuracy([{ units: [] }]);
  return {
    layer: layer.name,
    units,
    examples: n,
    baseline,
    accuracy,
    outputs,
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([cached, mean, labelTensor]);
      lowRank?.dispose();
      head?.dispose();
    },
  };
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
