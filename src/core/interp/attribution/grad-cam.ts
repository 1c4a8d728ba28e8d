// Grad-CAM (Selvaraju et al. 2017): a conv layer's feature maps A^k weighted by the spatial mean of
// the target score's gradient w.r.t. each map, α_k = mean_ij ∂y/∂A^k_ij; the map is ReLU(Σ_k α_k A^k),
// upsampled bilinearly to the input (half-pixel centres, as PyTorch's interpolate and Captum's
// LayerAttribution.interpolate). Guided Grad-CAM multiplies it into Guided Backprop's map.
// The model is split at the layer (its head shares the weights), so any layers model whose every path
// to the output goes through the layer works; the default layer is the last conv layer.
import * as tf from "@tensorflow/tfjs";
import { InterpError, layerForward, type LayerRef, resolveLayer } from "../activations";
import { splitAt } from "../ablation/head";
import { chunks, rowsPerPass, runPasses } from "./batches";
import { type GradientOptions, targetClasses, targetGradient, targetSlice } from "./gradient";
import { guidedBackprop } from "./guided-backprop";
import type { AttributionResult } from "./result";
import { checkInput, type Explainable, resolveTarget, type ScoredModel, scoredModel } from "./scores";

export interface GradCamOptions extends GradientOptions {
  /** The conv layer (name, index or layer). Default: the last conv layer (weights and an output [n, h, w, c]). */
  layer?: LayerRef;
}

/** Grad-CAM maps of images `x` [n, h, w, c], as [n, h, w, 1] (one value per pixel). */
export async function gradCam(model: Explainable, x: tf.Tensor, options: GradCamOptions = {}): Promise<AttributionResult> {
  const layers = layersModelOf(model);
  if (x.rank !== 4) throw new InterpError("invalid-input", `Grad-CAM needs images [n, h, w, c], got [${x.shape.join(", ")}]`);
  const scored = scoredModel(model, options.output);
  checkInput(scored, x);
  const targets = resolveTarget(scored, x, options.target);
  if (scored.output !== "logits" && scored.output !== "model-output") throw new InterpError("invalid-input", `Grad-CAM explains the model's logits or output, not a layer (${scored.output})`);
  const layer = options.layer === undefined ? lastSpatialLayer(layers) : resolveLayer(layers, options.layer);
  if ((layer.outputShape as number[]).length !== 4) throw new InterpError("invalid-input", `Grad-CAM needs a layer with a spatial output [n, h, w, c]; ${layer.name} gives [${(layer.outputShape as number[]).join(", ")}]`);
  const head = splitAt(layers, layer, { logits: scored.output === "logits" });
  // The scores as a function of the layer's feature maps.
  const fromMaps: ScoredModel = { scores: (maps) => head.model.apply(maps) as tf.Tensor, output: scored.output };
  const upTo = layerForward(layers, layer);
  const [, height, width] = x.shape;
  try {
    const plan = chunks(x.shape[0], 1, rowsPerPass(scored, x.shape.slice(1), options));
    const { values, scores } = await runPasses(
      "grad-cam",
      x,
      plan,
      (xChunk, { start, size }) => {
        const a = upTo(xChunk) as tf.Tensor4D;
        const { value, grad } = targetGradient(fromMaps, a, targetSlice(targets, start, size), true);
        const alpha = tf.mean(grad, [1, 2], true);
        const cam = tf.relu(tf.sum(tf.mul(alpha, a), -1, true)) as tf.Tensor4D;
        return { values: tf.image.resizeBilinear(cam, [height, width], false, true), scores: value! };
      },
      (_, __, ___, sums) => ({ values: sums.values, scores: sums.scores }),
    );
    return { method: "grad-cam", values, shape: [x.shape[0], height, width, 1], targets: targetClasses(targets, x.shape[0]), scores, output: scored.output, settings: { layer: layer.name } };
  } finally {
    head.dispose();
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

function layersModelOf(model: Explainable): tf.LayersModel {
  if (model instanceof tf.LayersModel) return model;
  if (typeof model !== "function" && "kind" in model && model.kind === "layers") return model.model;
  throw new InterpError("unsupported-model", "Grad-CAM splits a layers model at a conv layer; this is a graph model, a SavedModel or a score function");
}

/** The last conv layer: the last one with weights and a spatial output (Selvaraju et al.'s choice). */
function lastSpatialLayer(model: tf.LayersModel): tf.layers.Layer {
  const found = [...model.layers].reverse().find((l) => l.weights.length > 0 && !Array.isArray((l.outputShape as unknown[])[0]) && (l.outputShape as number[]).length === 4);
  if (!found) throw new InterpError("unsupported-model", "Grad-CAM needs a conv layer (weights, spatial output [n, h, w, c]); this model has none");
  return found;
}
