// The class-selectivity regulariser of Leavitt & Morcos (2021, "Selectivity considered harmful"): the
// training loss becomes  L = CE − α · SI_μ,  SI_μ the mean class selectivity of the named layers'
// units, computed per mini-batch (as in the paper) from the batch's class-conditional mean
// activations. α < 0 trains selectivity away, α > 0 trains it in. If a network needs its selective
// units, lowering SI_μ should cost accuracy: the seed paper's own strong, falsifiable hypothesis.
//
// Per batch and unit u (conv maps averaged over space first, as in selectivity.ts):
//   μ_c = mean activation over the batch's examples of class c (classes present in the batch only),
//   SI_u = (μ_max − μ_−max) / (μ_max + μ_−max + ε),  μ_−max the mean of the other present classes' μ_c.
// Differentiable (the max routes the gradient to the preferred class), so any optimiser can use it.
//
// Two ways to train with it:
// - model.fit: `regularizer.model` shares the user's layers (training it trains their model) and
//   outputs [the model's output, each layer's spatially averaged activations]; `compile` gives each
//   activation output the penalty as its loss; `targets(y)` repeats the labels for those outputs.
// - a custom loop: `regularizer.loss(x, y)` inside `optimizer.minimize`.
import * as tf from "@tensorflow/tfjs";
import { InterpError, type LayerRef, layerOutput, resolveLayer } from "./activations";

export interface SelectivityRegularizer {
  /** α: the loss adds −α · mean SI (α < 0 lowers selectivity, α > 0 raises it). */
  alpha: number;
  layers: string[];
  /** The user's model with each regularised layer's activations (spatially averaged) as extra outputs; shares its weights. */
  model: tf.LayersModel;
  /** Compiles `model`: `loss` (and `metrics`) for the model's own output, the penalty for the activation outputs. */
  compile(args: { optimizer: tf.Optimizer | string; loss: string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor); metrics?: string[] }): void;
  /** The fit targets: `y` (class indices [n]) for the model's output, and the labels again for each activation output. Dispose them after fit. */
  targets(y: tf.Tensor | ArrayLike<number>): tf.Tensor[];
  /** The penalty −α · SI_μ of one batch's activations (in the layers' order) and labels. */
  penalty(activations: tf.Tensor[], labels: tf.Tensor): tf.Scalar;
  /** Mean SI of one batch (no α): what the penalty pushes on, for logging. */
  batchSelectivity(activations: tf.Tensor[], labels: tf.Tensor): tf.Scalar;
  /** Base loss (default sparse categorical cross-entropy of the model's output) plus the penalty, for `optimizer.minimize`. */
  loss(x: tf.Tensor, y: tf.Tensor, base?: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor): tf.Scalar;
}

const EPSILON = 1e-7;

