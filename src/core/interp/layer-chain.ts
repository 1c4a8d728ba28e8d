// A model whose layers form one chain (Sequential, or functional without branches) of standard
// layers, read as steps: the form the fast routes take.
// - `layerChain`: the steps as unfused tfjs ops. tfjs layers run fused kernels whose gradient also
//   computes the weight and bias gradients (attribution needs only the input's), and tfjs-node's ReLU
//   gradient goes through a six-op `step`; the same computation from unfused ops, with a one-kernel
//   ReLU gradient, makes input gradients ~2x faster on every backend.
// - chain-graph.ts: the steps (and their hand-written input gradient) as one TensorFlow graph, on
//   the tfjs-node backend: attribution's gradients and ablation's heads.
// Weights are read at every call, so later training or setWeights is always seen. Any layer this
// does not know makes the caller fall back to `model.apply`.
import * as tf from "@tensorflow/tfjs";

type Op = (x: tf.Tensor) => tf.Tensor;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type ActivationName = "linear" | "relu" | "tanh" | "sigmoid" | "softplus" | "softmax";

/** One layer of the chain (its source `layer`), weights as the layer's live variables. */
export type ChainStep = { layer: tf.layers.Layer } & (
  | { kind: "conv2d"; kernel: tf.LayerVariable; bias?: tf.LayerVariable; strides: [number, number]; padding: "same" | "valid"; activation: ActivationName }
  | { kind: "dense"; kernel: tf.LayerVariable; bias?: tf.LayerVariable; activation: ActivationName }
  | { kind: "maxPool" | "avgPool"; poolSize: [number, number]; strides: [number, number]; padding: "same" | "valid" }
  | { kind: "flatten"; width: number }
  | { kind: "activation"; activation: ActivationName }
);

/**
 * The chain model's layers [start, end) (`model.layers` indices) as steps, with the activation of
 * layer `end − 1` replaced by the identity when `linearLast`; undefined if the layers branch or any
 * is unsupported. Identity layers (Dropout at inference, InputLayer) leave no step.
 */
export function chainSteps(model: tf.LayersModel, end: number, linearLast: boolean, start = 0): ChainStep[] | undefined {
  if (!isChain(model)) return undefined;
  const steps: ChainStep[] = [];
  for (let i = start; i < end; i++) {
    const step = layerStep(model.layers[i], linearLast && i === end - 1);
    if (step === undefined) return undefined;
    if (step) steps.push({ layer: model.layers[i], ...step } as ChainStep);
  }
  return steps;
}

/**
 * Whether `model.layers` (in order) is a chain: each layer reads the one before. A functional
 * model's graph is walked from its output through its own nodes (its layers may also belong to
 * another model, as a split-off head's do).
 */
function isChain(model: tf.LayersModel): boolean {
  if (model instanceof tf.Sequential) return true;
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return false;
  const walked: tf.layers.Layer[] = [];
  for (let t = model.outputs[0]; t !== model.inputs[0]; ) {
    const node = t.sourceLayer.inboundNodes[t.nodeIndex];
    if (!node || node.inputTensors.length !== 1) return false;
    walked.unshift(t.sourceLayer);
    t = node.inputTensors[0];
  }
  const layers = model.layers.filter((layer) => layer.getClassName() !== "InputLayer");
  return layers.length === walked.length && layers.every((layer, i) => layer === walked[i]);
}

/** The chain model's layers [0, end) as one function of the input (see `chainSteps`). */
export function layerChain(model: tf.LayersModel, end: number, linearLast: boolean): Op | undefined {
  const steps = chainSteps(model, end, linearLast);
  return steps && chainFunction(steps);
}

/** The steps as one function of the input, from unfused tfjs ops. */
export function chainFunction(steps: readonly ChainStep[]): Op {
  const ops = steps.map(stepOp);
  return (x) => ops.reduce((h, op) => op(h), x);
}

/**
 * ReLU whose gradient is one kernel where it can be: TensorFlow's own `ReluGrad` on the tfjs-node
 * backend (in the IG profile the two-op mask below took more kernel time than the convolutions'
 * backprop), else dy ⊙ sign(y) (y ≥ 0, so the mask y > 0; NaN stays NaN, as with tfjs' step), two ops
 * instead of tfjs-node's six.
 */
export const reluWithMaskGradient = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const y = tf.relu(x);
  save([y]);
  return { value: y, gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => nativeReluGrad(dy, saved) ?? tf.mul(dy, tf.sign(saved)) };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as Op;

