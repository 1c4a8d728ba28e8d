// A gradient-lean forward pass for Sequential models of standard layers. tfjs layers run fused
// kernels whose gradient also computes the weight and bias gradients (attribution needs only the
// input's), and tfjs-node's ReLU gradient goes through a six-op `step`; rebuilding the same
// computation from unfused ops, with a one-mask ReLU gradient, makes input gradients ~2x faster.
// Weights are read at every call, so later training or setWeights is always seen. Any layer this
// does not know makes the caller fall back to `model.apply`.
import * as tf from "@tensorflow/tfjs";

type Op = (x: tf.Tensor) => tf.Tensor;

/**
 * The Sequential model's layers [0, end) as one function of the input, with the activation of
 * layer `end − 1` replaced by the identity when `linearLast`; undefined if any layer is unsupported.
 */
export function layerChain(model: tf.LayersModel, end: number, linearLast: boolean): Op | undefined {
  if (!(model instanceof tf.Sequential)) return undefined;
  const ops: Op[] = [];
  for (let i = 0; i < end; i++) {
    const op = layerOp(model.layers[i], linearLast && i === end - 1);
    if (!op) return undefined;
    ops.push(op);
  }
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

const ACTIVATIONS: Record<string, Op> = {
  linear: (x) => x,
  relu: reluWithMaskGradient,
  tanh: tf.tanh,
  sigmoid: tf.sigmoid,
  softplus: tf.softplus,
  softmax: (x) => tf.softmax(x),
};

interface LayerConfig {
  activation?: string;
  useBias?: boolean;
  strides?: number[];
  padding?: "same" | "valid";
  dataFormat?: string;
  dilationRate?: number | number[];
  poolSize?: number[];
}

function layerOp(layer: tf.layers.Layer, linear: boolean): Op | undefined {
  const config = layer.getConfig() as LayerConfig;
  if (config.dataFormat && config.dataFormat !== "channelsLast") return undefined;
  if (config.padding && config.padding !== "same" && config.padding !== "valid") return undefined;
  const activation = linear ? ACTIVATIONS.linear : ACTIVATIONS[config.activation ?? "linear"];
  if (!activation) return undefined;
  const weights = layer.weights;
  const read = (k: number) => weights[k].read();
  const biased = (op: Op): Op => (config.useBias && weights.length > 1 ? (x) => activation(tf.add(op(x), read(1))) : (x) => activation(op(x)));
  switch (layer.getClassName()) {
    case "Conv2D": {
      const dilation = config.dilationRate ?? 1;
      if ((Array.isArray(dilation) ? dilation : [dilation]).some((d) => d !== 1)) return undefined;
      return biased((x) => tf.conv2d(x as tf.Tensor4D, read(0) as tf.Tensor4D, config.strides as [number, number], config.padding!));
    }
    case "Dense":
      // tfjs Dense on rank > 2 inputs contracts the last axis; leave that case to the layer itself.
      if ((layer.input as tf.SymbolicTensor).shape.length !== 2) return undefined;
      return biased((x) => tf.matMul(x as tf.Tensor2D, read(0) as tf.Tensor2D));
    case "MaxPooling2D":
      return (x) => tf.maxPool(x as tf.Tensor4D, config.poolSize as [number, number], config.strides as [number, number], config.padding!);
    case "AveragePooling2D":
      return (x) => tf.avgPool(x as tf.Tensor4D, config.poolSize as [number, number], config.strides as [number, number], config.padding!);
    case "Flatten":
      return (x) => tf.reshape(x, [x.shape[0], -1]);
    case "Activation":
      return activation;
    case "Dropout":
    case "InputLayer":
      return (x) => x;
    default:
      return undefined;
  }
}
