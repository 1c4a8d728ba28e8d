// An Ir written into a TensorFlow graph (native/graph.ts says why graphs): each node's forward op
// and, for the input gradient, the backward pass in reverse topological order, gradients of a value
// read by several nodes (a residual branch) summed. Only the input's gradient is computed: no weight
// gradients, which attribution never needs. Weights are placeholders `w<slot>`, fed at every run.
import type * as tf from "@tensorflow/tfjs";
import { type Attr, Graph, type Output } from "../../native/graph";
import { F32, GraphOps } from "../../native/ops";
import { type Ir, type IrNode, liveNodes, type Padding, Unsupported } from "./ir";

export interface Emitted {
  /** The explained output for `input`. */
  output: Output;
  /** d Σ (output ⊙ dy) / d input: the input gradient for an output gradient `dy`. */
  inputGradient(dy: Output): Output;
}

/** The graph of one Ir architecture: its weight placeholders are shared by every `emit`. */
export class IrGraph {
  readonly graph = new Graph();
  readonly ops = new GraphOps(this.graph);
  private readonly placeholders = new Map<number, Output>();
  private readonly live: boolean[];
  private readonly needed: boolean[];

  constructor(readonly ir: Ir) {
    this.live = liveNodes(ir);
    this.needed = ir.nodes.map(() => false);
    this.needed[ir.output] = true;
    for (let i = ir.output; i >= 0; i--) if (this.needed[i]) for (const k of ir.nodes[i].inputs) this.needed[k] = true;
  }

  /** The weight slots the emitted ops read (each a placeholder `w<slot>` to feed). */
  get slots(): number[] {
    return [...this.placeholders.keys()];
  }

  /** The current values of `slots` of a model with this architecture, by placeholder name. */
  static feeds(ir: Ir, slots: readonly number[]): Record<string, tf.Tensor> {
    return Object.fromEntries(slots.map((slot) => {
      const source = ir.weights[slot];
      return [`w${slot}`, "read" in source ? source.read() : source];
    }));
  }

  private weight(slot: number): Output {
    let placeholder = this.placeholders.get(slot);
    if (!placeholder) {
      placeholder = this.graph.placeholder(`w${slot}`, "float32", this.ir.weights[slot].shape.map((d) => d ?? -1));
      this.placeholders.set(slot, placeholder);
    }
    return placeholder;
  }

  /** The model applied to `input` (one more copy of the forward ops per call). */
  emit(input: Output): Emitted {
    const { nodes } = this.ir;
    const values: Output[] = [];
    const grads: ((g: Output) => (Output | undefined)[])[] = [];
    nodes.forEach((node, i) => {
      if (!this.needed[i]) return;
      const { y, grad } = this.forward(node, i === this.ir.input ? input : undefined, node.inputs.map((k) => values[k]));
      values[i] = y;
      grads[i] = grad;
    });
    return {
      output: values[this.ir.output],
      inputGradient: (dy) => this.backward(values, grads, dy),
    };
  }

  private backward(values: Output[], grads: ((g: Output) => (Output | undefined)[])[], dy: Output): Output {
    const { nodes, input, output } = this.ir;
    if (!this.live[output]) return this.graph.op("ZerosLike", [values[input]], F32);
    const pending = new Map<number, Output[]>([[output, [dy]]]);
    for (let i = output; i > input; i--) {
      const parts = pending.get(i);
      if (!parts || !this.live[i]) continue;
      pending.delete(i);
      const g = this.sum(parts);
      grads[i](g).forEach((dx, k) => {
        const from = nodes[i].inputs[k];
        if (dx !== undefined && this.live[from]) pending.set(from, [...(pending.get(from) ?? []), dx]);
      });
    }
    const atInput = pending.get(input);
    return atInput ? this.sum(atInput) : this.graph.op("ZerosLike", [values[input]], F32);
  }

  private sum(parts: Output[]): Output {
    return parts.length === 1 ? parts[0] : this.graph.op("AddN", parts, { ...F32, N: { i: parts.length } });
  }

