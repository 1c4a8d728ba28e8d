// What an attribution explains: one score per example, named by `output` and `target`.
// - `output: "logits"` (default): the pre-softmax scores, found by looking through a final softmax
//   (a Softmax/Activation layer, a layer's softmax activation, a graph model's Softmax node); a
//   softmax output saturates, so its gradients say little.
// - `output: "model-output"`: whatever the model returns.
// - `output: <name>`: a layer of a layers model, or a node of a graph model (e.g. the BiasAdd before
//   its Softmax). A named output with spatial axes scores each unit (channel) by its mean over them.
// `target` picks the score: a class (unit) for all examples, one per example, the prediction, or a
// function of the scores giving one differentiable value per example.
// On tfjs-node every model the graph readers know (../graph) also gets a graph route: its scores and
// input gradient as one TensorFlow graph (gradient-graph.ts). Where no graph runs (wasm, cpu), the
// same models' scores run op by op from that reading (../graph/eager.ts): tf.grad through the model
// itself fails on wasm for residual conv nets (fused convolutions' gradients need kernels wasm lacks).
import * as tf from "@tensorflow/tfjs";
import { checkInputShape, DataError, type LoadedModel } from "../../data";
import { InterpError, layerOutput, resolveLayer } from "../activations";
import { chainFunction, chainSteps } from "../layer-chain";
import { graphNodeNames, irFromGraphModel } from "../graph/from-graph-model";
import { irFunction, irFunctionGiven, type NodeRule } from "../graph/eager";
import { irFromLayers } from "../graph/from-layers";
import { type Ir, Unsupported } from "../graph/ir";
import { canRunGraphs } from "../../native/session";
import { type GraphRoutes, graphRoutes } from "./gradient-graph";

/**
 * Maps a batch of inputs to class scores [batch, classes], or to one score per example ([batch] or
 * [batch, 1]: a regression, a logit, a probe's score); must be differentiable for gradients.
 */
export type ScoreFunction = (x: tf.Tensor) => tf.Tensor;

/** Anything attribution can explain: a tfjs model, a loaded model, or a score function. */
export type Explainable = tf.LayersModel | tf.GraphModel | LoadedModel | ScoreFunction;

/** `"logits"`, `"model-output"`, or the name of a layer (layers model) or node (graph model). */
export type ScoreOutput = "logits" | "model-output" | (string & {});

/** Which score to explain: a class for all examples, one per example, the prediction (default), or a function of the scores [n, classes] giving one value per example. */
export type Target = number | ArrayLike<number> | "predicted" | ((scores: tf.Tensor) => tf.Tensor);

export interface ScoredModel {
  scores: ScoreFunction;
  /** What the scores are: `logits` when a final softmax was looked through, `model-output`, or the layer or node named. */
  output: string;
  /** The model's input shape (null = any), when the model declares one. */
  inputShape?: (number | null)[];
  /** Faster routes to the scores and their input gradient (gradient-graph.ts), where the model has them. */
  graph?: GraphRoutes;
  /**
   * Estimated bytes one row (one model evaluation) holds during a gradient pass: the activations
   * the backward pass keeps and its own buffers. Undefined when unknown (a score function).
   */
  rowBytes?: () => number;
  /**
   * The model read as a graph of primitive ops (../graph), when it could be, and its scores computed
   * from that reading op by op with some ops replaced: what modified backward rules (DeepLift's
   * rescale) rewrite on chains, DAGs and graph models alike.
   */
  ops?: {
    ir: Ir;
    scores: (rule?: NodeRule) => ScoreFunction;
    /** The scores as a function of the input and of node `at`'s value, given (the gradient at an inner node: Grad-CAM's). */
    given: (at: number) => (x: tf.Tensor, value: tf.Tensor) => tf.Tensor;
  };
}

const cache = new WeakMap<object, Map<string, ScoredModel>>();

