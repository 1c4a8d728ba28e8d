// DeepLIFT with the rescale rule (Shrikumar et al. 2017) and Captum's semantics (captum.attr.DeepLift,
// in Ancona et al.'s gradient form): the gradient of the target score with every nonlinearity's
// derivative replaced by its multiplier between input and baseline, Δy/Δz = (f(z) − f(z₀)) / (z − z₀)
// (the derivative itself where |z − z₀| < eps); linear ops (dense, convolutions, BatchNorm at
// inference, sums, average pooling, padding, reshapes) keep their gradient. The attribution is
// (x − x₀) ⊙ multipliers (`multiplyByInputs`, Captum's default), and sums to f(x) − f(x₀): the
// `completeness` of the result (Captum's convergence delta). Max pooling takes Captum's rule: a
// window's Δ output goes to the maximum's position in whichever of input and baseline has the larger
// maximum, divided by that position's Δ input. As in Captum, input and baseline rows run as one
// batch, and each rule reads the two halves.
// The rules replace ops of the model's reading as a graph of ops (../graph): chains, DAGs and graph
// models alike. Two kinds of op have no rescale rule and are refused: a softmax inside the scores
// (Captum's softmax rule couples the batch; DeepLIFT's authors explain the logits, this toolkit's
// default), and a product or quotient of two input-dependent tensors.
import * as tf from "@tensorflow/tfjs";
import { InterpError } from "../activations";
import { activation, maxPoolInputGradient, type NodeRule } from "../graph/eager";
import { type Activation, type Ir, type IrNode, liveNodes, neededNodes } from "../graph/ir";
import { type Baseline, baselineChunk, baselineSetting, checkBaseline } from "./baseline";
import { chunks, rowsPerPass, runPasses } from "./batches";
import { type GradientOptions, targetClasses, targetGradient, targetSlice } from "./gradient";
import { type AttributionResult, completeness } from "./result";
import { checkInput, type Explainable, resolveTarget, type ScoredModel, scoredModel } from "./scores";

export interface DeepLiftOptions extends GradientOptions {
  /** The reference input: a number (default 0), one example's shape, or x's shape. Not disposed. */
  baseline?: Baseline;
  /** Multiply the multipliers by (x − baseline) (Captum's `multiply_by_inputs`, default true); false returns the multipliers. */
  multiplyByInputs?: boolean;
  /** |z − z₀| below which a nonlinearity keeps its derivative (Captum's `eps`). Default 1e-10. */
  eps?: number;
}

/** DeepLift (rescale rule) attributions of `x`: the input's shape, like `gradient`'s, with the summation-to-delta check. */
export async function deepLift(model: Explainable, x: tf.Tensor, options: DeepLiftOptions = {}): Promise<AttributionResult> {
  const scored = scoredModel(model, options.output);
  checkInput(scored, x);
  const baseline = options.baseline ?? 0;
  checkBaseline("deepLift", baseline, x);
  const multiplyByInputs = options.multiplyByInputs ?? true;
  const eps = options.eps ?? 1e-10;
  const rescaled: ScoredModel = { scores: rescaledScores(scored, eps), output: scored.output };
  const targets = resolveTarget(scored, x, options.target);
  // Two rows per example (input, baseline), always in the same pass.
  const plan = chunks(x.shape[0], 2, Math.max(2, rowsPerPass(scored, x.shape.slice(1), options)));
  const out = await runPasses(
    "deepLift",
    x,
    plan,
    (xChunk, { start, size }) => {
      const b = baselineChunk(baseline, x, start, size);
      const t = targetSlice(targets, start, size);
      const { value, grad } = targetGradient(rescaled, tf.concat([xChunk, b]), typeof t === "function" ? t : tf.concat([t, t]), true);
      const multipliers = grad.slice(0, size);
      // The scores of both halves come kept out of the pass's scope: split, then freed.
      const [scores, reference] = halves(value!);
      value!.dispose();
      return { values: multiplyByInputs ? tf.mul(tf.sub(xChunk, b), multipliers) : multipliers, scores, reference };
    },
    (_, __, ___, sums) => ({ values: sums.values, scores: sums.scores, reference: sums.reference }),
  );
  const perExample = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const difference = Float64Array.from(out.scores, (s, i) => s - out.reference[i]);
  return {
    method: "deeplift",
    values: out.values,
    shape: x.shape,
    targets: targetClasses(targets, x.shape[0]),
    scores: out.scores,
    output: scored.output,
    settings: { baseline: baselineSetting(baseline), multiplyByInputs: String(multiplyByInputs), eps },
    ...(multiplyByInputs ? { completeness: completeness(out.values, perExample, difference) } : {}),
  };
}

/** The scores with the rescale rules in place, or a refusal that says what DeepLift takes. */
function rescaledScores(scored: ScoredModel, eps: number): (x: tf.Tensor) => tf.Tensor {
  if (!scored.ops) {
    throw new InterpError(
      "unsupported-model",
      "DeepLift replaces each nonlinearity's gradient, so it needs a model it can read op by op: a tfjs layers or graph model of dense, convolution (plain, depthwise, separable), BatchNorm, pooling, padding, reshape, add/concatenate and ReLU/ReLU6/LeakyReLU/ELU/tanh/sigmoid/softplus layers, chains and DAGs alike; this is a score function or has a layer outside that list",
    );
  }
  return scored.ops.scores(rescaleRule(scored.ops.ir, eps));
}

