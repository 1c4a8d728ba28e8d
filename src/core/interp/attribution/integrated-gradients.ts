// Integrated Gradients (Sundararajan et al. 2017): (x − b) ⊙ ∫₀¹ ∇f(b + α(x − b)) dα, the integral by
// quadrature. All steps of a chunk of examples go through the model as ONE batch, and the result
// carries the completeness gap Σ attributions − (f(x) − f(b)), the check that the integral is right.
import * as tf from "@tensorflow/tfjs";
import { type Baseline, baselineChunk, baselineSetting, checkBaseline } from "./baseline";
import { chunks, rowsPerPass, runPasses } from "./batches";
import { type GradientOptions, targetClasses, targetGradient, targetSlice } from "./gradient";
import { quadrature, type QuadratureRule } from "./quadrature";
import { type AttributionResult, completeness } from "./result";
import { checkInput, type Explainable, forwardScores, resolveTarget, scoredModel, targetScores } from "./scores";

export interface IntegratedGradientsOptions extends GradientOptions {
  /** Gradient evaluations per example. Default 50. */
  steps?: number;
  /** Quadrature rule. Default `gauss-legendre` (far smaller gap than Riemann for the same steps on smooth models). */
  rule?: QuadratureRule;
  /**
   * The reference input: a number (every value, default 0 = a black image), one example's shape
   * (shared by all examples) or x's shape (one baseline per example). Not disposed.
   */
  baseline?: Baseline;
}

/**
 * Integrated Gradients of f(x)[target] along the straight path from `baseline` to each example.
 * Passes hold at most the memory budget's rows: several examples' steps at once, or one example's
 * steps in slices whose quadrature sums add up (the result does not depend on the split).
 */
export async function integratedGradients(model: Explainable, x: tf.Tensor, options: IntegratedGradientsOptions = {}): Promise<AttributionResult> {
  const scored = scoredModel(model, options.output);
  checkInput(scored, x);
  const steps = options.steps ?? 50;
  const rule = options.rule ?? "gauss-legendre";
  const { nodes, weights } = quadrature(rule, steps);
  const targets = resolveTarget(scored, x, options.target);
  const baseline = options.baseline ?? 0;
  const exampleShape = x.shape.slice(1);
  checkBaseline("integratedGradients", baseline, x);
  const perExample = exampleShape.reduce((a, b) => a * b, 1);
  const plan = chunks(x.shape[0], steps, rowsPerPass(scored, exampleShape, options));

  const out = await runPasses(
    "integratedGradients",
    x,
    plan,
    (xChunk, { start, size, from, to }) => {
      const b = baselineChunk(baseline, x, start, size);
      const t = targetSlice(targets, start, size);
      const [alphas, w] = [nodes.subarray(from, to), weights.subarray(from, to)];
      // The slice of steps in one TensorFlow session run where the model has a graph route (tfjs-node).
      const viaGraph = typeof t === "function" ? undefined : scored.graph?.pathGradientSum(xChunk, b, t, alphas, w);
      if (viaGraph) return { sum: viaGraph };
      const k = to - from;
      // [k, size, ...] → [k·size, ...]: α varies slowest, so each step is a contiguous block.
      const alphaShape = [k, 1, ...exampleShape.map(() => 1)];
      const path = tf.add(tf.expandDims(b, 0), tf.mul(tf.tensor(Float32Array.from(alphas), alphaShape), tf.expandDims(tf.sub(xChunk, b), 0))).reshape([k * size, ...exampleShape]);
      const { grad } = targetGradient(scored, path, typeof t === "function" ? t : tf.tile(t, [k]));
      return { sum: tf.sum(tf.mul(grad.reshape([k, size, ...exampleShape]), tf.tensor(Float32Array.from(w), alphaShape)), 0) };
    },
    (xChunk, start, size, { sum }) => {
      const b = baselineChunk(baseline, x, start, size);
      const t = targetSlice(targets, start, size);
      // f at both ends of the path, for the completeness check: x's rows, then the baseline's.
      const both = tf.concat([xChunk, b]);
      const ends = typeof t === "function" ? t(scored.scores(both)) : targetScores(forwardScores(scored, both), tf.concat([t, t]) as tf.Tensor1D);
      return { values: tf.mul(tf.sub(xChunk, b), sum), ends };
    },
  );

  const n = x.shape[0];
  const scores = new Float32Array(n);
  const difference = new Float64Array(n);
  for (let start = 0, offset = 0; start < n; ) {
    const size = plan.find((chunk) => chunk.start === start)!.size;
    for (let i = 0; i < size; i++) {
      scores[start + i] = out.ends[offset + i];
      difference[start + i] = out.ends[offset + i] - out.ends[offset + size + i];
    }
    offset += 2 * size;
    start += size;
  }
  return {
    method: "integrated-gradients",
    values: out.values,
    shape: x.shape,
    targets: targetClasses(targets, n),
    scores,
    output: scored.output,
    settings: { steps, rule, baseline: baselineSetting(baseline) },
    completeness: completeness(out.values, perExample, difference),
  };
}
