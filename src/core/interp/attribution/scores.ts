// What an attribution explains: one class score of a model, per example. By default the pre-softmax
// logit (a softmax output saturates, so its gradients say little), found by looking through a final
// softmax layer; `output: "model-output"` explains whatever the model returns.
import * as tf from "@tensorflow/tfjs";
import { checkInputShape, DataError, type LoadedModel } from "../../data";

/** Maps a batch of inputs to class scores [batch, classes]; must be differentiable for gradients. */
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
}

const subModels = new WeakMap<tf.LayersModel, ScoreFunction>();

/** The score function of `model`: its logits when asked and found, else its output. */
export function scoredModel(model: Explainable, output: ScoreOutput = "logits"): ScoredModel {
  if (typeof model === "function") return { scores: model, output: "model-output" };
  if ("kind" in model) {
    if (model.kind === "saved-model") throw new DataError("invalid-argument", `${model.path} is a SavedModel, which runs natively without gradients; convert it to a tfjs model (tensorflowjs_converter) to explain it`);
    return { ...scoredModel(model.model, output), inputShape: model.inputShape };
  }
  if (model instanceof tf.GraphModel) {
    return { scores: (x) => model.predict(x) as tf.Tensor, output: "model-output", inputShape: model.inputs[0]?.shape?.map((s) => (s === -1 ? null : s)) };
  }
  const inputShape = model.inputs[0].shape;
  const logits = output === "logits" ? logitsOf(model) : undefined;
  if (logits) return { scores: logits, output: "logits", inputShape };
  return { scores: (x) => model.apply(x) as tf.Tensor, output: "model-output", inputShape };
}

/** The pre-softmax scores of a layers model whose last layer is a softmax, else undefined. */
function logitsOf(model: tf.LayersModel): ScoreFunction | undefined {
  const cached = subModels.get(model);
  if (cached) return cached;
  const last = model.layers[model.layers.length - 1];
  const config = last.getConfig() as { activation?: string };
  if (config.activation !== "softmax") return undefined;
  const below = last.input as tf.SymbolicTensor;
  const isInput = model.inputs.includes(below);
  const feed: ScoreFunction = isInput ? (x) => x : (() => {
    const sub = tf.model({ inputs: model.inputs, outputs: below });
    return (x: tf.Tensor) => sub.apply(x) as tf.Tensor;
  })();
  let scores: ScoreFunction;
  if (last.getClassName() === "Activation") scores = feed;
  else if (last.getClassName() === "Dense") {
    // A Dense layer with a softmax activation: its kernel and bias give the logits.
    const [kernel, bias] = last.getWeights();
    scores = (x) => {
      const z = tf.matMul(feed(x) as tf.Tensor2D, kernel as tf.Tensor2D);
      return bias ? tf.add(z, bias) : z;
    };
  } else return undefined;
  subModels.set(model, scores);
  return scores;
}

/** Checks `x` against the model's declared input shape (clear `wrong-input-shape` error). */
export function checkInput(model: ScoredModel, x: tf.Tensor): void {
  if (x.rank < 2) throw new DataError("wrong-input-shape", `attribution needs a batch of inputs (rank ≥ 2), got shape [${x.shape.join(", ")}]`);
  if (model.inputShape) checkInputShape(model.inputShape, x.shape, "the model");
}

/** The class explained for each of the `n` examples of `x`. */
export function resolveTargets(model: ScoredModel, x: tf.Tensor, target: Target = "predicted"): Int32Array {
  const n = x.shape[0];
  if (target === "predicted") return tf.tidy(() => model.scores(x).argMax(-1).dataSync() as Int32Array).slice();
  if (typeof target === "number") return new Int32Array(n).fill(target);
  if (target.length !== n) throw new DataError("invalid-argument", `target has ${target.length} classes for ${n} examples`);
  return Int32Array.from(target);
}

/** Σ_rows score[row, target[row]]: its gradient w.r.t. x is each row's target-score gradient. */
export function targetScoreSum(scores: tf.Tensor, targets: tf.Tensor1D): tf.Scalar {
  const classes = scores.shape[scores.shape.length - 1];
  return tf.sum(tf.mul(scores, tf.oneHot(targets, classes))) as tf.Scalar;
}

/** The target-class score of each row [rows]. */
export function targetScores(scores: tf.Tensor, targets: tf.Tensor1D): tf.Tensor1D {
  const classes = scores.shape[scores.shape.length - 1];
  return tf.sum(tf.mul(scores, tf.oneHot(targets, classes)), -1) as tf.Tensor1D;
}