/** The score function of `model` for `output` (see the module comment). */
export function scoredModel(model: Explainable, output: ScoreOutput = "logits"): ScoredModel {
  if (typeof model === "function") return { scores: (x) => asColumns(model(x)), output: "model-output" };
  if ("kind" in model) {
    if (model.kind === "saved-model") throw new DataError("invalid-argument", `${model.path} is a SavedModel, which runs natively without gradients; convert it to a tfjs model (tensorflowjs_converter) to explain it`);
    return { ...scoredModel(model.model, output), inputShape: model.inputShape };
  }
  const byOutput = cache.get(model) ?? new Map<string, ScoredModel>();
  cache.set(model, byOutput);
  let scored = byOutput.get(output);
  if (!scored) {
    scored = model instanceof tf.GraphModel ? graphModelScores(model, output) : layersScores(model, output);
    byOutput.set(output, scored);
  }
  return scored;
}

/** Unit scores [n, units] of an output [n, ...spatial, units]: the mean over the spatial axes. */
function unitScores(t: tf.Tensor): tf.Tensor {
  return t.rank <= 2 ? t : tf.mean(t, Array.from({ length: t.rank - 2 }, (_, i) => i + 1));
}

/** The graph route of `ir`, or none when the model's output or input has no fixed size per example. */
function routesOf(ir: Ir | undefined, inputShape: readonly (number | null)[], outputShape: readonly (number | null)[]): GraphRoutes | undefined {
  const classes = outputShape[outputShape.length - 1];
  const example = inputShape.slice(1);
  if (!ir || !classes || example.some((d) => d === null || d < 0) || outputShape.length !== 2) return undefined;
  return graphRoutes(ir, example as number[], classes);
}

/**
 * `scores` on tfjs-node; elsewhere, when the model was read as an Ir, its ops run one by one, which
 * tf.grad differentiates on every backend. The choice is made at each call, as the graph routes make
 * theirs.
 */
function differentiable(ops: ScoredModel["ops"], scores: ScoreFunction): ScoreFunction {
  if (!ops) return scores;
  const eager = ops.scores();
  return (x) => (canRunGraphs() ? scores(x) : eager(x));
}

/** The reading's scores, op by op (see ScoredModel.ops), then `post` as the model's scores apply it. */
function opsOf(ir: Ir | undefined, post: (t: tf.Tensor) => tf.Tensor = (t) => t): ScoredModel["ops"] {
  if (!ir) return undefined;
  return {
    ir,
    scores: (rule) => {
      const run = irFunction(ir, rule);
      return (x) => post(run(x));
    },
    given: (at) => {
      const run = irFunctionGiven(ir, at);
      return (x, value) => post(run(x, value));
    },
  };
}

function readIr(read: () => Ir): Ir | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/**
 * Scores of a layers model. With `logits`, a final softmax is looked through: a last Activation or
 * Softmax layer is dropped, a last layer's softmax activation skipped. Sequential models of
 * standard layers run as a gradient-lean chain of unfused ops (../layer-chain.ts) on every backend.
 */
