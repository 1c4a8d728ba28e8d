// A tfjs layers model (Sequential or functional, residual branches included) read as an Ir, walked
// from the output tensor explained back to the model's input. The Keras layers real CNNs are made of
// are known (Conv2D, DepthwiseConv2D, SeparableConv2D, Dense, BatchNormalization, ReLU/ReLU6,
// LeakyReLU, ELU, Activation, Softmax, Add, Multiply, Concatenate, ZeroPadding2D, pooling,
// global average pooling, Flatten, Reshape, Dropout); any other layer makes the reader refuse
// (`Unsupported`) and attribution runs through the layers themselves.
import * as tf from "@tensorflow/tfjs";
import { type Activation, type Ir, IrBuilder, Unsupported } from "./ir";

interface LayerConfig {
  activation?: string;
  useBias?: boolean;
  strides?: number | [number, number];
  padding?: string | number | [[number, number], [number, number]] | [number, number];
  dataFormat?: string;
  dilationRate?: number | number[];
  poolSize?: number | [number, number];
  maxValue?: number | null;
  negativeSlope?: number;
  threshold?: number;
  alpha?: number;
  axis?: number | number[];
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  targetShape?: number[];
}

/**
 * The Ir of `model` up to `output` (one of its symbolic tensors; default its output). With `logits`,
 * a softmax at the end is looked through (a Softmax/Activation layer dropped, a layer's softmax
 * activation skipped). Throws `Unsupported` for layers it does not know.
 */
export function irFromLayers(model: tf.LayersModel, output: tf.SymbolicTensor = model.outputs[0], logits = false): Ir {
  if (model.inputs.length !== 1) throw new Unsupported(`${model.inputs.length} inputs`);
  const b = new IrBuilder();
  const input = b.add(model.inputs[0].name, { kind: "input" });
  const ids = new Map<string, number>([[keyOf(model.inputs[0]), input]]);
  const visit = (t: tf.SymbolicTensor): number => {
    const key = keyOf(t);
    const known = ids.get(key);
    if (known !== undefined) return known;
    const node = t.sourceLayer.inboundNodes[t.nodeIndex];
    if (!node || node.inputTensors.length === 0) throw new Unsupported(`${t.sourceLayer.name} is not reached from the model's input`);
    if (t.tensorIndex !== 0) throw new Unsupported(`${t.sourceLayer.name} has several outputs`);
    const id = layerOps(b, t.sourceLayer, node.inputTensors.map(visit));
    ids.set(key, id);
    return id;
  };
  let out = visit(output);
  if (logits) out = lookThroughSoftmax(b, out);
  return { nodes: b.nodes, input, output: out, weights: b.weights };
}

function keyOf(t: tf.SymbolicTensor): string {
  return `${t.sourceLayer.name}/${t.nodeIndex}/${t.tensorIndex}`;
}

/** The node below a final softmax (the logits), or `node` itself. */
export function lookThroughSoftmax(b: IrBuilder, node: number): number {
  const { op, inputs } = b.nodes[node];
  return op.kind === "activation" && op.activation === "softmax" ? inputs[0] : node;
}

const ACTIVATIONS: Record<string, Activation | "linear"> = {
  linear: "linear",
  relu: "relu",
  relu6: "relu6",
  elu: "elu",
  tanh: "tanh",
  sigmoid: "sigmoid",
  softplus: "softplus",
  softmax: "softmax",
};

function activation(b: IrBuilder, source: string, name: string | undefined, x: number): number {
  const act = ACTIVATIONS[name ?? "linear"];
  if (!act) throw new Unsupported(`${source}: activation ${name}`);
  return act === "linear" ? x : b.add(source, { kind: "activation", activation: act }, [x]);
}

function pair(value: number | number[] | undefined, fallback: number): [number, number] {
  if (value === undefined) return [fallback, fallback];
  return Array.isArray(value) ? [value[0], value[1] ?? value[0]] : [value, value];
}

function padding(source: string, value: LayerConfig["padding"]): "SAME" | "VALID" {
  if (value === undefined || value === "valid") return "VALID";
  if (value === "same") return "SAME";
  throw new Unsupported(`${source}: padding ${JSON.stringify(value)}`);
}

