// A layer chain's scores and their input gradient as ONE TensorFlow graph on the tfjs-node backend
// (chain-graph.ts): the forward steps, the score Σ f(x)[row, target[row]], and the backward pass;
// and Integrated Gradients whole (the path, its gradients, the quadrature sum and f at both ends),
// so an IG batch is one session run. Op by op, IG over 100 digits × 50 steps took twice TensorFlow
// Python's tf.function time; as one graph about the same (test/bench/attribution.bench.ts).
import * as tf from "@tensorflow/tfjs";
import type { Output } from "../../native/graph";
import { F32 } from "../../native/ops";
import { ChainGraph } from "../chain-graph";
import type { ChainStep } from "../layer-chain";

/** The chain's routes through the graph; each answers undefined when the backend runs no graphs. */
export interface GraphRoutes {
  /** The scores [rows, classes], forward only (no tape: not for use inside tf.grad). */
  scores(x: tf.Tensor): tf.Tensor | undefined;
  /** Each row's target score and its gradient w.r.t. the row. */
  targetGradient(x: tf.Tensor, targets: tf.Tensor1D): { value: tf.Tensor1D; grad: tf.Tensor } | undefined;
  /**
   * Integrated Gradients of the rows of `x` from `baseline` (x's shape) by the quadrature `nodes`
   * and `weights` on [0, 1]: the attributions, and the target scores of x's rows then baseline's.
   */
  integratedGradients(x: tf.Tensor, baseline: tf.Tensor, targets: tf.Tensor1D, nodes: ArrayLike<number>, weights: ArrayLike<number>): { values: tf.Tensor; ends: tf.Tensor1D } | undefined;
}

/** The graph routes of `steps` (inputs of one example's shape `exampleShape`, `classes` scores). */
export function graphRoutes(steps: readonly ChainStep[], exampleShape: readonly number[], classes: number): GraphRoutes {
  const c = new ChainGraph();
  const { graph: g, ops } = c;
  const rows = [-1, ...exampleShape];
  const rowScores = (scores: Output, hot: Output) => ops.sum(g.op("Mul", [scores, hot], F32), 1);
  /** d Σ_rows scores[row, target[row]] / d input: the backward pass from the targets' one-hot rows. */
  const inputGradient = (backward: ((dy: Output) => Output)[], hot: Output) => backward.reduceRight((dy, grad) => grad(dy), hot);

  const targets = g.placeholder("targets", "int32", [-1]);
  const x = g.placeholder("x", "float32", rows);
  const { output: scores, backward } = c.chain(steps, x);
  const hot = ops.oneHot(targets, classes);
  g.op("Identity", [scores], F32, "scores");
  g.op("Identity", [rowScores(scores, hot)], F32, "value");
  g.op("Identity", [inputGradient(backward, hot)], F32, "grad");

  // IG: path = b + α (x − b), all steps of the chunk in one batch, α slowest ([steps, n, ...]).
  const igX = g.placeholder("ig_x", "float32", rows);
  const igBaseline = g.placeholder("ig_baseline", "float32", rows);
  const alphas = g.placeholder("ig_nodes", "float32", [-1]);
  const quadrature = g.placeholder("ig_weights", "float32", [-1]);
  const perStepShape = (t: Output) => ops.reshape(t, ops.ints([-1, 1, ...exampleShape.map(() => 1)]));
  const delta = g.op("Sub", [igX, igBaseline], F32);
  const path = ops.reshape(g.op("AddV2", [ops.expandDims(igBaseline, 0), g.op("Mul", [perStepShape(alphas), ops.expandDims(delta, 0)], F32)], F32), ops.ints(rows));
  const stepCount = ops.shape(alphas);
  const pathGrad = inputGradient(c.chain(steps, path).backward, ops.oneHot(ops.tileInts(targets, stepCount), classes));
  const perStep = ops.reshape(pathGrad, ops.concatInts([stepCount, ops.ints(rows)]));
  const meanGrad = ops.sum(g.op("Mul", [perStep, perStepShape(quadrature)], F32), 0);
  g.op("Identity", [g.op("Mul", [delta, meanGrad], F32)], F32, "ig_values");
  // f at both ends, for the completeness gap: x's rows, then the baseline's.
  const ends = g.op("ConcatV2", [igX, igBaseline, ops.ints([0], [])], { N: { i: 2 }, ...F32, Tidx: { type: "int32" } });
  g.op("Identity", [rowScores(c.chain(steps, ends).output, ops.oneHot(ops.tileInts(targets, ops.ints([2])), classes))], F32, "ig_ends");

  const floats = (t: tf.Tensor) => t.dtype === "float32";
  const ints = (t: tf.Tensor1D) => (t.dtype === "int32" ? t : tf.cast(t, "int32"));
  return {
    // A run computes only what its outputs need: `scores` alone runs the forward steps.
    scores: (input) => (floats(input) ? c.run({ x: input }, ["scores"])?.[0] : undefined),
    targetGradient(input, t) {
      const out = floats(input) ? c.run({ x: input, targets: ints(t) }, ["value", "grad"]) : undefined;
      return out && { value: out[0] as tf.Tensor1D, grad: out[1] };
    },
    integratedGradients(input, baseline, t, nodes, weights) {
      if (!floats(input) || !floats(baseline)) return undefined;
      const feeds = { ig_x: input, ig_baseline: baseline, targets: ints(t), ig_nodes: tf.tensor1d(Float32Array.from(nodes)), ig_weights: tf.tensor1d(Float32Array.from(weights)) };
      const out = c.run(feeds, ["ig_values", "ig_ends"]);
      return out && { values: out[0], ends: out[1] as tf.Tensor1D };
    },
  };
}
