// Integrated Gradients (Sundararajan et al. 2017): (x − b) ⊙ ∫₀¹ ∇f(b + α(x − b)) dα, the integral by
// quadrature. All steps of a chunk of examples go through the model as ONE batch, and the result
// carries the completeness gap Σ attributions − (f(x) − f(b)), the check that the integral is right.
import * as tf from "@tensorflow/tfjs";
import { DataError } from "../../data";
import { targetGradient } from "./gradient";
import type { GradientOptions } from "./gradient";
import { quadrature, type QuadratureRule } from "./quadrature";
import { type AttributionResult, completeness, examplesPerBatch, perChunk } from "./result";
import { checkInput, type Explainable, forwardScores, resolveTargets, scoredModel, targetScores } from "./scores";

export interface IntegratedGradientsOptions extends Omit<GradientOptions, "batchSize"> {
  /** Gradient evaluations per example. Default 50. */
  steps?: number;
  /** Quadrature rule. Default `gauss-legendre` (far smaller gap than Riemann for the same steps on smooth models). */
  rule?: QuadratureRule;
  /**
   * The reference input: a number (every value, default 0 = a black image), one example's shape
   * (shared by all examples) or x's shape (one baseline per example). Not disposed.
   */
  baseline?: number | tf.Tensor;
  /** Model evaluations per batch (examples × steps). Default: as many as fit 2^19 input elements (8,192 for an 8x8 digit). */
  batchSize?: number;
}

/** Integrated Gradients of f(x)[target] along the straight path from `baseline` to each example. */
export async function integratedGradients(model: Explainable, x: tf.Tensor, options: IntegratedGradientsOptions = {}): Promise<AttributionResult> {
  const scored = scoredModel(model, options.output);
  checkInput(scored, x);
  const steps = options.steps ?? 50;
  const rule = options.rule ?? "gauss-legendre";
  const { nodes, weights } = quadrature(rule, steps);
  const targets = resolveTargets(scored, x, options.target);
  const baseline = options.baseline ?? 0;
  const exampleShape = x.shape.slice(1);
  checkBaseline(baseline, x);
  const chunk = examplesPerBatch(x, steps, options.batchSize);
  const perExample = exampleShape.reduce((a, b) => a * b, 1);

  const out = await perChunk(x, chunk, (xChunk, start, size) => {
    const b = baselineChunk(baseline, x, start, size);
    const t = tf.tensor1d(targets.subarray(start, start + size), "int32");
    // The whole chunk in one TensorFlow session run where the model has a graph route (tfjs-node).
    const viaGraph = scored.graph?.integratedGradients(xChunk, b, t, nodes, weights);
    if (viaGraph) return viaGraph;
    const delta = tf.sub(xChunk, b);
    // [steps, size, ...] → [steps·size, ...]: α varies slowest, so each step is a contiguous block.
    const alphaShape = [steps, 1, ...exampleShape.map(() => 1)];
    const alphas = tf.tensor(Float32Array.from(nodes), alphaShape);
    const path = tf.add(tf.expandDims(b, 0), tf.mul(alphas, tf.expandDims(delta, 0))).reshape([steps * size, ...exampleShape]);
    const { grad } = targetGradient(scored, path, tf.tile(t, [steps]));
    const w = tf.tensor(Float32Array.from(weights), alphaShape);
    const meanGrad = tf.sum(tf.mul(grad.reshape([steps, size, ...exampleShape]), w), 0);
    // f at both ends of the path, for the completeness check.
    const ends = targetScores(forwardScores(scored, tf.concat([xChunk, tf.broadcastTo(b, xChunk.shape)])), tf.concat([t, t]) as tf.Tensor1D);
    return { values: tf.mul(delta, meanGrad), ends };
  });

  const n = x.shape[0];
  const scores = new Float32Array(n);
  const difference = new Float64Array(n);
  for (let start = 0, offset = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    for (let i = 0; i < size; i++) {
      scores[start + i] = out.ends[offset + i];
      difference[start + i] = out.ends[offset + i] - out.ends[offset + size + i];
    }
    offset += 2 * size;
  }
  return {
    method: "integrated-gradients",
    values: out.values,
    shape: x.shape,
    targets,
    scores,
    output: scored.output,
    settings: { steps, rule, baseline: typeof baseline === "number" ? baseline : "tensor" },
    completeness: completeness(out.values, perExample, difference),
  };
}

function checkBaseline(baseline: number | tf.Tensor, x: tf.Tensor): void {
  if (typeof baseline === "number") return;
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  if (same(baseline.shape, x.shape) || same(baseline.shape, x.shape.slice(1))) return;
  throw new DataError("wrong-input-shape", `integratedGradients: the baseline's shape [${baseline.shape.join(", ")}] must be one example's [${x.shape.slice(1).join(", ")}] or the batch's [${x.shape.join(", ")}]`);
}

function baselineChunk(baseline: number | tf.Tensor, x: tf.Tensor, start: number, size: number): tf.Tensor {
  if (typeof baseline === "number") return tf.fill([size, ...x.shape.slice(1)], baseline);
  if (baseline.rank === x.rank) return baseline.slice(start, size);
  return tf.broadcastTo(tf.expandDims(baseline, 0), [size, ...x.shape.slice(1)]);
}