function layersScores(model: tf.LayersModel, output: ScoreOutput): ScoredModel {
  const inputShape = model.inputs[0].shape;
  const rowBytes = () => 4 * BACKWARD_FACTOR * model.layers.reduce((sum, layer) => sum + elements(layer.outputShape), 0);
  if (output !== "logits" && output !== "model-output") {
    const layer = resolveLayer(model, output);
    const tensor = layerOutput(model, layer);
    const sub = tf.model({ inputs: model.inputs, outputs: tensor });
    const ir = readIr(() => irFromLayers(model, tensor));
    const ops = opsOf(ir, unitScores);
    const scores = differentiable(ops, (x) => unitScores(sub.apply(x) as tf.Tensor));
    return { scores, output: layer.name, inputShape, graph: routesOf(ir, inputShape, tensor.shape), rowBytes, ops };
  }
  const n = model.layers.length;
  const last = model.layers[n - 1];
  const softmaxLast = output === "logits" && (last.getConfig() as { activation?: string }).activation === "softmax";
  const dropLast = output === "logits" && (last.getClassName() === "Softmax" || (softmaxLast && last.getClassName() === "Activation"));
  const linearLast = softmaxLast && last.getClassName() !== "Activation";
  const found = dropLast || linearLast ? "logits" : "model-output";
  const ir = readIr(() => irFromLayers(model, model.outputs[0], found === "logits"));
  const graph = routesOf(ir, inputShape, model.outputs[0].shape);
  const ops = opsOf(ir);
  const steps = chainSteps(model, dropLast ? n - 1 : n, linearLast);
  if (steps) return { scores: chainFunction(steps), output: found, inputShape, graph, rowBytes, ops };
  if (dropLast) {
    const below = last.input as tf.SymbolicTensor;
    if (model.inputs.includes(below)) return { scores: (x) => x, output: found, inputShape, graph, rowBytes, ops };
    const sub = tf.model({ inputs: model.inputs, outputs: below });
    return { scores: differentiable(ops, (x) => sub.apply(x) as tf.Tensor), output: found, inputShape, graph, rowBytes, ops };
  }
  if (linearLast) {
    if (last.getClassName() !== "Dense") {
      throw new InterpError("unsplittable-model", `the last layer (${last.name}, ${last.getClassName()}) applies a softmax of its own: name the output to explain (output: "model-output", or a layer below it)`);
    }
    // A Dense layer with a softmax activation: the model up to it, then its kernel and bias.
    const below = last.input as tf.SymbolicTensor;
    const sub = model.inputs.includes(below) ? undefined : tf.model({ inputs: model.inputs, outputs: below });
    const [kernel, bias] = last.weights;
    const scores: ScoreFunction = (x) => {
      const z = tf.matMul((sub ? sub.apply(x) : x) as tf.Tensor2D, kernel.read() as tf.Tensor2D);
      return bias ? tf.add(z, bias.read()) : z;
    };
    return { scores: differentiable(ops, scores), output: found, inputShape, graph, rowBytes, ops };
  }
  return { scores: differentiable(ops, (x) => model.apply(x) as tf.Tensor), output: "model-output", inputShape, graph, rowBytes, ops };
}

/**
 * Scores of a graph model: `model.execute` up to the named node (a final Softmax looked through for
 * `logits`, Identity nodes skipped).
 */
function graphModelScores(model: tf.GraphModel, output: ScoreOutput): ScoredModel {
  const inputShape = model.inputs[0]?.shape?.map((s) => (s === -1 ? null : s)) ?? undefined;
  const names = graphNodeNames(model);
  let node: string;
  let found: string = output;
  if (output === "logits" || output === "model-output") {
    if (model.outputNodes.length !== 1) throw new InterpError("invalid-input", `the graph model has ${model.outputNodes.length} outputs (${model.outputNodes.join(", ")}): name the node to explain with output`);
    node = model.outputNodes[0].split(":")[0];
    if (output === "logits") {
      const below = softmaxInput(model, node);
      found = below ? "logits" : "model-output";
      node = below ?? node;
    }
  } else {
    if (!names.includes(output)) throw new InterpError("unknown-layer", `no node ${JSON.stringify(output)} in the graph model; nodes ending its graph: ${names.slice(-8).join(", ")}`);
    node = output;
  }
  const ir = readIr(() => irFromGraphModel(model, node));
  const ops = opsOf(ir, unitScores);
  const scores = differentiable(ops, (x) => unitScores(model.execute(x, node) as tf.Tensor));
  let outputShape: number[] | undefined;
  let bytes: number | undefined;
  const probe = () => {
    // One example through the model, every node's output kept: the output's shape and the
    // activation volume, which the graph does not declare.
    if (bytes !== undefined || !inputShape || inputShape.slice(1).some((d) => d === null)) return;
    const x = tf.zeros([1, ...(inputShape.slice(1) as number[])]);
    const all = model.execute(x, names.filter((name) => !model.weights[name])) as tf.Tensor[];
    bytes = 4 * BACKWARD_FACTOR * all.reduce((sum, t) => sum + t.size, 0);
    const y = tf.tidy(() => scores(x));
    outputShape = [-1, ...y.shape.slice(1)];
    tf.dispose([x, y, ...all]);
  };
  probe();
  const graph = outputShape ? routesOf(ir, inputShape!, outputShape) : undefined;
  return { scores, output: found, inputShape, graph, rowBytes: () => (probe(), bytes ?? 0), ops };
}

