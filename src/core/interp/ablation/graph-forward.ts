// The graph strategy for single-unit ablations (tfjs-node): the layers up to the ablated one, the
// low-rank update of forward.ts, the rest of the model and the count of correct predictions as ONE
// TensorFlow graph from the inputs (chain-graph.ts). The model must be a chain and the layer after
// the ablated one a Conv2D or Dense layer. For the m units U of a group and the replacement r (0, or
// the mean for mean-ablations):
//   z     = K(h) + b                                   once per example
//   z'_u  = z − K_u(h_u − r_u)                         every u ∈ U at once: a depthwise convolution
//                                                      of h_U − r_U by K's rows U (Dense: a product)
//   rows  = the z'_u stacked unit-major, through the first layer's activation and the rest
// Ablating the first conv layer of the digits CNN, everything after it runs once per unit: op by op
// that took ~0.6x the naive loop's time; as one graph with the baseline in the same run, ~0.2x
// (test/bench/ablation.bench.ts).
import * as tf from "@tensorflow/tfjs";
import { F32 } from "../../native/ops";
import { canRunGraphs } from "../../native/session";
import { ChainGraph, GraphCache } from "../chain-graph";
import { type ActivationName, type ChainStep, chainSteps } from "../layer-chain";
import type { HeadForward, ResolvedAblation, Rows } from "./forward";

type Accepted = { units: [] | [number]; mode: "zero" | "mean" };

/** Single units, and the empty ablation (the site's baseline). */
const accepts = (ablation: ResolvedAblation): ablation is Accepted => "units" in ablation && ablation.units.length <= 1;

/** One session run each: the single units of one mode, with the unchanged model riding on the first. */
interface Pass {
  mode?: "zero" | "mean";
  singles: Accepted[];
  clean: boolean;
}

function passesOf(group: readonly Accepted[]): Pass[] {
  const clean = group.some((a) => !a.units.length);
  const modes = [...new Set(group.filter((a) => a.units.length).map((a) => a.mode))];
  if (!modes.length) return [{ singles: [], clean }];
  return modes.map((mode, k) => ({ mode, singles: group.filter((a) => a.units.length && a.mode === mode), clean: clean && k === 0 }));
}

/**
 * The graph strategy for ablations of `layer` in `model`, or undefined off tfjs-node or when the
 * model is not such a chain. Runs `fallback` instead whenever TensorFlow rejects the graph.
 */
export function graphForward(model: tf.LayersModel, layer: tf.layers.Layer, fallback: () => HeadForward): HeadForward | undefined {
  if (!canRunGraphs()) return undefined;
  const built = headGraph(model, layer);
  if (!built) return undefined;
  const { graph: c, hShape, zSize } = built;

  /**
   * The graph's outputs for the group, one block per ablation in group order: `units` fetched for
   * the single units of a pass (m blocks: `asBlocks` gives them a leading axis), `clean` for the
   * unchanged model (one block). The baseline and every unit of a mode share one pass through the
   * layers before and after. Undefined when the graph does not run.
   */
  const measure = (rows: Rows, group: readonly ResolvedAblation[], fetch: { units: string; clean: string }, extra: Record<string, tf.Tensor>, asBlocks: (t: tf.Tensor) => tf.Tensor) => {
    const pieces: tf.Tensor[] = [];
    const blockOf = new Map<Accepted, number>();
    let cleanBlock = -1;
    for (const pass of passesOf(group as Accepted[])) {
      const names = [...(pass.singles.length ? [fetch.units] : []), ...(pass.clean ? [fetch.clean] : [])];
      const feeds: Record<string, tf.Tensor> = { ...extra, x: rows.x() };
      if (pass.mode) {
        feeds.replacement = pass.mode === "mean" ? rows.mean() : tf.zeros(hShape);
        feeds.units = tf.tensor1d(pass.singles.map((a) => a.units[0]!), "int32");
      }
      const out = c.run(feeds, names);
      if (!out) return undefined;
      const first = blockOf.size + (cleanBlock >= 0 ? 1 : 0);
      pass.singles.forEach((a, k) => blockOf.set(a, first + k));
      if (pass.clean) cleanBlock = first + pass.singles.length;
      pieces.push(...out.map(asBlocks));
    }
    const all = pieces.length === 1 ? pieces[0] : tf.concat(pieces);
    const order = (group as Accepted[]).map((a) => (a.units.length ? blockOf.get(a)! : cleanBlock));
    return order.length === all.shape[0] && order.every((block, i) => block === i) ? all : tf.gather(all, order);
  };

  return {
    accepts,
    run(rows, group) {
      const b = rows.x().shape[0];
      const blocks = measure(rows, group, { units: "outputs", clean: "clean" }, {}, (t) => t.reshape([-1, b, ...t.shape.slice(1)]));
      return blocks ? blocks.reshape([-1, ...blocks.shape.slice(2)]) : fallback().run(rows, group);
    },
    correct: (rows, group, labels) => measure(rows, group, { units: "correct", clean: "clean_correct" }, { labels }, (t) => t),
    // Per stacked row: one example's z' (the depthwise output holds the same, once per unit).
    rowSize: (exampleSize) => Math.max(exampleSize, zSize),
    // The unchanged model rides along on a pass's own z: no rows of its own.
    stackedRows: (ablation) => ("units" in ablation && !ablation.units.length ? 0 : 1),
    dispose() {},
  };
}

