// A tfjs graph model (a converted TensorFlow SavedModel or Keras model) read as an Ir, from the node
// explained back to its input. Its graph already is a TensorFlow GraphDef, with the converter's fused
// ops (_FusedConv2D, FusedDepthwiseConv2dNative, _FusedMatMul: a conv or product followed by BiasAdd or
// FusedBatchNorm and an activation) split back into primitives so each has its gradient. Const nodes
// are weights (fed from the model's weight map); integer constants (shapes, axes) are read once.
import * as tf from "@tensorflow/tfjs";
import { type Activation, type Ir, IrBuilder, type IrOp, type Padding, Unsupported } from "./ir";

interface AttrValue {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  list?: { s?: string[]; i?: (string | number)[] };
}

interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, AttrValue>;
}

/** The GraphDef (JSON) a graph model was loaded from. */
export function graphNodes(model: tf.GraphModel): GraphNode[] {
  const topology = (model as unknown as { artifacts?: { modelTopology?: { node?: GraphNode[] } } }).artifacts?.modelTopology;
  if (!topology?.node) throw new Unsupported("the graph model's topology is not available");
  return topology.node;
}

/** The node names a graph model's output is computed from, last first: what `output` may name. */
export function graphNodeNames(model: tf.GraphModel): string[] {
  return graphNodes(model).map((node) => node.name);
}

const decode = (s: string | undefined) => (s === undefined ? undefined : Buffer.from(s, "base64").toString("utf8"));
const ints = (value: AttrValue | undefined) => (value?.list?.i ?? []).map(Number);

const ACTIVATIONS: Record<string, Activation> = { Relu: "relu", Relu6: "relu6", Elu: "elu", Sigmoid: "sigmoid", Tanh: "tanh", Softplus: "softplus", Softmax: "softmax" };