  /** A node's forward op and its inputs' gradients as a function of its output's gradient. */
  private forward(node: IrNode, input: Output | undefined, xs: Output[]): { y: Output; grad: (g: Output) => (Output | undefined)[] } {
    const g = this.graph;
    const ops = this.ops;
    const live = node.inputs.map((k) => this.live[k]);
    const op = node.op;
    switch (op.kind) {
      case "input":
        return { y: input!, grad: () => [] };
      case "weight":
        return { y: this.weight(op.slot), grad: () => [] };
      case "conv2d":
      case "depthwise": {
        const attrs = convAttrs(op.strides, op.padding, op.dilations);
        const [x, k] = xs;
        const forward = op.kind === "conv2d" ? "Conv2D" : "DepthwiseConv2dNative";
        const backprop = op.kind === "conv2d" ? "Conv2DBackpropInput" : "DepthwiseConv2dNativeBackpropInput";
        const extra: Record<string, Attr> = op.kind === "conv2d" ? { use_cudnn_on_gpu: { b: true } } : {};
        this.onlyFirstLive(node, live);
        return { y: g.op(forward, [x, k], { ...attrs, ...extra }), grad: (dy) => [g.op(backprop, [ops.shape(x), k, dy], { ...attrs, ...extra })] };
      }
      case "matmul": {
        this.onlyFirstLive(node, live);
        const [x, k] = xs;
        const y = g.op("MatMul", [x, k], { ...F32, transpose_a: { b: false }, transpose_b: { b: op.transposeB } });
        return { y, grad: (dy) => [g.op("MatMul", [dy, k], { ...F32, transpose_a: { b: false }, transpose_b: { b: !op.transposeB } })] };
      }
      case "biasAdd":
        this.onlyFirstLive(node, live);
        return { y: g.op("BiasAdd", xs, { ...F32, data_format: { s: "NHWC" } }), grad: (dy) => [dy] };
      case "batchNorm": {
        this.onlyFirstLive(node, live);
        const [x, mean, variance, ...affine] = xs;
        const gamma = op.scale ? affine[0] : g.op("OnesLike", [mean], F32);
        const beta = op.center ? affine[op.scale ? 1 : 0] : g.op("ZerosLike", [mean], F32);
        // y = x·s + (β − μ·s), s = γ / √(σ² + ε): the inference form, as FusedBatchNormV3 computes it.
        const s = g.op("Mul", [gamma, g.op("Rsqrt", [g.op("AddV2", [variance, g.constant("float32", [op.epsilon], [])], F32)], F32)], F32);
        const y = g.op("AddV2", [g.op("Mul", [x, s], F32), g.op("Sub", [beta, g.op("Mul", [mean, s], F32)], F32)], F32);
        return { y, grad: (dy) => [g.op("Mul", [dy, s], F32)] };
      }
      case "activation": {
        const act = ops.activation(op.activation, xs[0]);
        return { y: act.y, grad: (dy) => [act.grad(dy)] };
      }
      case "add":
      case "sub": {
        if (op.kind === "sub" && xs.length !== 2) throw new Unsupported(`${node.source}: sub of ${xs.length}`);
        const y = xs.slice(1).reduce((acc, x) => g.op(op.kind === "add" ? "AddV2" : "Sub", [acc, x], F32), xs[0]);
        return { y, grad: (dy) => xs.map((x, k) => (live[k] ? this.reduceTo(k === 0 || op.kind === "add" ? dy : g.op("Neg", [dy], F32), x, live) : undefined)) };
      }
      case "mul":
      case "div": {
        const [a, b] = xs;
        if (op.kind === "div" && live[1]) throw new Unsupported(`${node.source}: division by a value that depends on the input`);
        const y = g.op(op.kind === "mul" ? "Mul" : "RealDiv", [a, b], F32);
        return {
          y,
          grad: (dy) =>
            op.kind === "mul"
              ? [live[0] ? this.reduceTo(g.op("Mul", [dy, b], F32), a, live) : undefined, live[1] ? this.reduceTo(g.op("Mul", [dy, a], F32), b, live) : undefined]
              : [this.reduceTo(g.op("RealDiv", [dy, b], F32), a, live), undefined],
        };
      }
      case "pad": {
        const [x] = xs;
        const y = g.op("Pad", [x, ops.ints(op.paddings.flat(), [op.paddings.length, 2])], { ...F32, Tpaddings: { type: "int32" } });
        const begin = ops.ints(op.paddings.map(([before]) => before));
        return { y, grad: (dy) => [g.op("Slice", [dy, begin, ops.shape(x)], { ...F32, Index: { type: "int32" } })] };
      }
      case "maxPool":
      case "avgPool": {
        const [x] = xs;
        const attrs = { ...F32, ksize: { ints: [1, ...op.ksize, 1] }, strides: { ints: [1, ...op.strides, 1] }, padding: { s: op.padding }, data_format: { s: "NHWC" } };
        const y = g.op(op.kind === "maxPool" ? "MaxPool" : "AvgPool", [x], attrs);
        return { y, grad: (dy) => [op.kind === "maxPool" ? g.op("MaxPoolGrad", [x, y, dy], attrs) : g.op("AvgPoolGrad", [ops.shape(x), dy], attrs)] };
      }
      case "mean": {
        const [x] = xs;
        const y = g.op("Mean", [x, ops.ints(op.axes)], { ...F32, Tidx: { type: "int32" }, keep_dims: { b: op.keepDims } });
        return {
          y,
          grad: (dy) => {
            // Spread dy evenly over the averaged positions: 1 / (size(x) / size(y)) each.
            const kept = op.keepDims ? dy : [...op.axes].sort((p, q) => p - q).reduce((t, axis) => ops.expandDims(t, axis), dy);
            const size = (t: Output) => g.op("Cast", [g.op("Size", [t], { T: { type: "float32" }, out_type: { type: "int32" } })], { SrcT: { type: "int32" }, DstT: { type: "float32" }, Truncate: { b: false } });
            const count = g.op("RealDiv", [size(x), size(y)], F32);
            return [g.op("RealDiv", [g.op("BroadcastTo", [kept, ops.shape(x)], { ...F32, Tidx: { type: "int32" } }), count], F32)];
          },
        };
      }
      case "reshape": {
        const [x] = xs;
        return { y: ops.reshape(x, ops.ints(op.shape)), grad: (dy) => [ops.reshape(dy, ops.shape(x))] };
      }
      case "squeeze": {
        const [x] = xs;
        return { y: g.op("Squeeze", [x], { ...F32, squeeze_dims: { ints: op.axes } }), grad: (dy) => [ops.reshape(dy, ops.shape(x))] };
      }
      case "concat": {
        const axis = ops.ints([op.axis], []);
        const y = g.op("ConcatV2", [...xs, axis], { N: { i: xs.length }, ...F32, Tidx: { type: "int32" } });
        return {
          y,
          grad: (dy) => {
            const shapes = xs.map((x) => ops.shape(x));
            const offsets = g.op("ConcatOffset", [axis, ...shapes], { N: { i: xs.length }, shape_type: { type: "int32" } });
            return xs.map((_, k) => (live[k] ? g.op("Slice", [dy, `${offsets}:${k}`, shapes[k]], { ...F32, Index: { type: "int32" } }) : undefined));
          },
        };
      }
      case "identity":
        return { y: xs[0], grad: (dy) => [dy] };
    }
  }

