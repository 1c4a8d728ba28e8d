// The reference input of a path or difference method (Integrated Gradients, DeepLift): a number
// (every value), one example's shape (shared by all examples) or x's shape (one per example).
import * as tf from "@tensorflow/tfjs";
import { DataError } from "../../data";

export type Baseline = number | tf.Tensor;

/** Refuses a baseline tensor that is neither one example's shape nor the batch's. */
export function checkBaseline(method: string, baseline: Baseline, x: tf.Tensor): void {
  if (typeof baseline === "number") return;
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  if (same(baseline.shape, x.shape) || same(baseline.shape, x.shape.slice(1))) return;
  throw new DataError("wrong-input-shape", `${method}: the baseline's shape [${baseline.shape.join(", ")}] must be one example's [${x.shape.slice(1).join(", ")}] or the batch's [${x.shape.join(", ")}]`);
}

/** The baseline rows of examples [start, start + size) of `x`. */
export function baselineChunk(baseline: Baseline, x: tf.Tensor, start: number, size: number): tf.Tensor {
  if (typeof baseline === "number") return tf.fill([size, ...x.shape.slice(1)], baseline);
  if (baseline.rank === x.rank) return baseline.slice(start, size);
  return tf.broadcastTo(tf.expandDims(baseline, 0), [size, ...x.shape.slice(1)]);
}

/** The baseline as the result's settings record it. */
export function baselineSetting(baseline: Baseline): number | string {
  return typeof baseline === "number" ? baseline : "tensor";
}
