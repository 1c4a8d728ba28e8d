// A model's scores and their input gradient as ONE TensorFlow graph on the tfjs-node backend
// (../graph/emit.ts): the forward ops, the score Σ f(x)[row, target[row]], and the backward pass;
// and Integrated Gradients' inner sum whole (the path, its gradients, the quadrature-weighted sum
// over the steps fed), so a chunk of IG is one session run. Op by op, IG over 100 digits × 50 steps
// took twice TensorFlow Python's tf.function time; as one graph about the same, and on MobileNetV2
// (test/bench/attribution.bench.ts). Models of one architecture share the graph and its session
// (weights are fed at each run): a model's randomised copies in a sanity check cost no new graph.
import * as tf from "@tensorflow/tfjs";
import type { Output } from "../../native/graph";
import { F32 } from "../../native/ops";
import { LazySession } from "../../native/session";
import { IrGraph } from "../graph/emit";
import { type Ir, irKey } from "../graph/ir";

/** The model's routes through the graph; each answers undefined when the backend runs no graphs. */
export interface GraphRoutes {
  /** The scores [rows, classes], forward only (no tape: not for use inside tf.grad). */
  scores(x: tf.Tensor): tf.Tensor | undefined;
  /** Each row's target score and its gradient w.r.t. the row. */
  targetGradient(x: tf.Tensor, targets: tf.Tensor1D): { value: tf.Tensor1D; grad: tf.Tensor } | undefined;
  /**
   * Σ_k weights[k] ∇f(b + nodes[k] (x − b))[target] for the rows of `x` (baseline `b` of x's shape):
   * Integrated Gradients' quadrature sum over the steps given, before the factor (x − b).
   */
  pathGradientSum(x: tf.Tensor, baseline: tf.Tensor, targets: tf.Tensor1D, nodes: ArrayLike<number>, weights: ArrayLike<number>): tf.Tensor | undefined;
}

interface Compiled {
  session: LazySession;
  /** The weight slots the graph reads. */
  slots: number[];
}

/** One graph and session per architecture, example shape and class count, for the process's life. */
const compiled = new Map<string, Compiled>();

/** The graph routes of `ir` (inputs of one example's shape `exampleShape`, `classes` scores per row). */
export function graphRoutes(ir: Ir, exampleShape: readonly number[], classes: number): GraphRoutes {
  const key = JSON.stringify([irKey(ir), exampleShape, classes]);
  let built = compiled.get(key);
  if (!built) {
    built = compile(ir, exampleShape, classes);
    compiled.set(key, built);
  }
  const { session, slots } = built;
  const run = (feeds: Record<string, tf.Tensor>, outputs: string[]) => session.run({ ...feeds, ...IrGraph.feeds(ir, slots) }, outputs);
  const floats = (t: tf.Tensor) => t.dtype === "float32";
  const ints = (t: tf.Tensor1D) => (t.dtype === "int32" ? t : tf.cast(t, "int32"));
  return {
    // A run computes only what its outputs need: `scores` alone runs the forward ops.
    scores: (input) => (floats(input) ? run({ x: input }, ["scores"])?.[0] : undefined),
    targetGradient(input, t) {
      const out = floats(input) ? run({ x: input, targets: ints(t) }, ["value", "grad"]) : undefined;
      return out && { value: out[0] as tf.Tensor1D, grad: out[1] };
    },
    pathGradientSum(input, baseline, t, nodes, weights) {
      if (!floats(input) || !floats(baseline)) return undefined;
      const feeds = { ig_x: input, ig_baseline: baseline, targets: ints(t), ig_nodes: tf.tensor1d(Float32Array.from(nodes)), ig_weights: tf.tensor1d(Float32Array.from(weights)) };
      return run(feeds, ["ig_sum"])?.[0];
    },
  };
}

function compile(ir: Ir, exampleShape: readonly number[], classes: number): Compiled {
  const c = new IrGraph(ir);
  const { graph: g, ops } = c;
  const rows = [-1, ...exampleShape];
  const rowScores = (scores: Output, hot: Output) => ops.sum(g.op("Mul", [scores, hot], F32), 1);

  const targets = g.placeholder("targets", "int32", [-1]);
  const x = g.placeholder("x", "float32", rows);
  const model = c.emit(x);
  const hot = ops.oneHot(targets, classes);
  g.op("Identity", [model.output], F32, "scores");
  g.op("Identity", [rowScores(model.output, hot)], F32, "value");
  // d Σ_rows scores[row, target[row]] / d input: the backward pass from the targets' one-hot rows.
  g.op("Identity", [model.inputGradient(hot)], F32, "grad");

  // IG: path = b + α (x − b), all steps of the chunk in one batch, α slowest ([steps, n, ...]).
  const igX = g.placeholder("ig_x", "float32", rows);
  const igBaseline = g.placeholder("ig_baseline", "float32", rows);
  const alphas = g.placeholder("ig_nodes", "float32", [-1]);
  const quadrature = g.placeholder("ig_weights", "float32", [-1]);
  const perStepShape = (t: Output) => ops.reshape(t, ops.ints([-1, 1, ...exampleShape.map(() => 1)]));
  const delta = g.op("Sub", [igX, igBaseline], F32);
  const path = ops.reshape(g.op("AddV2", [ops.expandDims(igBaseline, 0), g.op("Mul", [perStepShape(alphas), ops.expandDims(delta, 0)], F32)], F32), ops.ints(rows));
  const stepCount = ops.shape(alphas);
  const pathGrad = c.emit(path).inputGradient(ops.oneHot(ops.tileInts(targets, stepCount), classes));
  const perStep = ops.reshape(pathGrad, ops.concatInts([stepCount, ops.ints(rows)]));
  g.op("Identity", [ops.sum(g.op("Mul", [perStep, perStepShape(quadrature)], F32), 0)], F32, "ig_sum");
  return { session: new LazySession(g), slots: c.slots };
}
