// Vanilla gradient (saliency; Simonyan et al. 2014) and gradient × input (Shrikumar et al. 2016):
// one backward pass per chunk of examples, chunks sized to the memory budget (batches.ts).
import * as tf from "@tensorflow/tfjs";
import { type BatchOptions, chunks, rowsPerPass, runPasses } from "./batches";
import type { AttributionResult } from "./result";
import { checkInput, type Explainable, type ResolvedTarget, resolveTarget, type ScoredModel, type ScoreOutput, scoredModel, type Target, targetScores, targetScoreSum } from "./scores";

export interface GradientOptions extends BatchOptions {
  /** What to explain: a class, one per example, the prediction (default), or a function of the scores giving one value per example. */
  target?: Target;
  /** The scores explained: `logits` (default; looks through a final softmax), `model-output`, or a layer's or graph node's name. */
  output?: ScoreOutput;
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
  const targets = resolveTarget(scored, x, options.target);
  const plan = chunks(x.shape[0], 1, rowsPerPass(scored, x.shape.slice(1), options));
  const { values, scores } = await runPasses(
    method,
    x,
    plan,
    (xChunk, { start, size }) => {
      const { value, grad } = targetGradient(scored, xChunk, targetSlice(targets, start, size), true);
      return { values: method === "gradient" ? grad : tf.mul(grad, xChunk), scores: value! };
    },
    (_, __, ___, sums) => ({ values: sums.values, scores: sums.scores }),
  );
  return { method, values, shape: x.shape, targets: targetClasses(targets, x.shape[0]), scores, output: scored.output, settings: {} };
}

/** The targets of examples [start, start + size): their classes as a tensor, or the target function. */
export function targetSlice(targets: ResolvedTarget, start: number, size: number): tf.Tensor1D | ((scores: tf.Tensor) => tf.Tensor) {
  return typeof targets === "function" ? targets : tf.tensor1d(targets.subarray(start, start + size), "int32");
}

/** The classes explained, for the result: −1 for every example when a target function chose the scores. */
export function targetClasses(targets: ResolvedTarget, n: number): Int32Array {
  return typeof targets === "function" ? new Int32Array(n).fill(-1) : targets;
}

/**
 * The gradient of each row's target score w.r.t. the row, and with `withValue` the scores themselves
 * from the same forward pass: through the model's graph route when it has one (class targets), else
 * tf.grad (call inside tf.tidy). `targets` repeats over the rows when x has more rows than targets.
 */
export function targetGradient(scored: ScoredModel, x: tf.Tensor, targets: tf.Tensor1D | ((scores: tf.Tensor) => tf.Tensor), withValue = false): { value?: tf.Tensor1D; grad: tf.Tensor } {
  if (typeof targets !== "function") {
    const viaGraph = scored.graph?.targetGradient(x, targets);
    if (viaGraph) return withValue ? viaGraph : { grad: viaGraph.grad };
  }
  const score = (s: tf.Tensor): tf.Tensor1D => (typeof targets === "function" ? checkedTargetValues(targets(s), x.shape[0]) : targetScores(s, targets));
  let value: tf.Tensor1D | undefined;
  const grad = tf.grad((input: tf.Tensor) => {
    const s = scored.scores(input);
    if (withValue) value = tf.keep(score(s));
    return typeof targets === "function" ? (tf.sum(score(s)) as tf.Scalar) : targetScoreSum(s, targets);
  })(x);
  return { value, grad };
}

function checkedTargetValues(values: tf.Tensor, rows: number): tf.Tensor1D {
  if (values.rank !== 1 || values.shape[0] !== rows) throw new RangeError(`a target function must return one value per example ([${rows}]), got [${values.shape.join(", ")}]`);
  return values as tf.Tensor1D;
}
