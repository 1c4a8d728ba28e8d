// Activations of one layer of a tfjs LayersModel over a data set, computed batch by batch so a
// large data set never sits on the device at once: each batch runs through a sub-model that stops
// at the layer, is optionally reduced (spatial mean/max per conv channel), and is copied into one
// host-side Float32Array. Every interp method (selectivity, ablation, CKA, probes, TCAV) starts here.
import * as tf from "@tensorflow/tfjs";
import { withTask } from "../progress";
import { ATTRIBUTION_FUNCTIONS } from "./attribution/methods";
import { forwardGraph } from "./chain-graph";
import { graphNodeNames } from "./graph/from-graph-model";

/** A layer by name (`"dense_1"`), by its index in `model.layers` (negative from the end), or itself. */
export type LayerRef = string | number | tf.layers.Layer;

/**
 * What to keep per example. `none`: the full map. `spatial-mean` / `spatial-max`: one value per unit
 * (the last axis, channels-last as in tfjs) averaged / maxed over every axis between batch and units;
 * for a dense layer (rank 2) they change nothing.
 */
export type ActivationReduction = "none" | "spatial-mean" | "spatial-max";

/** Activations as a host array: `shape[0]` examples, row-major, units on the last axis. */
export interface Activations {
  /** The layer's name. */
  layer: string;
  data: Float32Array;
  shape: number[];
  reduction: ActivationReduction;
}

/** The minimal shape-carrying array the interp functions accept (`Activations` is one). */
export interface ArrayWithShape {
  data: ArrayLike<number>;
  shape: readonly number[];
}

export interface ActivationOptions {
  layer: LayerRef;
  /** Examples per forward pass. Default 256. */
  batchSize?: number;
  /** Default `none`. */
  reduce?: ActivationReduction;
}

export type InterpErrorKind =
  | "unknown-layer"
  | "invalid-input"
  | "shape-mismatch"
  | "unsplittable-model"
  | "negative-activations"
  | "too-large"
  | "unsupported-model";

