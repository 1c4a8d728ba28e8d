// Grad-CAM (Selvaraju et al. 2017): a conv layer's feature maps A^k weighted by the spatial mean of
// the target score's gradient w.r.t. each map, α_k = mean_ij ∂y/∂A^k_ij; the map is ReLU(Σ_k α_k A^k),
// upsampled bilinearly to the input with half-pixel centres, align_corners false (TensorFlow 2's
// tf.image.resize, PyTorch's interpolate(align_corners=False), Captum's LayerAttribution.interpolate).
// Guided Grad-CAM multiplies it into Guided Backprop's map.
// The layer is any node of the model's reading as primitive ops (../graph): a layer of a layers model
// (name, index or object) or a node of a graph model (a string), inside a residual branch too; the
// gradient is taken at that node's value with everything beside it held (the reading run op by op,
// on every backend). The default is the last feature map every path to the output goes through,
// pooling looked through: the last conv layer of a chain, a ResNet's last block output. A layers
// model the readers do not know is split at the layer (every path must go through it).
import * as tf from "@tensorflow/tfjs";
import { InterpError, layerForward, type LayerRef, resolveGraphNode, resolveLayer } from "../activations";
import { splitAt } from "../ablation/head";
import { irFunction } from "../graph/eager";
import type { Ir } from "../graph/ir";
import { chunks, rowsPerPass, runPasses } from "./batches";
import { type GradientOptions, targetClasses, targetGradient, targetSlice } from "./gradient";
import { guidedBackprop } from "./guided-backprop";
import type { AttributionResult } from "./result";
import { checkInput, type Explainable, resolveTarget, type ScoredModel, scoredModel } from "./scores";

export interface GradCamOptions extends GradientOptions {
  /**
   * The feature maps: a layer (name, index or layer object) of a layers model, or a node name of a graph
   * model, with a spatial output [n, h, w, c]. Default: the last one every path to the output goes through.
   */
  layer?: LayerRef;
}

/** A model as feature maps of the input and scores of the maps (with the input, for branches beside them). */
interface Split {
  name: string;
  maps: (x: tf.Tensor) => tf.Tensor;
  scores: (x: tf.Tensor, maps: tf.Tensor) => tf.Tensor;
  dispose(): void;
}

/** Grad-CAM maps of images `x` [n, h, w, c], as [n, h, w, 1] (one value per pixel). */
export async function gradCam(model: Explainable, x: tf.Tensor, options: GradCamOptions = {}): Promise<AttributionResult> {
  if (x.rank !== 4) throw new InterpError("invalid-input", `Grad-CAM needs images [n, h, w, c], got [${x.shape.join(", ")}]`);
  const scored = scoredModel(model, options.output);
  checkInput(scored, x);
  const targets = resolveTarget(scored, x, options.target);
  if (scored.output !== "logits" && scored.output !== "model-output") throw new InterpError("invalid-input", `Grad-CAM explains the model's logits or output, not a layer (${scored.output})`);
  const split = scored.ops ? splitReading(model, scored.ops, options.layer) : splitLayers(model, scored, options.layer);
  const [, height, width] = x.shape;
  try {
    const plan = chunks(x.shape[0], 1, rowsPerPass(scored, x.shape.slice(1), options));
    const { values, scores } = await runPasses(
      "grad-cam",
      x,
      plan,
      (xChunk, { start, size }) => {
        const a = split.maps(xChunk) as tf.Tensor4D;
        const fromMaps: ScoredModel = { scores: (maps) => split.scores(xChunk, maps), output: scored.output };
        const { value, grad } = targetGradient(fromMaps, a, targetSlice(targets, start, size), true);
        const alpha = tf.mean(grad, [1, 2], true);
        const cam = tf.relu(tf.sum(tf.mul(alpha, a), -1, true)) as tf.Tensor4D;
        return { values: tf.image.resizeBilinear(cam, [height, width], false, true), scores: value! };
      },
      (_, __, ___, sums) => ({ values: sums.values, scores: sums.scores }),
    );
    return { method: "grad-cam", values, shape: [x.shape[0], height, width, 1], targets: targetClasses(targets, x.shape[0]), scores, output: scored.output, settings: { layer: split.name } };
  } finally {
    split.dispose();
  }
}

/** Guided Grad-CAM: Guided Backprop's map times the Grad-CAM map, pixel by pixel (every channel); the input's shape. */
export async function guidedGradCam(model: Explainable, x: tf.Tensor, options: GradCamOptions = {}): Promise<AttributionResult> {
  const targets = resolveTarget(scoredModel(model, options.output), x, options.target);
  const [cam, guided] = [await gradCam(model, x, { ...options, target: targets }), await guidedBackprop(model, x, { ...options, target: targets })];
  const channels = x.shape[3] ?? 1;
  const values = guided.values.map((v, k) => v * cam.values[Math.floor(k / channels)]);
  return { ...guided, method: "guided-grad-cam", values, settings: cam.settings };
}

