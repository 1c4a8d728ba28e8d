// Blocks: the units a model is randomised by in the sanity checks. Adebayo et al. randomised
// InceptionV3 by block (a mixed block, the logits), not by single op; on modern networks a layer
// alone is rarely the meaningful unit (a convolution and the BatchNorm that rescales it; a residual
// block; "the head"). A block is a name and its layers, listed in the model's forward order.
import * as tf from "@tensorflow/tfjs";
import { DataError } from "../../data";
import { checkLayersModel } from "../activations";

export interface Block {
  name: string;
  /** Layer names, in the model's order. */
  layers: string[];
}

/**
 * How layers group into blocks:
 * - `"layers"` (default): each layer with weights, with the BatchNormalization layers that normalise
 *   its output (a convolution and its BatchNorm are one block, as their parameters are one unit);
 * - a RegExp on layer names: the block is the first capture group (or the whole match), e.g.
 *   `/^(block_\d+|expanded_conv|Conv1|Conv_1)/` for Keras' MobileNetV2; unmatched layers with
 *   weights are blocks of their own;
 * - a function of the layer giving its block's name (undefined: a block of its own);
 * - explicit blocks.
 */
export type BlockSpec = "layers" | RegExp | ((layer: tf.layers.Layer) => string | undefined) | Block[];

/** The blocks of `model` that hold weights, in forward order (cascading randomisation goes the other way). */
export function randomizationBlocks(model: tf.LayersModel, spec: BlockSpec = "layers"): Block[] {
  checkLayersModel(model);
  const weighted = (layer: tf.layers.Layer) => layer.weights.length > 0;
  if (Array.isArray(spec)) return explicitBlocks(model, spec);
  const nameOf =
    spec === "layers"
      ? layerBlocks(model)
      : spec instanceof RegExp
        ? (layer: tf.layers.Layer) => {
            const match = spec.exec(layer.name);
            return match ? (match[1] ?? match[0]) : undefined;
          }
        : spec;
  const blocks = new Map<string, string[]>();
  for (const layer of model.layers) {
    if (!weighted(layer)) continue;
    const name = nameOf(layer) ?? layer.name;
    blocks.set(name, [...(blocks.get(name) ?? []), layer.name]);
  }
  return [...blocks].map(([name, layers]) => ({ name, layers }));
}

/** Each weighted layer is its own block, except a BatchNormalization layer, which joins the block of the layer whose output it normalises. */
function layerBlocks(model: tf.LayersModel): (layer: tf.layers.Layer) => string {
  return (layer) => {
    if (layer.getClassName() !== "BatchNormalization") return layer.name;
    const source = normalisedLayer(layer);
    return source && source.weights.length > 0 && source.getClassName() !== "BatchNormalization" && model.layers.includes(source) ? source.name : layer.name;
  };
}

/** The layer producing a layer's (single) input, looking through weightless one-input layers (padding, activation). */
function normalisedLayer(layer: tf.layers.Layer): tf.layers.Layer | undefined {
  let node = layer.inboundNodes[0];
  for (let hops = 0; node && node.inboundLayers.length === 1 && hops < 8; hops++) {
    const source = node.inboundLayers[0];
    if (source.weights.length > 0 || source.inboundNodes[0]?.inboundLayers.length !== 1) return source;
    node = source.inboundNodes[0];
  }
  return undefined;
}

function explicitBlocks(model: tf.LayersModel, blocks: Block[]): Block[] {
  const known = new Set(model.layers.map((layer) => layer.name));
  const seen = new Map<string, string>();
  for (const block of blocks) {
    for (const name of block.layers) {
      if (!known.has(name)) throw new DataError("invalid-argument", `block ${block.name}: no layer named ${name}`);
      if (seen.has(name)) throw new DataError("invalid-argument", `layer ${name} is in two blocks (${seen.get(name)} and ${block.name})`);
      seen.set(name, block.name);
    }
  }
  const order = new Map(model.layers.map((layer, i) => [layer.name, i]));
  return blocks
    .map((block) => ({ name: block.name, layers: [...block.layers].sort((a, b) => order.get(a)! - order.get(b)!) }))
    .filter((block) => block.layers.some((name) => model.getLayer(name).weights.length > 0))
    .sort((a, b) => order.get(a.layers[0])! - order.get(b.layers[0])!);
}