/** Bad input to an interpretability method, with a kind to branch on and a message saying what to change. */
export class InterpError extends Error {
  override readonly name = "InterpError";
  constructor(
    readonly kind: InterpErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs `inputs` through `model` up to `options.layer`, in batches, and returns the layer's output on
 * the host. A graph model's activations are those of a node, named by a string (`options.layer`).
 */
export async function layerActivations(model: tf.LayersModel | tf.GraphModel, inputs: tf.Tensor, options: ActivationOptions): Promise<Activations> {
  const { name, forward } = model instanceof tf.GraphModel ? graphNodeForward(model, options.layer, inputs) : layersForward(model, options.layer, inputs);
  const reduction = options.reduce ?? "none";
  const batchSize = checkBatchSize(options.batchSize ?? 256);
  const n = inputs.shape[0];
  let data: Float32Array | undefined;
  let shape: number[] = [];
  // A task: progress in images, and an interrupt stops it between batches.
  await withTask("layerActivations", n, "images", async (task) => {
    for (let start = 0; start < n; start += batchSize) {
      task.check();
      const size = Math.min(batchSize, n - start);
      const batch = tf.tidy(() => reduceSpatial(forward(inputs.slice(start, size)), reduction));
      const values = (await batch.data()) as Float32Array;
      if (!data) {
        shape = [n, ...batch.shape.slice(1)];
        data = new Float32Array(n * (values.length / size));
      }
      data.set(values, start * (values.length / size));
      batch.dispose();
      task.advance(size);
      await tf.nextFrame();
    }
  });
  return { layer: name, data: data ?? new Float32Array(0), shape, reduction };
}

function layersForward(model: tf.LayersModel, ref: LayerRef, inputs: tf.Tensor) {
  const layer = resolveLayer(model, ref);
  checkInputs(model, inputs);
  return { name: layer.name, forward: layerForward(model, layer) };
}

/** A graph model's node `ref` as a forward function. */
function graphNodeForward(model: tf.GraphModel, ref: LayerRef, inputs: tf.Tensor) {
  const node = resolveGraphNode(model, ref);
  const expected = model.inputs[0]?.shape;
  if (model.inputs.length !== 1 || !expected || expected.length !== inputs.rank || expected.some((d, i) => i > 0 && d > 0 && d !== inputs.shape[i])) {
    throw new InterpError("shape-mismatch", `the graph model expects one input of shape [${(expected ?? []).map((d) => (d > 0 ? d : "n")).join(", ")}], got [${inputs.shape.join(", ")}]`);
  }
  return { name: node, forward: (x: tf.Tensor) => model.execute(x, node) as tf.Tensor };
}

/** The node `ref` names in a graph model (by string: there are no layer indices or objects), or an `unknown-layer` error saying what to pass. */
export function resolveGraphNode(model: tf.GraphModel, ref: LayerRef): string {
  if (typeof ref !== "string") throw new InterpError("unknown-layer", `a graph model has nodes, not layers: name the node whose output you want (a string); layer ${typeof ref === "number" ? "indices" : "objects"} are for layers models`);
  const names = graphNodeNames(model);
  if (!names.includes(ref)) throw new InterpError("unknown-layer", `no node ${JSON.stringify(ref)} in the graph model; its last nodes are ${names.slice(-8).join(", ")} (${names.length} in all)`);
  return ref;
}

/** The layer `ref` names, or an `unknown-layer` error listing the layers there are. */
export function resolveLayer(model: tf.LayersModel, ref: LayerRef): tf.layers.Layer {
  checkLayersModel(model, ref);
  const layers = model.layers;
  if (typeof ref === "object") {
    if (layers.includes(ref)) return ref;
    throw new InterpError("unknown-layer", `layer ${ref.name} is not a layer of this model`);
  }
  const found = typeof ref === "number" ? layers[ref < 0 ? layers.length + ref : ref] : layers.find((l) => l.name === ref);
  if (!found) {
    const names = layers.map((l, i) => `${i}: ${l.name}`).join(", ");
    throw new InterpError("unknown-layer", `no layer ${JSON.stringify(ref)} in the model; its layers are ${names}`);
  }
  return found;
}

/** The methods that take a graph model, named when a layer method refuses one. */
const GRAPH_MODEL_METHODS = `${Object.values(ATTRIBUTION_FUNCTIONS).join(", ")}, deletionCurve, insertionCurve; and, naming a node, layerActivations, topExemplars, dissect, featureVisualization, exemplarPrediction`;

/**
 * Refuses what is not a tfjs layers model: methods that read, ablate or randomise a layer need its
 * layers, which a graph model (a converted TensorFlow graph) does not have.
 */
export function checkLayersModel(model: unknown, layer?: LayerRef): asserts model is tf.LayersModel {
  if (model instanceof tf.LayersModel) return;
  const loaded = typeof model === "object" && model !== null && "kind" in model ? (model as { kind: string }).kind : undefined;
  const what =
    model instanceof tf.GraphModel || loaded === "graph"
      ? "a tfjs graph model, which has nodes but no layers"
      : loaded === "layers"
        ? "the record loadModel returns: pass its .model"
        : loaded
          ? `a ${loaded}`
          : typeof model === "function"
            ? "a score function"
            : "not a tfjs model";
  const named = layer === undefined || typeof layer === "object" ? "a layer" : `layer ${JSON.stringify(layer)}`;
  throw new InterpError("unsupported-model", `methods on ${named} (selectivity, ablation, TCAV, parameter randomisation) need a tfjs layers model, and this is ${what}. Load the model as a layers model (Keras .keras/.h5, or a tfjs layers model.json), or use a method that takes a graph model: ${GRAPH_MODEL_METHODS}`);
}

/**
 * `layer`'s output for a batch of inputs (call inside tf.tidy). On tfjs-node, for a model whose
 * layers form a chain, one TensorFlow graph run (chain-graph.ts): tfjs' predict costs ~3 ms a call
 * even for one small conv layer. Otherwise the sub-model's predict.
 */
export function layerForward(model: tf.LayersModel, layer: tf.layers.Layer): (x: tf.Tensor) => tf.Tensor {
  const graph = forwardGraph(model, model.layers.indexOf(layer) + 1);
  let upTo: tf.LayersModel | undefined;
  return (x) => {
    const viaGraph = x.dtype === "float32" ? graph?.run({ x }, ["y"]) : undefined;
    if (viaGraph) return viaGraph[0];
    upTo ??= activationModel(model, layer);
    return upTo.predict(x, { batchSize: x.shape[0] }) as tf.Tensor;
  };
}

/** A model from the inputs of `model` to the output of `layer` (shares the weights; nothing to dispose). */
export function activationModel(model: tf.LayersModel, layer: tf.layers.Layer): tf.LayersModel {
  return tf.model({ inputs: model.inputs, outputs: layerOutput(model, layer) });
}

/**
 * The symbolic output of `layer` inside `model`'s graph. A layer object can belong to several
 * graphs (other models, and the heads ablation builds), so `layer.output` is ambiguous; walking
 * back from the model's outputs finds the call that is this model's.
 */
export function layerOutput(model: tf.LayersModel, layer: tf.layers.Layer): tf.SymbolicTensor {
  const found = new Map<number, tf.SymbolicTensor>();
  const seen = new Set<number>();
  const visit = (t: tf.SymbolicTensor): void => {
    if (seen.has(t.id)) return;
    seen.add(t.id);
    if (t.sourceLayer === layer) found.set(t.id, t);
    const node = t.sourceLayer.inboundNodes[t.nodeIndex];
    if (node && t.sourceLayer.getClassName() !== "InputLayer") node.inputTensors.forEach(visit);
  };
  model.outputs.forEach(visit);
  if (found.size === 0) throw new InterpError("unknown-layer", `layer ${layer.name} does not lead to the output of this model`);
  if (found.size > 1) throw new InterpError("unsplittable-model", `layer ${layer.name} is used ${found.size} times in the model (or has several outputs); its activation is ambiguous`);
  return [...found.values()][0];
}

/** Reduces [batch, ...spatial, units] to [batch, units]; rank-2 tensors and `none` pass through. */
export function reduceSpatial(t: tf.Tensor, reduction: ActivationReduction): tf.Tensor {
  if (reduction === "none" || t.rank <= 2) return t;
  const axes = Array.from({ length: t.rank - 2 }, (_, i) => i + 1);
  return reduction === "spatial-mean" ? tf.mean(t, axes) : tf.max(t, axes);
}

/** The number of units (the last axis) of an activation array. */
/** Numbers nested to any depth: [n][units], or [n][h][w][channels] for conv maps. */
export interface NestedNumbers extends ReadonlyArray<number | NestedNumbers> {}

/** Activations as a caller may hold them: with their shape, as a tensor, or as nested arrays. */
export type ActivationsLike = ArrayWithShape | tf.Tensor | NestedNumbers;

/** `x` as data with its shape; nested arrays must be rectangular, anything else is refused. */
export function withShape(x: ActivationsLike, what = "activations"): ArrayWithShape {
  if (Array.isArray(x)) return nestedWithShape(x as NestedNumbers, what);
  const candidate = x as Partial<tf.Tensor & ArrayWithShape> | null | undefined;
  if (typeof candidate?.dataSync === "function" && Array.isArray(candidate.shape)) return { data: candidate.dataSync(), shape: candidate.shape };
  if (candidate && Array.isArray(candidate.shape) && typeof candidate.data === "object" && candidate.data !== null && "length" in candidate.data) return candidate as ArrayWithShape;
  throw new InterpError("invalid-input", `${what}: expected a tensor, nested arrays of numbers or { data, shape }, got ${x === null ? "null" : typeof x}`);
}

function nestedWithShape(x: NestedNumbers, what: string): ArrayWithShape {
  const shape: number[] = [];
  for (let level: unknown = x; Array.isArray(level); level = level[0]) shape.push(level.length);
  const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
  let next = 0;
  const visit = (value: unknown, depth: number, path: number[]): void => {
    const where = () => `${what}${path.map((i) => `[${i}]`).join("")}`;
    if (depth === shape.length) {
      if (typeof value !== "number") throw new InterpError("invalid-input", `${where()} is ${Array.isArray(value) ? "an array" : typeof value}, not a number`);
      data[next++] = value;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[depth]) {
      throw new InterpError("shape-mismatch", `${where()} has ${Array.isArray(value) ? `${value.length} entries` : "a number"} where ${what}${"[0]".repeat(depth)} has ${shape[depth]}: nested arrays must be rectangular`);
    }
    value.forEach((item, i) => visit(item, depth + 1, [...path, i]));
  };
  visit(x, 0, []);
  return { data, shape };
}

export function unitCount(activations: ArrayWithShape): number {
  return activations.shape[activations.shape.length - 1];
}

/** Per-example unit means over the spatial axes, on the host: [n, ...spatial, units] → [n × units] (float64). */
export function spatialMeanOnHost(activations: ArrayWithShape): Float64Array {
  const { data, shape } = activations;
  const n = shape[0], units = unitCount(activations);
  const positions = data.length / (n * units);
  const out = new Float64Array(n * units);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < positions; p++) {
      const offset = (i * positions + p) * units;
      for (let u = 0; u < units; u++) out[i * units + u] += data[offset + u];
    }
  }
  if (positions > 1) for (let k = 0; k < out.length; k++) out[k] /= positions;
  return out;
}

