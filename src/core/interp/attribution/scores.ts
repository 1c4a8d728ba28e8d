// What an attribution explains: one class score of a model, per example. By default the pre-softmax
// logit (a softmax output saturates, so its gradients say little), found by looking through a final
// softmax layer; `output: "model-output"` explains whatever the model returns.
import * as tf from "@tensorflow/tfjs";
import { checkInputShape, DataError, type LoadedModel } from "../../data";
import { type GraphRoutes, graphRoutes } from "./gradient-graph";
import { chainFunction, chainSteps } from "../layer-chain";

/**
 * Maps a batch of inputs to class scores [batch, classes], or to one score per example ([batch] or
 * [batch, 1]: a regression, a logit, a probe's score); must be differentiable for gradients.
 */
export type ScoreFunction = (x: tf.Tensor) => tf.Tensor;

/** Anything attribution can explain: a tfjs model, a loaded model, or a score function. */
export type Explainable = tf.LayersModel | tf.GraphModel | LoadedModel | ScoreFunction;

export type ScoreOutput = "logits" | "model-output";

/** Which class to explain: one for all examples, one per example, or the model's prediction (default). */
export type Target = number | ArrayLike<number> | "predicted";

export interface ScoredModel {
  scores: ScoreFunction;
  /** What the scores are: `logits` when a final softmax was looked through, else `model-output`. */
  output: ScoreOutput;
  /** The model's input shape (null = any), when the model declares one. */
  inputShape?: (number | null)[];
  /** Faster routes to the scores and their input gradient (gradient-graph.ts), where the model has them. */
  graph?: GraphRoutes;
}

const cache = new WeakMap<tf.LayersModel, Partial<Record<ScoreOutput, ScoredModel>>>();

/** The score function of `model`: its logits when asked and found, else its output. */
export function scoredModel(model: Explainable, output: ScoreOutput = "logits"): ScoredModel {
  if (typeof model === "function") return { scores: (x) => asColumns(model(x)), output: "model-output" };
  if ("kind" in model) {
    if (model.kind === "saved-model") throw new DataError("invalid-argument", `${model.path} is a SavedModel, which runs natively without gradients; convert it to a tfjs model (tensorflowjs_converter) to explain it`);
    return { ...scoredModel(model.model, output), inputShape: model.inputShape };
  }
  if (model instanceof tf.GraphModel) {
    return { scores: (x) => model.predict(x) as tf.Tensor, output: "model-output", inputShape: model.inputs[0]?.shape?.map((s) => (s === -1 ? null : s)) };
  }
  const cached = cache.get(model) ?? {};
  cache.set(model, cached);
  return (cached[output] ??= layersScores(model, output));
}

/**
 * Scores of a layers model. With `logits`, a final softmax is looked through: a last Activation
 * layer is dropped, a last Dense layer's activation is skipped. Sequential models of standard layers
 * run as a gradient-lean chain of unfused ops (../layer-chain.ts), with their input gradient as one
 * TensorFlow graph on tfjs-node (gradient-graph.ts); others through the layers themselves.
 */
function layersScores(model: tf.LayersModel, output: ScoreOutput): ScoredModel {
  const inputShape = model.inputs[0].shape;
  const n = model.layers.length;
  const last = model.layers[n - 1];
  const softmaxLast = output === "logits" && (last.getConfig() as { activation?: string }).activation === "softmax";
  const dropLast = softmaxLast && last.getClassName() === "Activation";
  const linearLast = softmaxLast && last.getClassName() === "Dense";
  const found: ScoreOutput = dropLast || linearLast ? "logits" : "model-output";
  const steps = chainSteps(model, dropLast ? n - 1 : n, linearLast);
  if (steps) {
    const classes = model.outputs[0].shape[model.outputs[0].shape.length - 1];
    const exampleShape = inputShape.slice(1).map((d) => d ?? -1);
    const graph = classes ? graphRoutes(steps, exampleShape, classes) : undefined;
    return { scores: chainFunction(steps), output: found, inputShape, graph };
  }
  if (dropLast) {
    const below = last.input as tf.SymbolicTensor;
    if (model.inputs.includes(below)) return { scores: (x) => x, output: found, inputShape };
    const sub = tf.model({ inputs: model.inputs, outputs: below });
    return { scores: (x) => sub.apply(x) as tf.Tensor, output: found, inputShape };
  }
  if (linearLast) {
    // A Dense layer with a softmax activation: the model up to it, then its kernel and bias.
    const below = last.input as tf.SymbolicTensor;
    const sub = model.inputs.includes(below) ? undefined : tf.model({ inputs: model.inputs, outputs: below });
    const [kernel, bias] = last.weights;
    const scores: ScoreFunction = (x) => {
      const z = tf.matMul((sub ? sub.apply(x) : x) as tf.Tensor2D, kernel.read() as tf.Tensor2D);
      return bias ? tf.add(z, bias.read()) : z;
    };
    return { scores, output: found, inputShape };
  }
  return { scores: (x) => model.apply(x) as tf.Tensor, output: "model-output", inputShape };
}

/** Checks `x` against the model's declared input shape (clear `wrong-input-shape` error). */
export function checkInput(model: ScoredModel, x: tf.Tensor): void {
  if (x.rank < 2) throw new DataError("wrong-input-shape", `attribution needs a batch of inputs (rank ≥ 2), got shape [${x.shape.join(", ")}]`);
  if (model.inputShape) checkInputShape(model.inputShape, x.shape, "the model");
}

/** The scores of `x` when no gradient is taken of them: through the model's graph route when it has one. */
export function forwardScores(model: ScoredModel, x: tf.Tensor): tf.Tensor {
  return model.graph?.scores(x) ?? model.scores(x);
}

/** The class explained for each of the `n` examples of `x`. */
export function resolveTargets(model: ScoredModel, x: tf.Tensor, target: Target = "predicted"): Int32Array {
  const n = x.shape[0];
  if (target === "predicted") return tf.tidy(() => forwardScores(model, x).argMax(-1).dataSync() as Int32Array).slice();
  if (typeof target === "number") return new Int32Array(n).fill(target);
  if (target.length !== n) throw new DataError("invalid-argument", `target has ${target.length} classes for ${n} examples`);
  return Int32Array.from(target);
}

/** Σ_rows score[row, target[row]]: its gradient w.r.t. x is each row's target-score gradient. */
export function targetScoreSum(scores: tf.Tensor, targets: tf.Tensor1D): tf.Scalar {
  return tf.sum(targetScores(scores, targets));
}

/** The target-class score of each row [rows]; a model with one output has only class 0. */
export function targetScores(scores: tf.Tensor, targets: tf.Tensor1D): tf.Tensor1D {
  const classes = scores.shape[scores.shape.length - 1];
  // tfjs' oneHot refuses depth 1, and a single score needs no picking.
  if (classes === 1) return tf.reshape(scores, [-1]);
  return tf.sum(tf.mul(scores, tf.oneHot(targets, classes)), -1) as tf.Tensor1D;
}

/** One score per example as a column [batch, 1], so that class 0 is that score. */
function asColumns(scores: tf.Tensor): tf.Tensor {
  return scores.rank === 1 ? tf.expandDims(scores, 1) : scores;
}
