// A layer chain (layer-chain.ts) written into a TensorFlow graph (native/graph.ts, which says why
// graphs): each step's forward ops and, for gradients, its input gradient as a function of its
// output gradient (each layer's input gradient only: no weight or bias gradients, which attribution
// never needs). Weights are graph inputs, fed from the layers' variables at every run, so one graph
// per architecture serves later training too.
import * as tf from "@tensorflow/tfjs";
import { type Attr, Graph, type Output } from "../native/graph";
import { F32, GraphOps } from "../native/ops";
import { LazySession } from "../native/session";
import { type ActivationName, type ChainStep, chainSteps } from "./layer-chain";

/** A graph whose weights are placeholders `w0`, `w1`, … fed from layer variables. */
export class ChainGraph {
  readonly graph = new Graph();
  readonly ops = new GraphOps(this.graph);
  private readonly weights = new Map<tf.LayerVariable, Output>();

  /** The placeholder for `variable` (one per variable, however many chains use it), fed its current value at every run. */
  weight(variable: tf.LayerVariable): Output {
    let placeholder = this.weights.get(variable);
    if (!placeholder) {
      placeholder = this.graph.placeholder(`w${this.weights.size}`, "float32", variable.shape.map((d) => d ?? -1));
      this.weights.set(variable, placeholder);
    }
    return placeholder;
  }

  /** The weights' current values by placeholder name. */
  weightInputs(): Record<string, tf.Tensor> {
    return Object.fromEntries([...this.weights].map(([variable, placeholder]) => [placeholder, variable.read()]));
  }

  /**
   * The steps applied to `input`: their output and, per step in forward order, its input gradient
   * as a function of its output gradient (nodes made only when called).
   */
  chain(steps: readonly ChainStep[], input: Output): { output: Output; backward: ((dy: Output) => Output)[] } {
    const backward: ((dy: Output) => Output)[] = [];
    let h = input;
    for (const step of steps) {
      const result = this.step(step, h);
      h = result.output;
      backward.push(result.backward);
    }
    return { output: h, backward };
  }

  /** A Conv2D or Dense step's linear part K(x) (no bias), with the attributes its gradient reuses. */
  linear(step: Extract<ChainStep, { kind: "conv2d" | "dense" }>, input: Output, kernel: Output): Output {
    return this.graph.op(step.kind === "conv2d" ? "Conv2D" : "MatMul", [input, kernel], linearAttrs(step, false));
  }

  /** z + bias for a step's bias variable (channels last). */
  biasAdd(z: Output, bias: tf.LayerVariable): Output {
    return this.graph.op("BiasAdd", [z, this.weight(bias)], { ...F32, data_format: { s: "NHWC" } });
  }

  private step(step: ChainStep, input: Output): { output: Output; backward: (dy: Output) => Output } {
    const g = this.graph;
    switch (step.kind) {
      case "conv2d":
      case "dense": {
        const kernel = this.weight(step.kernel);
        const z = this.linear(step, input, kernel);
        const act = this.activation(step.activation, step.bias ? this.biasAdd(z, step.bias) : z);
        const backward =
          step.kind === "conv2d"
            ? (dy: Output) => g.op("Conv2DBackpropInput", [this.ops.shape(input), kernel, act.grad(dy)], linearAttrs(step, false))
            : (dy: Output) => g.op("MatMul", [act.grad(dy), kernel], linearAttrs(step, true));
        return { output: act.y, backward };
      }
      case "maxPool":
      case "avgPool": {
        const attrs = { ...F32, ksize: { ints: [1, ...step.poolSize, 1] }, strides: { ints: [1, ...step.strides, 1] }, padding: { s: step.padding.toUpperCase() }, data_format: { s: "NHWC" } };
        const output = g.op(step.kind === "maxPool" ? "MaxPool" : "AvgPool", [input], attrs);
        const backward = step.kind === "maxPool" ? (dy: Output) => g.op("MaxPoolGrad", [input, output, dy], attrs) : (dy: Output) => g.op("AvgPoolGrad", [this.ops.shape(input), dy], attrs);
        return { output, backward };
      }
      case "flatten": {
        return { output: this.ops.reshape(input, this.ops.ints([-1, step.width])), backward: (dy) => this.ops.reshape(dy, this.ops.shape(input)) };
      }
      case "activation": {
        const act = this.activation(step.activation, input);
        return { output: act.y, backward: act.grad };
      }
    }
  }

  /** An activation's output and its gradient (see GraphOps.activation). */
  activation(name: ActivationName, z: Output): { y: Output; grad: (dy: Output) => Output } {
    return this.ops.activation(name, z);
  }

  private readonly session = new LazySession(this.graph);

  /**
   * Runs the graph (weights fed from the variables), loading its session at the first call;
   * undefined when the backend runs no graphs or TensorFlow rejected this one, and then the
   * caller's own route runs, every time. A run computes only what `outputs` need.
   */
  run(inputs: Record<string, tf.Tensor>, outputs: readonly string[]): tf.Tensor[] | undefined {
    return this.session.run({ ...inputs, ...this.weightInputs() }, outputs);
  }
}

function linearAttrs(step: Extract<ChainStep, { kind: "conv2d" | "dense" }>, transposeB: boolean): Record<string, Attr> {
  if (step.kind === "dense") return { ...F32, transpose_a: { b: false }, transpose_b: { b: transposeB } };
  return { ...F32, strides: { ints: [1, ...step.strides, 1] }, padding: { s: step.padding.toUpperCase() }, data_format: { s: "NHWC" }, dilations: { ints: [1, 1, 1, 1] }, use_cudnn_on_gpu: { b: true } };
}

/** Graphs kept per model and key (a model's life), each built once or found unbuildable (undefined). */
export class GraphCache<K, G> {
  private readonly byModel = new WeakMap<tf.LayersModel, Map<K, G | undefined>>();

  /** The graph for `model` and `key`: a new session's first run pays TensorFlow's graph optimisation again. */
  get(model: tf.LayersModel, key: K, build: () => G | undefined): G | undefined {
    const byKey = this.byModel.get(model) ?? new Map<K, G | undefined>();
    this.byModel.set(model, byKey);
    if (!byKey.has(key)) byKey.set(key, build());
    return byKey.get(key);
  }
}

const forwardGraphs = new GraphCache<number, ChainGraph>();

/**
 * The chain model's layers [0, end) as a graph from placeholder `x` to output `y`, or undefined when
 * the model is not a chain of known layers.
 */
export function forwardGraph(model: tf.LayersModel, end: number): ChainGraph | undefined {
  return forwardGraphs.get(model, end, () => {
    const steps = chainSteps(model, end, false);
    const exampleShape = model.inputs[0].shape.slice(1);
    if (!steps || exampleShape.some((d) => d == null)) return undefined;
    const built = new ChainGraph();
    const { output } = built.chain(steps, built.graph.placeholder("x", "float32", [-1, ...(exampleShape as number[])]));
    built.graph.op("Identity", [output], F32, "y");
    return built;
  });
}