/** Checks that `inputs` fits the model's input shape, with an actionable message when it does not. */
export function checkInputs(model: tf.LayersModel, inputs: tf.Tensor): void {
  const expected = model.inputs[0].shape;
  const ok = expected.length === inputs.rank && expected.every((d, i) => i === 0 || d === null || d === inputs.shape[i]);
  if (model.inputs.length !== 1 || !ok) {
    throw new InterpError(
      "shape-mismatch",
      `the model expects inputs of shape [${expected.map((d) => d ?? "n").join(", ")}], got [${inputs.shape.join(", ")}]` +
        (model.inputs.length !== 1 ? " (models with several inputs are not supported)" : ""),
    );
  }
}

/** Class labels as integers 0..k−1: a plain or typed array, or a rank-1 tensor (read once). */
export type Labels = ArrayLike<number> | tf.Tensor;

/** `labels` as an Int32Array of length `n`, or an `invalid-input` / `shape-mismatch` error. */
export function labelArray(labels: Labels, n: number): Int32Array {
  const values = labels instanceof tf.Tensor ? labels.dataSync() : labels;
  if (values.length !== n) throw new InterpError("shape-mismatch", `${values.length} labels for ${n} examples`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!(Number.isInteger(v) && v >= 0)) throw new InterpError("invalid-input", `labels must be integers ≥ 0 (class indices); label ${i} is ${v}`);
    out[i] = v;
  }
  return out;
}

export function checkBatchSize(batchSize: number): number {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new InterpError("invalid-input", `batchSize must be a positive integer, got ${batchSize}`);
  return batchSize;
}
