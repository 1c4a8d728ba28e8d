// Guided Backpropagation (Springenberg et al. 2015): the input gradient with every ReLU's backward
// pass also dropping negative incoming gradients, so only paths that raise the score pass. Adebayo
// et al. (2018) found its maps nearly unchanged when the top layers are randomised: it behaves like
// an edge detector. The modified rule needs to see the ReLUs, so it runs op by op on the model's
// reading as primitive ops (../graph: chains, DAGs such as residual nets, imported ONNX/Keras models,
// tfjs graph models), on every backend; a model the readers do not know is refused with a message.
// ReLU and ReLU6 (clipped at 6: MobileNets, ONNX Clip(0, 6)) get the guided rule, relu(dy)·f'(x);
// other activations (leaky ReLU, ELU, sigmoid, ...) keep their gradient, as in Captum, which guides
// only ReLUs.
import * as tf from "@tensorflow/tfjs";
import { InterpError } from "../activations";
import type { NodeRule } from "../graph/eager";
import type { Activation } from "../graph/ir";
import { chunks, rowsPerPass, runPasses } from "./batches";
import { type GradientOptions, targetClasses, targetGradient, targetSlice } from "./gradient";
import type { AttributionResult } from "./result";
import { checkInput, type Explainable, resolveTarget, type ScoredModel, scoredModel } from "./scores";

/** `f` whose backward pass is relu(dy) · f'(x), f' being 1 where `active(x)` and 0 elsewhere. */
function guided(f: (x: tf.Tensor) => tf.Tensor, active: (x: tf.Tensor) => tf.Tensor): (x: tf.Tensor) => tf.Tensor {
  return tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return { value: f(x), gradFunc: (dy: tf.Tensor, [input]: tf.Tensor[]) => tf.mul(tf.relu(dy), tf.cast(active(input), dy.dtype)) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;
}

/** Guided Backprop's rules: a unit passes (positive) gradient only where it is active. */
const GUIDED: Partial<Record<Exclude<Activation, object>, (x: tf.Tensor) => tf.Tensor>> = {
  relu: guided(tf.relu, (x) => tf.greater(x, 0)),
  relu6: guided(tf.relu6, (x) => tf.logicalAnd(tf.greater(x, 0), tf.less(x, 6))),
};

const guidedRule: NodeRule = ({ op }, [x]) => (op.kind === "activation" && typeof op.activation === "string" ? GUIDED[op.activation]?.(x) : undefined);

/** Guided Backprop maps of `x`: the input's shape, like `gradient`'s. */
export async function guidedBackprop(model: Explainable, x: tf.Tensor, options: GradientOptions = {}): Promise<AttributionResult> {
  const scored = scoredModel(model, options.output);
  checkInput(scored, x);
  const targets = resolveTarget(scored, x, options.target);
  // The same model with the guided ReLU and without its graph route (which has the plain rule).
  const guided: ScoredModel = { ...scored, scores: guidedScores(scored, "Guided Backprop"), graph: undefined };
  const plan = chunks(x.shape[0], 1, rowsPerPass(scored, x.shape.slice(1), options));
  const { values, scores } = await runPasses(
    "guided-backprop",
    x,
    plan,
    (xChunk, { start, size }) => {
      const { value, grad } = targetGradient(guided, xChunk, targetSlice(targets, start, size), true);
      return { values: grad, scores: value! };
    },
    (_, __, ___, sums) => ({ values: sums.values, scores: sums.scores }),
  );
  return { method: "guided-backprop", values, shape: x.shape, targets: targetClasses(targets, x.shape[0]), scores, output: scored.output, settings: {} };
}

/** The model's scores with Guided Backprop's rules, or a clear refusal for a model the graph readers do not know. */
function guidedScores(scored: ScoredModel, method: string): (x: tf.Tensor) => tf.Tensor {
  if (!scored.ops) {
    throw new InterpError("unsupported-model", `${method} rewrites each ReLU's backward pass, so it needs a model whose ops Falsify can read (tfjs layers and graph models, Keras and ONNX imports, of standard layers: Conv2D, Dense, BatchNorm, pooling, Add, Concatenate, activations...); this model has a layer the readers do not know, or is a score function`);
  }
  return scored.ops.scores(guidedRule);
}
