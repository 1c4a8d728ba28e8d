// A layer chain's scores and their input gradient as ONE TensorFlow graph on the tfjs-node
// backend: the forward steps, the score Σ f(x)[row, target[row]], and the backward pass written out
// op by op (each layer's input gradient only: no weight or bias gradients). Run in a session,
// TensorFlow fuses each Conv2D + BiasAdd + Relu into one oneDNN kernel and reuses buffers; op by op
// (tfjs' tape, or TensorFlow's own eager mode) the same gradient takes about twice as long
// (test/bench/attribution.bench.ts). Weights are graph inputs read at every call, so one graph per
// architecture serves later training too.
import * as tf from "@tensorflow/tfjs";
import { type Attr, Graph, type Output } from "../../native/graph";
import { canRunGraphs, loadSession, type Session } from "../../native/session";
import type { ActivationName, ChainStep } from "./layer-chain";

/** The chain's routes through the graph; each answers undefined when the backend runs no graphs. */
export interface GraphRoutes {
  /** The scores [rows, classes], forward only (no tape: not for use inside tf.grad). */
  scores(x: tf.Tensor): tf.Tensor | undefined;
  /** Each row's target score and its gradient w.r.t. the row. */
  targetGradient(x: tf.Tensor, targets: tf.Tensor1D): { value: tf.Tensor1D; grad: tf.Tensor } | undefined;
}

/**
 * The graph routes of `steps` (inputs of one example's shape `exampleShape`, `classes` scores). The
 * session is loaded at the first call on tfjs-node; if TensorFlow rejects the graph, every call
 * answers undefined and the caller's tape route runs.
 */
export function graphRoutes(steps: readonly ChainStep[], exampleShape: readonly number[], classes: number): GraphRoutes {
  const { graph, weights } = gradientGraph(steps, exampleShape, classes);
  let session: Session | undefined;
  let rejected = false;
  // A session run fetches only what the outputs need: `scores` alone runs the forward steps.
  const run = (x: tf.Tensor, targets: tf.Tensor1D | undefined, outputs: string[]): tf.Tensor[] | undefined => {
    if (rejected || !canRunGraphs() || x.dtype !== "float32") return undefined;
    try {
      session ??= loadSession(graph);
    } catch {
      rejected = true;
      return undefined;
    }
    const inputs: Record<string, tf.Tensor> = { x };
    if (targets) inputs.targets = targets.dtype === "int32" ? targets : tf.cast(targets, "int32");
    weights.forEach((w, k) => (inputs[`w${k}`] = w.read()));
    return session.run(inputs, outputs);
  };
  return {
    scores: (x) => run(x, undefined, ["scores"])?.[0],
    targetGradient(x, targets) {
      const out = run(x, targets, ["value", "grad"]);
      return out && { value: out[0] as tf.Tensor1D, grad: out[1] };
    },
  };
}

const F32 = { T: { type: "float32" } } satisfies Record<string, Attr>;