/** The input node of a Softmax that ends at `node` (through Identity nodes), if there is one. */
function softmaxInput(model: tf.GraphModel, node: string): string | undefined {
  const nodes = new Map(graphNodeNamesAndOps(model));
  let at = node;
  for (let hops = 0; hops < 8; hops++) {
    const info = nodes.get(at);
    if (!info) return undefined;
    if (info.op === "Softmax") return info.input;
    if (info.op !== "Identity") return undefined;
    at = info.input;
  }
  return undefined;
}

function graphNodeNamesAndOps(model: tf.GraphModel): [string, { op: string; input: string }][] {
  const topology = (model as unknown as { artifacts: { modelTopology: { node: { name: string; op: string; input?: string[] }[] } } }).artifacts.modelTopology;
  return topology.node.map((n) => [n.name, { op: n.op, input: (n.input ?? [""])[0].split(":")[0] }]);
}

/**
 * Bytes a gradient pass holds per activation value of the forward pass: the value itself (kept for
 * the backward pass), its gradient, and the backward pass's temporaries. Calibrated on MobileNetV2
 * (test/bench/attribution.bench.ts reports the peak RSS beside it).
 */
const BACKWARD_FACTOR = 1;

function elements(shape: tf.Shape | tf.Shape[]): number {
  const shapes = (Array.isArray(shape[0]) ? shape : [shape]) as tf.Shape[];
  return shapes.reduce((sum, s) => sum + s.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1), 0);
}

/** Checks `x` against the model's declared input shape (clear `wrong-input-shape` error). */
export function checkInput(model: ScoredModel, x: tf.Tensor): void {
  if (x.rank < 2) throw new DataError("wrong-input-shape", `attribution needs a batch of inputs (rank ≥ 2), got shape [${x.shape.join(", ")}]`);
  if (model.inputShape) checkInputShape(model.inputShape, x.shape, "the model");
}

/** The scores of `x` when no gradient is taken of them: through the model's graph route when it has one. */
export function forwardScores(model: ScoredModel, x: tf.Tensor): tf.Tensor {
  return model.graph?.scores(x) ?? model.scores(x);
}

/** A target as the class explained per example, or the function that scores each example. */
export type ResolvedTarget = Int32Array | ((scores: tf.Tensor) => tf.Tensor);

/** The class explained for each of the `n` examples of `x`, or the target function as given. */
export function resolveTarget(model: ScoredModel, x: tf.Tensor, target: Target = "predicted"): ResolvedTarget {
  return typeof target === "function" ? target : resolveTargets(model, x, target);
}

/** The class explained for each of the `n` examples of `x`, for methods that explain classes (a target function is refused). */
export function resolveTargets(model: ScoredModel, x: tf.Tensor, target: Target = "predicted"): Int32Array {
  const n = x.shape[0];
  if (typeof target === "function") throw new InterpError("invalid-input", "this method explains one class per example: give target as classes (or \"predicted\"), not a function");
  if (target === "predicted") return tf.tidy(() => forwardScores(model, x).argMax(-1).dataSync() as Int32Array).slice();
  if (typeof target === "number") return new Int32Array(n).fill(target);
  if (target.length !== n) throw new DataError("invalid-argument", `target has ${target.length} classes for ${n} examples`);
  return Int32Array.from(target);
}

/** Σ_rows score[row, target[row]]: its gradient w.r.t. x is each row's target-score gradient. */
export function targetScoreSum(scores: tf.Tensor, targets: tf.Tensor1D): tf.Scalar {
  return tf.sum(targetScores(scores, targets));
}

/** The target-class score of each row [rows]; a model with one output has only class 0. */
export function targetScores(scores: tf.Tensor, targets: tf.Tensor1D): tf.Tensor1D {
  const classes = scores.shape[scores.shape.length - 1];
  // tfjs' oneHot refuses depth 1, and a single score needs no picking.
  if (classes === 1) return tf.reshape(scores, [-1]);
  return tf.sum(tf.mul(scores, tf.oneHot(targets, classes)), -1) as tf.Tensor1D;
}

/** One score per example as a column [batch, 1], so that class 0 is that score. */
function asColumns(scores: tf.Tensor): tf.Tensor {
  return scores.rank === 1 ? tf.expandDims(scores, 1) : scores;
}