/** The class-selectivity regulariser of `layers` (post-ReLU layers, or pooling/flatten after one) with strength `alpha`. */
export function selectivityRegularizer(model: tf.LayersModel, layers: LayerRef[], alpha: number): SelectivityRegularizer {
  if (!Number.isFinite(alpha)) throw new InterpError("invalid-input", `alpha must be a finite number, got ${alpha}`);
  if (!layers.length) throw new InterpError("invalid-input", "name at least one layer to regularise");
  if (model.outputs.length !== 1) throw new InterpError("invalid-input", `the regulariser trains a single-output model; this one has ${model.outputs.length} outputs`);
  const resolved = layers.map((ref) => resolveLayer(model, ref));
  for (const layer of resolved) {
    const activation = (layer.getConfig() as { activation?: string }).activation;
    if (activation !== undefined && activation !== "relu") {
      throw new InterpError("negative-activations", `layer ${layer.name} has activation ${activation}: class selectivity is defined on post-ReLU (non-negative) activations`);
    }
  }
  const pooled = resolved.map((layer) => {
    const output = layerOutput(model, layer);
    const rank = output.shape.length;
    if (rank === 2) return output;
    const pool = rank === 4 ? tf.layers.globalAveragePooling2d({}) : rank === 3 ? tf.layers.globalAveragePooling1d({}) : undefined;
    if (!pool) throw new InterpError("invalid-input", `layer ${layer.name} outputs rank ${rank}; the regulariser takes dense (rank 2) or conv (rank 3–4) layers`);
    return pool.apply(output) as tf.SymbolicTensor;
  });
  const training = tf.model({ inputs: model.inputs, outputs: [model.outputs[0], ...pooled] });
  const classes = model.outputs[0].shape[model.outputs[0].shape.length - 1];
  if (!classes || classes < 2) throw new InterpError("invalid-input", "the model's output must have one unit per class (at least 2): class selectivity compares classes");
  const scale = -alpha / resolved.length;

  const batchSelectivity = (activations: tf.Tensor[], labels: tf.Tensor) =>
    tf.tidy(() => tf.div(tf.addN(activations.map((a) => tf.mean(unitSelectivity(a, labels, classes)))), activations.length) as tf.Scalar);
  const penalty = (activations: tf.Tensor[], labels: tf.Tensor) => tf.tidy(() => tf.mul(batchSelectivity(activations, labels), scale) as tf.Scalar);
  // What compile's "sparseCategoricalCrossentropy" computes: the model's output read as probabilities.
  const sparseCrossEntropy = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mean(tf.metrics.categoricalCrossentropy(tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), "int32"), classes), yPred));

  return {
    alpha,
    layers: resolved.map((l) => l.name),
    model: training,
    compile({ optimizer, loss, metrics }) {
      // Each activation output's "target" is the label repeated across its units (see `targets`).
      const penaltyLoss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mul(tf.mean(unitSelectivity(yPred, tf.reshape(tf.slice(yTrue, [0, 0], [-1, 1]), [-1]), classes)), scale);
      const names = training.outputNames;
      training.compile({
        optimizer,
        loss: [loss, ...resolved.map(() => penaltyLoss)] as never,
        // Metrics for the model's own output only (tfjs takes a list per output name; its type says one).
        ...(metrics ? { metrics: { [names[0]]: metrics } as unknown as tf.ModelCompileArgs["metrics"] } : {}),
      });
    },
    targets(y) {
      const labels = y instanceof tf.Tensor ? tf.cast(tf.reshape(y, [-1]), "float32") : tf.tensor1d(Float32Array.from(y));
      const out = [labels, ...pooled.map((p) => tf.tile(tf.expandDims(labels, 1), [1, p.shape[1] as number]))];
      return out;
    },
    penalty,
    batchSelectivity,
    loss(x, y, base = sparseCrossEntropy) {
      return tf.tidy(() => {
        const [output, ...activations] = training.apply(x, { training: true }) as tf.Tensor[];
        return tf.add(base(y, output), penalty(activations, y)) as tf.Scalar;
      });
    },
  };
}

/**
 * SI per unit of one batch's activations [batch, units] (or [batch, ..., units], averaged over space)
 * given labels [batch] in 0..classes − 1. Differentiable; no value leaves the device.
 */
export function unitSelectivity(activations: tf.Tensor, labels: tf.Tensor, classes: number): tf.Tensor1D {
  return tf.tidy(() => {
    const a = activations.rank > 2 ? tf.mean(activations, Array.from({ length: activations.rank - 2 }, (_, i) => i + 1)) : activations;
    const y = tf.cast(tf.reshape(labels, [-1]), "int32");
    const hot = tf.oneHot(y, classes).toFloat(); // [batch, classes]
    const counts = tf.sum(hot, 0); // [classes]
    const present = tf.greater(counts, 0);
    const means = tf.div(tf.matMul(hot, a, true, false), tf.expandDims(tf.maximum(counts, 1), 1)); // [classes, units]
    const presentColumn = tf.expandDims(present, 1);
    const best = tf.max(tf.where(tf.broadcastTo(presentColumn, means.shape), means, tf.fill(means.shape, -Infinity)), 0); // [units]
    const others = tf.sub(tf.sum(tf.mul(means, tf.expandDims(tf.cast(present, "float32"), 1)), 0), best);
    const nOthers = tf.sub(tf.sum(tf.cast(present, "float32")), 1);
    const rest = tf.div(others, tf.maximum(nOthers, 1));
    const si = tf.div(tf.sub(best, rest), tf.add(tf.add(best, rest), EPSILON));
    // A batch with one class has no selectivity to measure: 0, not a gradient from nowhere.
    return tf.where(tf.greater(nOthers, 0), si, tf.zerosLike(si)) as tf.Tensor1D;
  });
}