  private onlyFirstLive(node: IrNode, live: boolean[]): void {
    if (live.slice(1).some(Boolean)) throw new Unsupported(`${node.source}: ${node.op.kind} whose parameters depend on the input`);
  }

  /**
   * `dy` summed down to `x`'s shape where x was broadcast. Only between two values that both depend
   * on the input: a value combined with a weight (a bias, a scale) has the result's shape.
   */
  private reduceTo(dy: Output, x: Output, live: boolean[]): Output {
    if (live.filter(Boolean).length < 2) return dy;
    const ops = this.ops;
    const axes = this.graph.op("BroadcastGradientArgs", [ops.shape(x), ops.shape(dy)], { T: { type: "int32" } });
    return ops.reshape(this.graph.op("Sum", [dy, axes], { ...F32, Tidx: { type: "int32" }, keep_dims: { b: false } }), ops.shape(x));
  }
}

function convAttrs(strides: [number, number], padding: Padding, dilations: [number, number]): Record<string, Attr> {
  const pad: Record<string, Attr> = typeof padding === "string" ? { padding: { s: padding } } : { padding: { s: "EXPLICIT" }, explicit_paddings: { ints: [0, 0, ...padding.explicit, 0, 0] } };
  return { ...F32, strides: { ints: [1, ...strides, 1] }, ...pad, data_format: { s: "NHWC" }, dilations: { ints: [1, ...dilations, 1] } };
}
