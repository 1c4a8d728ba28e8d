// A layer chain's scores and their input gradient as ONE TensorFlow graph on the tfjs-node backend
// (chain-graph.ts): the forward steps, the score Σ f(x)[row, target[row]], and the backward pass.
// Op by op, IG over 100 digits × 50 steps took twice TensorFlow Python's tf.function time; as one
// graph it takes ~1.1x (test/bench/attribution.bench.ts).
import * as tf from "@tensorflow/tfjs";
import { ChainGraph, F32 } from "../chain-graph";
import type { ChainStep } from "../layer-chain";

/** The chain's routes through the graph; each answers undefined when the backend runs no graphs. */
export interface GraphRoutes {
  /** The scores [rows, classes], forward only (no tape: not for use inside tf.grad). */
  scores(x: tf.Tensor): tf.Tensor | undefined;
  /** Each row's target score and its gradient w.r.t. the row. */
  targetGradient(x: tf.Tensor, targets: tf.Tensor1D): { value: tf.Tensor1D; grad: tf.Tensor } | undefined;
}

/** The graph routes of `steps` (inputs of one example's shape `exampleShape`, `classes` scores). */
export function graphRoutes(steps: readonly ChainStep[], exampleShape: readonly number[], classes: number): GraphRoutes {
  const c = new ChainGraph();
  const g = c.graph;
  const { output: scores, backward } = c.chain(steps, g.placeholder("x", "float32", [-1, ...exampleShape]));
  // d Σ_rows scores[row, target[row]] / d scores = the targets' one-hot rows.
  const targets = g.placeholder("targets", "int32", [-1]);
  const oneHot = g.op("OneHot", [targets, g.constant("int32", [classes], []), g.constant("float32", [1], []), g.constant("float32", [0], [])], { ...F32, TI: { type: "int32" }, axis: { i: -1 } });
  const value = g.op("Sum", [g.op("Mul", [scores, oneHot], F32), g.constant("int32", [1])], { ...F32, Tidx: { type: "int32" }, keep_dims: { b: false } });
  g.op("Identity", [scores], F32, "scores");
  g.op("Identity", [value], F32, "value");
  g.op("Identity", [backward.reduceRight((dy, grad) => grad(dy), oneHot)], F32, "grad");
  const floats = (x: tf.Tensor) => x.dtype === "float32";
  return {
    // A run computes only what its outputs need: `scores` alone runs the forward steps.
    scores: (x) => (floats(x) ? c.run({ x }, ["scores"])?.[0] : undefined),
    targetGradient(x, t) {
      const out = floats(x) ? c.run({ x, targets: t.dtype === "int32" ? t : tf.cast(t, "int32") }, ["value", "grad"]) : undefined;
      return out && { value: out[0] as tf.Tensor1D, grad: out[1] };
    },
  };
}