interface HeadGraph {
  graph: ChainGraph;
  hShape: number[];
  /** Floats of one example's z. */
  zSize: number;
}

/**
 * Graphs by model and layer: a site is made per call (ablateEachUnit, cumulative curves). Weights
 * are graph inputs read from the layers, so one graph per model and layer stays right after training.
 */
const graphs = new GraphCache<tf.layers.Layer, HeadGraph>();

function headGraph(model: tf.LayersModel, layer: tf.layers.Layer): HeadGraph | undefined {
  return graphs.get(model, layer, () => buildHeadGraph(model, layer));
}

function buildHeadGraph(model: tf.LayersModel, layer: tf.layers.Layer): HeadGraph | undefined {
  const split = model.layers.indexOf(layer) + 1;
  const prefix = chainSteps(model, split, false);
  const [first, ...rest] = chainSteps(model, model.layers.length, false, split) ?? [];
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  if (!prefix || inputShape.some((d) => d == null)) return undefined;
  if (!first || (first.kind !== "conv2d" && first.kind !== "dense")) return undefined;
  const hShape = (layer.outputShape as number[]).slice(1);
  const zShape = (first.layer.outputShape as number[]).slice(1);
  if ([...hShape, ...zShape].some((d) => d == null)) return undefined;

  const c = new ChainGraph();
  const { graph: g, ops } = c;
  const i32 = (values: number[], shape?: number[]) => ops.ints(values, shape);

  // The layers up to the ablated one run in the graph too: no activations to hand over.
  const h = c.chain(prefix, g.placeholder("x", "float32", [-1, ...inputShape])).output;
  const replacement = g.placeholder("replacement", "float32", hShape);
  const units = g.placeholder("units", "int32", [-1]);
  const labels = g.placeholder("labels", "int32", [-1]);
  const m = ops.shape(units, "int32");
  /** [rows] predictions of [rows, classes] outputs, compared with the labels: [rows / b, b] → correct per block. */
  const correct = (outputs: string, blocks: string) => {
    const predicted = g.op("ArgMax", [outputs, i32([1], [])], { ...F32, Tidx: { type: "int32" }, output_type: { type: "int32" } });
    const hits = g.op("Equal", [ops.reshape(predicted, ops.concatInts([blocks, i32([-1])]), "int32"), labels], { T: { type: "int32" } });
    return ops.sum(g.op("Cast", [hits], { SrcT: { type: "bool" }, DstT: { type: "float32" }, Truncate: { b: false } }), 1);
  };

  const kernel = c.weight(first.kernel);
  const z = first.bias ? c.biasAdd(c.linear(first, h, kernel), first.bias) : c.linear(first, h, kernel);
  const clean = c.chain(rest, c.activation(first.activation, z).y).output;
  g.op("Identity", [clean], F32, "clean");
  g.op("Identity", [correct(clean, i32([1]))], F32, "clean_correct");

  // h_U − r_U: the units' channels picked by a product with their one-hot rows (a gather along the
  // last axis measured ~1 ms slower on the digits CNN's conv1 output).
  const channels = hShape[hShape.length - 1];
  const picker = ops.oneHot(units, channels);
  const flat = ops.reshape(g.op("Sub", [h, replacement], F32), i32([-1, channels]));
  const picked = g.op("MatMul", [flat, picker], { ...F32, transpose_a: { b: false }, transpose_b: { b: true } });
  const removed = ops.reshape(picked, ops.concatInts([i32([-1, ...hShape.slice(0, -1)]), m]));
  let ablated: string; // [m·b, ...] in unit-major order
  let after: ChainStep[] = rest;
  if (first.kind === "conv2d") {
    // Depthwise with K's rows U as [kh, kw, m, out]: output channel k·out + o is K_{u_k, o}(h_{u_k} − r_{u_k}).
    const contributions = g.op("DepthwiseConv2dNative", [removed, ops.gather(kernel, units, 2)], {
      ...F32, strides: { ints: [1, ...first.strides, 1] }, padding: { s: first.padding.toUpperCase() }, data_format: { s: "NHWC" }, dilations: { ints: [1, 1, 1, 1] },
    });
    const out = zShape[2];
    const leading = (t: string) => ops.sliceInts(ops.shape(t), 0, 3); // [b, h', w']
    const each = g.op("Sub", [ops.expandDims(z, 3), ops.reshape(contributions, ops.concatInts([leading(z), m, i32([out])]))], F32);
    // Kept wide, [b, h', w', m·out], through the activation and the channel-wise steps after it
    // (pooling, elementwise activations): they treat each unit's copy of a channel as a channel of
    // its own, and the move to unit-major order then shifts a pooled, smaller tensor.
    const elementwise = (name: ActivationName) => name !== "softmax";
    const channelWise = (step: ChainStep) => step.kind === "maxPool" || step.kind === "avgPool" || (step.kind === "activation" && elementwise(step.activation));
    const unitMajor = (t: string) =>
      ops.reshape(ops.transpose(ops.reshape(t, ops.concatInts([leading(t), m, i32([out])])), [3, 0, 1, 2, 4]), ops.concatInts([i32([-1]), ops.sliceInts(ops.shape(t), 1, 2), i32([out])]));
    const wide = ops.reshape(each, ops.concatInts([leading(z), i32([-1])]));
    if (elementwise(first.activation)) {
      const k = rest.findIndex((step) => !channelWise(step));
      const channelWiseSteps = k < 0 ? rest : rest.slice(0, k);
      ablated = unitMajor(c.chain(channelWiseSteps, c.activation(first.activation, wide).y).output);
      after = rest.slice(channelWiseSteps.length);
    } else {
      ablated = c.activation(first.activation, unitMajor(wide)).y;
    }
  } else {
    const contributions = g.op("Mul", [ops.expandDims(removed, 2), ops.gather(kernel, units, 0)], F32); // [b, m, out]
    const each = g.op("Sub", [ops.expandDims(z, 1), contributions], F32);
    ablated = c.activation(first.activation, ops.reshape(ops.transpose(each, [1, 0, 2]), i32([-1, ...zShape]))).y;
  }
  const outputs = c.chain(after, ablated).output;
  g.op("Identity", [outputs], F32, "outputs");
  g.op("Identity", [correct(outputs, m)], F32, "correct");
  return { graph: c, hShape, zSize: zShape.reduce((a, b) => a * b, 1) };
}
