// Vanilla gradient (saliency; Simonyan et al. 2014) and gradient × input (Shrikumar et al. 2016):
// one backward pass per batch of examples.
import * as tf from "@tensorflow/tfjs";
import type { AttributionResult } from "./result";
import { perChunk } from "./result";
import { checkInput, type Explainable, resolveTargets, type ScoredModel, type ScoreOutput, scoredModel, type Target, targetScores, targetScoreSum } from "./scores";

export interface GradientOptions {
  /** Class to explain. Default: the predicted class of each example. */
  target?: Target;
  /** Explain the logits (default; looks through a final softmax) or the model's output. */
  output?: ScoreOutput;
  /** Examples per backward pass. Default 256. */
  batchSize?: number;
}

/** ∂ f(x)[target] / ∂x for each example of the batch `x`. */
export function gradient(model: Explainable, x: tf.Tensor, options: GradientOptions = {}): Promise<AttributionResult> {
  return gradientBased("gradient", model, x, options);
}

/** x ⊙ ∂ f(x)[target] / ∂x: the gradient's first-order contribution of each input value. */
export function gradientTimesInput(model: Explainable, x: tf.Tensor, options: GradientOptions = {}): Promise<AttributionResult> {
  return gradientBased("gradient-x-input", model, x, options);
}

async function gradientBased(method: "gradient" | "gradient-x-input", model: Explainable, x: tf.Tensor, options: GradientOptions): Promise<AttributionResult> {
  const scored = scoredModel(model, options.output);
  checkInput(scored, x);
  const targets = resolveTargets(scored, x, options.target);
  const { values, scores } = await perChunk(x, options.batchSize ?? 256, (xChunk, start, size) => {
    const t = tf.tensor1d(targets.subarray(start, start + size), "int32");
    const { value, grad } = targetGradient(scored, xChunk, t, true);
    return { values: method === "gradient" ? grad : tf.mul(grad, xChunk), scores: value! };
  });
  return { method, values, shape: x.shape, targets, scores, output: scored.output, settings: {} };
}

/**
 * The gradient of each row's target score w.r.t. the row, and with `withValue` the scores themselves
 * from the same forward pass: through the model's graph route when it has one, else tf.grad (call
 * inside tf.tidy).
 */
export function targetGradient(scored: ScoredModel, x: tf.Tensor, targets: tf.Tensor1D, withValue = false): { value?: tf.Tensor1D; grad: tf.Tensor } {
  const viaGraph = scored.graph?.targetGradient(x, targets);
  if (viaGraph) return withValue ? viaGraph : { grad: viaGraph.grad };
  let value: tf.Tensor1D | undefined;
  const grad = tf.grad((input: tf.Tensor) => {
    const s = scored.scores(input);
    if (withValue) value = tf.keep(targetScores(s, targets));
    return targetScoreSum(s, targets);
  })(x);
  return { value, grad };
}