/** The reading split at the node `layer` names (its last op: a layer's activation, a fused node's tail). */
function splitReading(model: Explainable, ops: NonNullable<ScoredModel["ops"]>, layer: LayerRef | undefined): Split {
  const { ir } = ops;
  const ranks = staticRanks(ir);
  let at: number;
  if (layer === undefined) {
    at = lastFeatureMap(ir, ranks);
  } else {
    const name = nodeName(model, layer);
    at = -1;
    ir.nodes.forEach((node, i) => (at = node.source === name && node.op.kind !== "weight" && i !== ir.input ? i : at));
    if (at < 0) throw new InterpError("unknown-layer", `${name} computes nothing of its own on the way to the output explained (an identity at inference, or off the path): name a conv layer or node`);
    if (ranks[at] !== 4) throw new InterpError("invalid-input", `Grad-CAM needs a layer with a spatial output [n, h, w, c]; ${name}'s output has rank ${ranks[at]}`);
  }
  return { name: ir.nodes[at].source, maps: irFunction({ ...ir, output: at }), scores: ops.given(at), dispose: () => undefined };
}

function nodeName(model: Explainable, layer: LayerRef): string {
  if (model instanceof tf.GraphModel) return resolveGraphNode(model, layer);
  if (typeof model !== "function" && "kind" in model && model.kind === "graph") return resolveGraphNode(model.model, layer);
  return resolveLayer(layersModelOf(model), layer).name;
}

/** Each node's rank, from the input's (4) and the ops. */
function staticRanks(ir: Ir): number[] {
  const ranks: number[] = [];
  ir.nodes.forEach(({ op, inputs }, i) => {
    const of = (k: number) => ranks[inputs[k]];
    switch (op.kind) {
      case "input":
        ranks[i] = 4;
        break;
      case "weight":
        ranks[i] = ir.weights[op.slot].shape.length;
        break;
      case "matmul":
        ranks[i] = 2;
        break;
      case "mean":
        ranks[i] = op.keepDims ? of(0) : of(0) - op.axes.length;
        break;
      case "squeeze":
        ranks[i] = of(0) - op.axes.length;
        break;
      case "reshape":
        ranks[i] = op.shape.length;
        break;
      default:
        ranks[i] = Math.max(...inputs.map((k) => ranks[k]));
    }
  });
  return ranks;
}

/**
 * The last convolution's output after its bias, normalisation and activation; when that convolution
 * sits in a branch (a ResNet's block), the node where the branches join, after its activation.
 */
function lastFeatureMap(ir: Ir, ranks: number[]): number {
  let at = -1;
  ir.nodes.forEach((node, i) => (at = node.op.kind === "conv2d" || node.op.kind === "depthwise" ? i : at));
  if (at < 0) throw new InterpError("invalid-input", "Grad-CAM needs a conv layer; this model has none on the way to the output explained");
  const passesThrough = (cut: number) => {
    const reached = ir.nodes.map(() => false);
    ir.nodes.forEach((node, i) => (reached[i] = i !== cut && (i === ir.input || node.inputs.some((k) => reached[k]))));
    return !reached[ir.output];
  };
  while (!passesThrough(at)) at++;
  const users = (i: number) => ir.nodes.flatMap((node, k) => (node.inputs.includes(i) && k <= ir.output ? [k] : []));
  for (let next = users(at); next.length === 1 && ["biasAdd", "batchNorm", "activation"].includes(ir.nodes[next[0]].op.kind) && ranks[next[0]] === 4; next = users(at)) at = next[0];
  return at;
}

/** The layers model split at the layer (the head shares its weights): for models the graph readers do not know. */
function splitLayers(model: Explainable, scored: ScoredModel, ref: LayerRef | undefined): Split {
  const layers = layersModelOf(model);
  const layer = ref === undefined ? lastSpatialLayer(layers) : resolveLayer(layers, ref);
  if ((layer.outputShape as number[]).length !== 4) throw new InterpError("invalid-input", `Grad-CAM needs a layer with a spatial output [n, h, w, c]; ${layer.name} gives [${(layer.outputShape as number[]).join(", ")}]`);
  const head = splitAt(layers, layer, { logits: scored.output === "logits" });
  return { name: layer.name, maps: layerForward(layers, layer), scores: (_, a) => head.model.apply(a) as tf.Tensor, dispose: () => head.dispose() };
}

function layersModelOf(model: Explainable): tf.LayersModel {
  if (model instanceof tf.LayersModel) return model;
  if (typeof model !== "function" && "kind" in model && model.kind === "layers") return model.model;
  throw new InterpError("unsupported-model", "Grad-CAM needs the model's layers or nodes: a tfjs layers or graph model (Keras and ONNX imports included), not a score function");
}

/** The last conv layer: the last one with weights and a spatial output (Selvaraju et al.'s choice). */
function lastSpatialLayer(model: tf.LayersModel): tf.layers.Layer {
  const found = [...model.layers].reverse().find((l) => l.weights.length > 0 && !Array.isArray((l.outputShape as unknown[])[0]) && (l.outputShape as number[]).length === 4);
  if (!found) throw new InterpError("invalid-input", "Grad-CAM needs a conv layer (weights, spatial output [n, h, w, c]); this model has none");
  return found;
}