function rescaleRule(ir: Ir, eps: number): NodeRule {
  const [live, needed] = [liveNodes(ir), neededNodes(ir)];
  const liveSet = new Set(ir.nodes.filter((_, i) => live[i]));
  ir.nodes.forEach((node, i) => {
    if (live[i] && needed[i]) refuseUnruled(node, node.inputs.map((k) => live[k]));
  });
  return (node, [z]) => {
    // Only ops on the batch have two halves (weights and constants have no rows).
    if (!liveSet.has(node)) return undefined;
    if (node.op.kind === "activation") return rescaledActivation(node.op.activation, eps)(z);
    if (node.op.kind === "maxPool") {
      const { ksize, strides, padding } = node.op;
      return rescaledMaxPool(ksize, strides, padding === "SAME" ? "same" : "valid", eps)(z as tf.Tensor4D);
    }
    return undefined;
  };
}

function refuseUnruled(node: IrNode, liveInputs: boolean[]): void {
  const { op } = node;
  if (op.kind === "activation" && op.activation === "softmax") {
    throw new InterpError("unsupported-model", `DeepLift explains scores without a softmax inside them (${node.source} applies one): Captum's softmax rule couples the examples of a batch, and DeepLIFT's authors explain the logits. Use output: "logits" (the default), or name the layer below the softmax`);
  }
  const product = (op.kind === "mul" && liveInputs.filter(Boolean).length > 1) || (op.kind === "div" && liveInputs[1]);
  if (product) throw new InterpError("unsupported-model", `DeepLift's rescale rule has no rule for a ${op.kind === "mul" ? "product" : "quotient"} of two input-dependent tensors (${node.source})`);
}

type OneInput = (z: tf.Tensor, save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor };

function withGradient<T extends tf.Tensor>(op: OneInput): (z: T) => T {
  return tf.customGrad(op as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (z: T) => T;
}

/** The two halves of a batch: the input rows and the baseline rows. */
function halves(t: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return tf.split(t, 2) as [tf.Tensor, tf.Tensor];
}

/** `where(|Δz| < eps, plain, multiplier)` with Δz and the multiplier of the input half applied to both halves. */
function rescale(z: tf.Tensor, plain: tf.Tensor, multiplier: (dz: tf.Tensor) => tf.Tensor, eps: number): tf.Tensor {
  const [zx, z0] = halves(z);
  const dz = tf.sub(zx, z0);
  const both = (t: tf.Tensor) => tf.concat([t, t]);
  return tf.where(both(tf.less(tf.abs(dz), eps)), plain, both(multiplier(dz)));
}

/** A nonlinearity whose derivative is the rescale multiplier Δy/Δz. */
function rescaledActivation(name: Activation, eps: number): (z: tf.Tensor) => tf.Tensor {
  return withGradient((z, save) => {
    const y = activation(name, z);
    save([z, y]);
    return {
      value: y,
      gradFunc: (dy, [zs, ys]) => {
        const [yx, y0] = halves(ys);
        return tf.mul(dy, rescale(zs, derivative(name, zs, ys), (dz) => tf.div(tf.sub(yx, y0), dz), eps));
      },
    };
  });
}

/** f'(z) from z and y = f(z): the gradient DeepLift keeps where the input equals the baseline. */
function derivative(name: Activation, z: tf.Tensor, y: tf.Tensor): tf.Tensor {
  const positive = tf.cast(tf.greater(z, 0), "float32");
  if (typeof name === "object") return tf.add(positive, tf.mul(tf.sub(1, positive), name.leakyRelu));
  switch (name) {
    case "relu":
      return positive;
    case "relu6":
      return tf.mul(positive, tf.cast(tf.less(z, 6), "float32"));
    case "elu":
      return tf.add(positive, tf.mul(tf.sub(1, positive), tf.add(y, 1)));
    case "tanh":
      return tf.sub(1, tf.square(y));
    case "sigmoid":
      return tf.mul(y, tf.sub(1, y));
    case "softplus":
      return tf.sigmoid(z);
    case "softmax":
      throw new Error("softmax has no rescale rule (refused before)");
  }
}

/**
 * Max pooling with Captum's DeepLift rule: per window, with m = max(y, y₀), the input's maximum
 * position receives dy·(m − y₀) and the baseline's receives dy₀·(y − m), so the window's whole
 * Δy goes to the position of the larger of the two maxima; each position's sum over windows is
 * divided by its Δz (the plain max-pooling gradient where |Δz| < eps).
 */
function rescaledMaxPool(ksize: [number, number], strides: [number, number], pad: "same" | "valid", eps: number): (z: tf.Tensor4D) => tf.Tensor4D {
  // TensorFlow's own MaxPoolGrad on tfjs-node (one kernel; the op-by-op version is ~20 kernels per
  // call and was most of DeepLift's time on the digits CNN); elsewhere the op-by-op one (wasm's kernel is wrong).
  const unpool = (z: tf.Tensor, y: tf.Tensor, dy: tf.Tensor) =>
    tf.getBackend() === "tensorflow"
      ? (tf.engine().runKernel("MaxPoolGrad", { dy, input: z, output: y }, { filterSize: ksize, strides, pad }) as tf.Tensor4D)
      : maxPoolInputGradient(z as tf.Tensor4D, y as tf.Tensor4D, dy as tf.Tensor4D, ksize, strides, pad);
  return withGradient<tf.Tensor4D>((z, save) => {
    const y = tf.maxPool(z as tf.Tensor4D, ksize, strides, pad);
    save([z, y]);
    return {
      value: y,
      gradFunc: (dy, [zs, ys]) => {
        const [[zx, z0], [yx, y0], [gx, g0]] = [halves(zs), halves(ys), halves(dy)];
        const larger = tf.maximum(yx, y0);
        const credited = tf.add(unpool(zx, yx, tf.mul(gx, tf.sub(larger, y0))), unpool(z0, y0, tf.mul(g0, tf.sub(yx, larger))));
        return rescale(zs, unpool(zs, ys, dy), (dz) => tf.div(credited, dz), eps);
      },
    };
  });
}