/** The layer's ops applied to its inputs' nodes; returns its output node. */
function layerOps(b: IrBuilder, layer: tf.layers.Layer, xs: number[]): number {
  const config = layer.getConfig() as LayerConfig;
  const name = layer.name;
  if (config.dataFormat && config.dataFormat !== "channelsLast") throw new Unsupported(`${name}: ${config.dataFormat}`);
  const weights = layer.weights as tf.LayerVariable[];
  const byRole = (role: string) => weights.find((w) => w.name.split("/").pop()!.replace(/_\d+$/, "") === role);
  const one = () => {
    if (xs.length !== 1) throw new Unsupported(`${name}: ${xs.length} inputs`);
    return xs[0];
  };
  const withBias = (z: number) => (config.useBias && byRole("bias") ? b.add(name, { kind: "biasAdd" }, [z, b.weight(name, byRole("bias")!)]) : z);
  const dilations = pair(config.dilationRate, 1);
  switch (layer.getClassName()) {
    case "Conv2D":
    case "DepthwiseConv2D": {
      const depthwise = layer.getClassName() === "DepthwiseConv2D";
      const kernel = byRole(depthwise ? "depthwise_kernel" : "kernel");
      if (!kernel) throw new Unsupported(`${name}: no kernel`);
      const conv = b.add(name, { kind: depthwise ? "depthwise" : "conv2d", strides: pair(config.strides, 1), padding: padding(name, config.padding), dilations }, [one(), b.weight(name, kernel)]);
      return activation(b, name, config.activation, withBias(conv));
    }
    case "SeparableConv2D": {
      const depthwise = byRole("depthwise_kernel");
      const pointwise = byRole("pointwise_kernel");
      if (!depthwise || !pointwise) throw new Unsupported(`${name}: kernels`);
      const d = b.add(name, { kind: "depthwise", strides: pair(config.strides, 1), padding: padding(name, config.padding), dilations }, [one(), b.weight(name, depthwise)]);
      const p = b.add(name, { kind: "conv2d", strides: [1, 1], padding: "VALID", dilations: [1, 1] }, [d, b.weight(name, pointwise)]);
      return activation(b, name, config.activation, withBias(p));
    }
    case "Dense": {
      if ((layer.getInputAt(0) as tf.SymbolicTensor).shape.length !== 2) throw new Unsupported(`${name}: Dense on a rank > 2 input`);
      const z = b.add(name, { kind: "matmul", transposeB: false }, [one(), b.weight(name, byRole("kernel")!)]);
      return activation(b, name, config.activation, withBias(z));
    }
    case "BatchNormalization": {
      const rank = (layer.getInputAt(0) as tf.SymbolicTensor).shape.length;
      const axis = Array.isArray(config.axis) ? config.axis : [config.axis ?? -1];
      if (axis.length !== 1 || (axis[0] !== -1 && axis[0] !== rank - 1)) throw new Unsupported(`${name}: BatchNorm over axis ${config.axis}`);
      const [mean, variance, gamma, beta] = ["moving_mean", "moving_variance", "gamma", "beta"].map(byRole);
      if (!mean || !variance) throw new Unsupported(`${name}: no running statistics`);
      const inputs = [one(), b.weight(name, mean), b.weight(name, variance), ...(gamma ? [b.weight(name, gamma)] : []), ...(beta ? [b.weight(name, beta)] : [])];
      return b.add(name, { kind: "batchNorm", epsilon: config.epsilon ?? 1e-3, scale: !!gamma, center: !!beta }, inputs);
    }
    case "ReLU": {
      if ((config.negativeSlope ?? 0) !== 0 || (config.threshold ?? 0) !== 0) throw new Unsupported(`${name}: ReLU with a slope or threshold`);
      const max = config.maxValue;
      if (max !== undefined && max !== null && max !== 6) throw new Unsupported(`${name}: ReLU capped at ${max}`);
      return b.add(name, { kind: "activation", activation: max === 6 ? "relu6" : "relu" }, [one()]);
    }
    case "LeakyReLU":
      return b.add(name, { kind: "activation", activation: { leakyRelu: config.alpha ?? 0.3 } }, [one()]);
    case "ELU":
      if ((config.alpha ?? 1) !== 1) throw new Unsupported(`${name}: ELU alpha ${config.alpha}`);
      return b.add(name, { kind: "activation", activation: "elu" }, [one()]);
    case "Softmax": {
      const rank = (layer.getInputAt(0) as tf.SymbolicTensor).shape.length;
      if (config.axis !== undefined && config.axis !== -1 && config.axis !== rank - 1) throw new Unsupported(`${name}: softmax over axis ${config.axis}`);
      return b.add(name, { kind: "activation", activation: "softmax" }, [one()]);
    }
    case "Activation":
      return activation(b, name, config.activation, one());
    case "Add":
      return b.add(name, { kind: "add" }, xs);
    case "Multiply":
      return xs.slice(1).reduce((acc, x) => b.add(name, { kind: "mul" }, [acc, x]), xs[0]);
    case "Concatenate": {
      const rank = (layer.getInputAt(0) as tf.SymbolicTensor[])[0].shape.length;
      const axis = typeof config.axis === "number" ? config.axis : -1;
      return b.add(name, { kind: "concat", axis: (axis + rank) % rank }, xs);
    }
    case "ZeroPadding2D": {
      const p = config.padding as [[number, number], [number, number]];
      return b.add(name, { kind: "pad", paddings: [[0, 0], p[0], p[1], [0, 0]] }, [one()]);
    }
    case "MaxPooling2D":
    case "AveragePooling2D": {
      const ksize = pair(config.poolSize, 2);
      const kind = layer.getClassName() === "MaxPooling2D" ? "maxPool" : "avgPool";
      return b.add(name, { kind, ksize, strides: pair(config.strides ?? ksize, 1), padding: padding(name, config.padding) }, [one()]);
    }
    case "GlobalAveragePooling2D":
      return b.add(name, { kind: "mean", axes: [1, 2], keepDims: false }, [one()]);
    case "Flatten":
      return b.add(name, { kind: "reshape", shape: [-1, (layer.outputShape as number[]).slice(1).reduce((a, c) => a * c, 1)] }, [one()]);
    case "Reshape":
      return b.add(name, { kind: "reshape", shape: [-1, ...(layer.outputShape as number[]).slice(1)] }, [one()]);
    case "Dropout":
    case "SpatialDropout1D":
    case "SpatialDropout2D":
    case "GaussianNoise":
    case "GaussianDropout":
    case "AlphaDropout":
      // Identities at inference.
      return one();
    default:
      throw new Unsupported(`${name}: layer class ${layer.getClassName()}`);
  }
}
