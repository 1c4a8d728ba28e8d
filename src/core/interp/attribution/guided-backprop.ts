// Guided Backpropagation (Springenberg et al. 2015): the input gradient with every ReLU's backward
// pass also dropping negative incoming gradients, so only paths that raise the score pass. Adebayo
// et al. (2018) found its maps nearly unchanged when the top layers are randomised: it behaves like
// an edge detector. The modified rule needs to see the ReLUs, so it runs on a model read as a chain
// of layers (ScoredModel.steps); other models are refused with a message.
import * as tf from "@tensorflow/tfjs";
import { InterpError } from "../activations";
import { chainFunction } from "../layer-chain";
import { chunks, rowsPerPass, runPasses } from "./batches";
import { type GradientOptions, targetClasses, targetGradient, targetSlice } from "./gradient";
import type { AttributionResult } from "./result";
import { checkInput, type Explainable, resolveTarget, type ScoredModel, scoredModel } from "./scores";

/** ReLU whose gradient passes only positive incoming gradient, where the unit was active. */
const guidedRelu = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const y = tf.relu(x);
  save([y]);
  return { value: y, gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(tf.relu(dy), tf.sign(saved)) };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;

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

/** The model's scores with Guided Backprop's ReLU, or a clear refusal for a model that is not a chain of known layers. */
export function guidedScores(scored: ScoredModel, method: string): (x: tf.Tensor) => tf.Tensor {
  if (!scored.steps) {
    throw new InterpError("unsupported-model", `${method} rewrites each ReLU's backward pass, so it needs a model whose layers form a chain of standard layers (Conv2D, Dense, pooling, Flatten, Activation); this model is a DAG, a graph model or a score function`);
  }
  return chainFunction(scored.steps, { relu: guidedRelu });
}