function gradientGraph(steps: readonly ChainStep[], exampleShape: readonly number[], classes: number): { graph: Graph; weights: tf.LayerVariable[] } {
  const g = new Graph();
  const weights: tf.LayerVariable[] = [];
  const weight = (v: tf.LayerVariable) => g.placeholder(`w${weights.push(v) - 1}`, "float32", v.shape.map((d) => d ?? -1));
  const shape = (t: Output) => g.op("Shape", [t], { ...F32, out_type: { type: "int32" } });
  // Each step's input gradient as a function of its output gradient, pushed in forward order.
  const backward: ((dy: Output) => Output)[] = [];
  let h = g.placeholder("x", "float32", [-1, ...exampleShape]);
  for (const step of steps) {
    const input = h;
    switch (step.kind) {
      case "conv2d":
      case "dense": {
        const kernel = weight(step.kernel);
        const attrs = step.kind === "conv2d" ? convAttrs(step.strides, step.padding) : matMulAttrs(false);
        let z = g.op(step.kind === "conv2d" ? "Conv2D" : "MatMul", [input, kernel], attrs);
        if (step.bias) z = g.op("BiasAdd", [z, weight(step.bias)], { ...F32, data_format: { s: "NHWC" } });
        const act = activation(g, step.activation, z);
        h = act.y;
        backward.push(
          step.kind === "conv2d"
            ? (dy) => g.op("Conv2DBackpropInput", [shape(input), kernel, act.grad(dy)], attrs)
            : (dy) => g.op("MatMul", [act.grad(dy), kernel], matMulAttrs(true)),
        );
        break;
      }
      case "maxPool":
      case "avgPool": {
        const attrs = { ...F32, ksize: { ints: [1, ...step.poolSize, 1] }, strides: { ints: [1, ...step.strides, 1] }, padding: { s: step.padding.toUpperCase() }, data_format: { s: "NHWC" } };
        const output = g.op(step.kind === "maxPool" ? "MaxPool" : "AvgPool", [input], attrs);
        h = output;
        backward.push(step.kind === "maxPool" ? (dy) => g.op("MaxPoolGrad", [input, output, dy], attrs) : (dy) => g.op("AvgPoolGrad", [shape(input), dy], attrs));
        break;
      }
      case "flatten": {
        h = g.op("Reshape", [input, g.constant("int32", [-1, step.width])], { ...F32, Tshape: { type: "int32" } });
        backward.push((dy) => g.op("Reshape", [dy, shape(input)], { ...F32, Tshape: { type: "int32" } }));
        break;
      }
      case "activation": {
        const act = activation(g, step.activation, input);
        h = act.y;
        backward.push(act.grad);
        break;
      }
    }
  }
  // d Σ_rows logits[row, target[row]] / d logits = the targets' one-hot rows.
  const targets = g.placeholder("targets", "int32", [-1]);
  const oneHot = g.op("OneHot", [targets, g.constant("int32", [classes], []), g.constant("float32", [1], []), g.constant("float32", [0], [])], { ...F32, TI: { type: "int32" }, axis: { i: -1 } });
  const value = g.op("Sum", [g.op("Mul", [h, oneHot], F32), g.constant("int32", [1])], { ...F32, Tidx: { type: "int32" }, keep_dims: { b: false } });
  g.op("Identity", [h], F32, "scores");
  g.op("Identity", [value], F32, "value");
  g.op("Identity", [backward.reduceRight((dy, grad) => grad(dy), oneHot)], F32, "grad");
  return { graph: g, weights };
}

function convAttrs(strides: [number, number], padding: "same" | "valid"): Record<string, Attr> {
  return { ...F32, strides: { ints: [1, ...strides, 1] }, padding: { s: padding.toUpperCase() }, data_format: { s: "NHWC" }, dilations: { ints: [1, 1, 1, 1] }, use_cudnn_on_gpu: { b: true } };
}

function matMulAttrs(transposeB: boolean): Record<string, Attr> {
  return { ...F32, transpose_a: { b: false }, transpose_b: { b: transposeB } };
}

/** An activation's output and its gradient (TensorFlow's own *Grad kernels where they exist). */
function activation(g: Graph, name: ActivationName, z: Output): { y: Output; grad: (dy: Output) => Output } {
  switch (name) {
    case "linear":
      return { y: z, grad: (dy) => dy };
    case "relu": {
      const y = g.op("Relu", [z], F32);
      return { y, grad: (dy) => g.op("ReluGrad", [dy, y], F32) };
    }
    case "tanh": {
      const y = g.op("Tanh", [z], F32);
      return { y, grad: (dy) => g.op("TanhGrad", [y, dy], F32) };
    }
    case "sigmoid": {
      const y = g.op("Sigmoid", [z], F32);
      return { y, grad: (dy) => g.op("SigmoidGrad", [y, dy], F32) };
    }
    case "softplus":
      return { y: g.op("Softplus", [z], F32), grad: (dy) => g.op("SoftplusGrad", [dy, z], F32) };
    case "softmax": {
      // dz = y ⊙ (dy − Σ_j dy_j y_j), the softmax Jacobian applied to dy (over the last axis).
      const y = g.op("Softmax", [z], F32);
      return {
        y,
        grad: (dy) => {
          const dot = g.op("Sum", [g.op("Mul", [dy, y], F32), g.constant("int32", [-1])], { ...F32, Tidx: { type: "int32" }, keep_dims: { b: true } });
          return g.op("Mul", [y, g.op("Sub", [dy, dot], F32)], F32);
        },
      };
    }
  }
}