/** The Ir of `model` up to node `output`; with `logits`, a final Softmax (under Identity nodes) is looked through. */
export function irFromGraphModel(model: tf.GraphModel, output: string, logits = false): Ir {
  const nodes = new Map(graphNodes(model).map((node) => [node.name, node]));
  const weights = model.weights;
  if (model.inputNodes.length !== 1) throw new Unsupported(`${model.inputNodes.length} inputs`);
  const b = new IrBuilder();
  const inputName = model.inputNodes[0].split(":")[0];
  const ids = new Map<string, number>([[inputName, b.add(inputName, { kind: "input" })]]);
  const constant = (name: string) => weights[name]?.[0];
  const intValues = (name: string): number[] => {
    const t = constant(name);
    if (!t) throw new Unsupported(`${name} is not a constant`);
    return Array.from(t.dataSync());
  };

  const visit = (ref: string): number => {
    const [name, index = "0"] = ref.replace(/^\^/, "").split(":");
    if (index !== "0") throw new Unsupported(`${name}: output ${index}`);
    const known = ids.get(name);
    if (known !== undefined) return known;
    const node = nodes.get(name);
    if (!node) throw new Unsupported(`no node ${name}`);
    const id = nodeOps(node);
    ids.set(name, id);
    return id;
  };

  const nodeOps = (node: GraphNode): number => {
    const { name, op, attr = {} } = node;
    const inputs = (node.input ?? []).filter((i) => !i.startsWith("^"));
    const add = (o: IrOp, xs: number[]) => b.add(name, o, xs);
    const act = (x: number, fused: string | undefined) => {
      if (fused === undefined) return x;
      if (fused === "LeakyRelu") return add({ kind: "activation", activation: { leakyRelu: attr.leakyrelu_alpha?.f ?? 0.2 } }, [x]);
      const activation = ACTIVATIONS[fused];
      if (!activation) throw new Unsupported(`${name}: fused ${fused}`);
      return add({ kind: "activation", activation }, [x]);
    };
    /** A conv or product node's fused tail: BiasAdd or FusedBatchNorm, then an activation. */
    const fusedTail = (z: number, args: string[]) => {
      const fused = (attr.fused_ops?.list?.s ?? []).map((s) => decode(s)!);
      let y = z;
      let rest = fused;
      if (fused[0] === "BiasAdd") {
        y = add({ kind: "biasAdd" }, [y, b.weight(name, tensorOf(args[0]))]);
        rest = fused.slice(1);
      } else if (fused[0] === "FusedBatchNorm") {
        const [scale, offset, mean, variance] = args.map(tensorOf);
        y = add({ kind: "batchNorm", epsilon: attr.epsilon?.f ?? 1e-3, scale: true, center: true }, [y, ...[mean, variance, scale, offset].map((t) => b.weight(name, t))]);
        rest = fused.slice(1);
      }
      if (rest.length > 1) throw new Unsupported(`${name}: fused ${fused.join(", ")}`);
      return act(y, rest[0]);
    };
    const tensorOf = (ref: string) => {
      const t = constant(ref.split(":")[0]);
      if (!t) throw new Unsupported(`${name}: input ${ref} is not a constant`);
      return t;
    };
    const dataFormat = decode(attr.data_format?.s) ?? "NHWC";
    if (dataFormat !== "NHWC") throw new Unsupported(`${name}: ${dataFormat}`);
    switch (op) {
      case "Placeholder":
        throw new Unsupported(`${name}: a second input`);
      case "Const": {
        const t = constant(name);
        if (!t || t.dtype !== "float32") throw new Unsupported(`${name}: a ${t?.dtype ?? "missing"} constant used as a value`);
        return b.weight(name, t);
      }
      case "Identity":
      case "StopGradient":
      case "Snapshot":
        return visit(inputs[0]);
      case "Conv2D":
      case "_FusedConv2D":
      case "DepthwiseConv2dNative":
      case "FusedDepthwiseConv2dNative": {
        const strides = ints(attr.strides);
        const dilations = ints(attr.dilations);
        const paddingName = decode(attr.padding?.s) ?? "VALID";
        const explicit = ints(attr.explicit_paddings);
        const padding: Padding = paddingName === "EXPLICIT" ? { explicit: [explicit[2], explicit[3], explicit[4], explicit[5]] } : (paddingName as "SAME" | "VALID");
        const depthwise = op.includes("Depthwise");
        const conv = add(
          { kind: depthwise ? "depthwise" : "conv2d", strides: [strides[1] ?? 1, strides[2] ?? 1], padding, dilations: [dilations[1] ?? 1, dilations[2] ?? 1] },
          [visit(inputs[0]), b.weight(name, tensorOf(inputs[1]))],
        );
        return op.startsWith("Conv2D") || op === "DepthwiseConv2dNative" ? conv : fusedTail(conv, inputs.slice(2));
      }
      case "MatMul":
      case "_FusedMatMul": {
        if (attr.transpose_a?.b) throw new Unsupported(`${name}: transpose_a`);
        const z = add({ kind: "matmul", transposeB: !!attr.transpose_b?.b }, [visit(inputs[0]), b.weight(name, tensorOf(inputs[1]))]);
        return op === "MatMul" ? z : fusedTail(z, inputs.slice(2));
      }
      case "BiasAdd":
        return add({ kind: "biasAdd" }, [visit(inputs[0]), b.weight(name, tensorOf(inputs[1]))]);
      case "FusedBatchNorm":
      case "FusedBatchNormV2":
      case "FusedBatchNormV3": {
        if (attr.is_training?.b) throw new Unsupported(`${name}: BatchNorm in training mode`);
        const [scale, offset, mean, variance] = inputs.slice(1).map(tensorOf);
        return add({ kind: "batchNorm", epsilon: attr.epsilon?.f ?? 1e-3, scale: true, center: true }, [visit(inputs[0]), ...[mean, variance, scale, offset].map((t) => b.weight(name, t))]);
      }
      case "Add":
      case "AddV2":
      case "AddN":
        return add({ kind: "add" }, inputs.map(visit));
      case "Sub":
        return add({ kind: "sub" }, inputs.map(visit));
      case "Mul":
        return add({ kind: "mul" }, inputs.map(visit));
      case "RealDiv":
        return add({ kind: "div" }, inputs.map(visit));
      case "LeakyRelu":
        return add({ kind: "activation", activation: { leakyRelu: attr.alpha?.f ?? 0.2 } }, [visit(inputs[0])]);
      case "AvgPool":
      case "MaxPool": {
        const ksize = ints(attr.ksize);
        const strides = ints(attr.strides);
        const padding = decode(attr.padding?.s) as "SAME" | "VALID";
        if (padding !== "SAME" && padding !== "VALID") throw new Unsupported(`${name}: padding ${padding}`);
        return add({ kind: op === "AvgPool" ? "avgPool" : "maxPool", ksize: [ksize[1], ksize[2]], strides: [strides[1], strides[2]], padding }, [visit(inputs[0])]);
      }
      case "Mean":
        return add({ kind: "mean", axes: intValues(inputs[1]), keepDims: !!(attr.keep_dims?.b ?? attr.keepDims?.b) }, [visit(inputs[0])]);
      case "Squeeze":
        return add({ kind: "squeeze", axes: ints(attr.squeeze_dims ?? attr.axis) }, [visit(inputs[0])]);
      case "Reshape":
        return add({ kind: "reshape", shape: intValues(inputs[1]) }, [visit(inputs[0])]);
      case "Pad":
      case "PadV2": {
        if (op === "PadV2" && intValues(inputs[2]).some((v) => v !== 0)) throw new Unsupported(`${name}: padding with a non-zero value`);
        const flat = intValues(inputs[1]);
        return add({ kind: "pad", paddings: Array.from({ length: flat.length / 2 }, (_, k) => [flat[2 * k], flat[2 * k + 1]] as [number, number]) }, [visit(inputs[0])]);
      }
      case "ConcatV2": {
        const axis = intValues(inputs[inputs.length - 1])[0];
        if (axis < 0) throw new Unsupported(`${name}: concat on axis ${axis}`);
        return add({ kind: "concat", axis }, inputs.slice(0, -1).map(visit));
      }
      default: {
        const activation = ACTIVATIONS[op];
        if (activation) return add({ kind: "activation", activation }, [visit(inputs[0])]);
        throw new Unsupported(`${name}: op ${op}`);
      }
    }
  };

  let out = visit(output);
  if (logits) {
    const node = b.nodes[out];
    if (node.op.kind === "activation" && node.op.activation === "softmax") out = node.inputs[0];
  }
  return { nodes: b.nodes, input: ids.get(inputName)!, output: out, weights: b.weights };
}