/** The part of tfjs-node's backend that runs a TensorFlow op by name (duck-typed: src/core never imports tfjs-node). */
interface TensorFlowBackend {
  binding: { TF_ATTR_TYPE: number; TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: { name: string; type: number; value: number }[], inputs: tf.Tensor[]): tf.Tensor;
}

function nativeReluGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor | undefined {
  const backend = tf.backend() as unknown as Partial<TensorFlowBackend>;
  if (tf.getBackend() !== "tensorflow" || !backend.binding || typeof backend.executeSingleOutput !== "function" || dy.dtype !== "float32") return undefined;
  const T = { name: "T", type: backend.binding.TF_ATTR_TYPE, value: backend.binding.TF_FLOAT };
  return backend.executeSingleOutput("ReluGrad", [T], [dy, y]);
}

const ACTIVATIONS: Record<ActivationName, Op> = {
  linear: (x) => x,
  relu: reluWithMaskGradient,
  tanh: tf.tanh,
  sigmoid: tf.sigmoid,
  softplus: tf.softplus,
  softmax: (x) => tf.softmax(x),
};

function stepOp(step: ChainStep): Op {
  switch (step.kind) {
    case "conv2d":
    case "dense": {
      const { kernel, bias } = step;
      const activation = ACTIVATIONS[step.activation];
      const linear: Op =
        step.kind === "conv2d"
          ? (x) => tf.conv2d(x as tf.Tensor4D, kernel.read() as tf.Tensor4D, step.strides, step.padding)
          : (x) => tf.matMul(x as tf.Tensor2D, kernel.read() as tf.Tensor2D);
      return bias ? (x) => activation(tf.add(linear(x), bias.read())) : (x) => activation(linear(x));
    }
    case "maxPool":
      return (x) => tf.maxPool(x as tf.Tensor4D, step.poolSize, step.strides, step.padding);
    case "avgPool":
      return (x) => tf.avgPool(x as tf.Tensor4D, step.poolSize, step.strides, step.padding);
    case "flatten":
      return (x) => tf.reshape(x, [x.shape[0], -1]);
    case "activation":
      return ACTIVATIONS[step.activation];
  }
}

interface LayerConfig {
  activation?: string;
  useBias?: boolean;
  strides?: [number, number];
  padding?: string;
  dataFormat?: string;
  dilationRate?: number | number[];
  poolSize?: [number, number];
}

/** The layer's step (without the layer); null for an identity layer; undefined when unsupported. */
function layerStep(layer: tf.layers.Layer, linear: boolean): DistributiveOmit<ChainStep, "layer"> | null | undefined {
  const config = layer.getConfig() as LayerConfig;
  if (config.dataFormat && config.dataFormat !== "channelsLast") return undefined;
  const padding = config.padding ?? "valid";
  if (padding !== "same" && padding !== "valid") return undefined;
  const named = config.activation ?? "linear";
  if (!(named in ACTIVATIONS)) return undefined;
  const activation: ActivationName = linear ? "linear" : (named as ActivationName);
  const [kernel, bias] = layer.weights as tf.LayerVariable[];
  const biasOf = config.useBias && bias ? { bias } : {};
  switch (layer.getClassName()) {
    case "Conv2D": {
      const dilation = config.dilationRate ?? 1;
      if ((Array.isArray(dilation) ? dilation : [dilation]).some((d) => d !== 1)) return undefined;
      return { kind: "conv2d", kernel, ...biasOf, strides: config.strides!, padding, activation };
    }
    case "Dense":
      // tfjs Dense on rank > 2 inputs contracts the last axis; leave that case to the layer itself.
      // (Node 0: a layer shared with a split-off head has several nodes, all of one input shape.)
      if ((layer.getInputAt(0) as tf.SymbolicTensor).shape.length !== 2) return undefined;
      return { kind: "dense", kernel, ...biasOf, activation };
    case "MaxPooling2D":
    case "AveragePooling2D":
      return { kind: layer.getClassName() === "MaxPooling2D" ? "maxPool" : "avgPool", poolSize: config.poolSize!, strides: config.strides!, padding };
    case "Flatten":
      return { kind: "flatten", width: (layer.outputShape as number[])[1] };
    case "Activation":
      return { kind: "activation", activation };
    case "Dropout":
    case "InputLayer":
      return null;
    default:
      return undefined;
  }
}
