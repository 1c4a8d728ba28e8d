// Parameter randomisation for the model-randomisation sanity checks (Adebayo et al. 2018): copies of
// a model with some layers re-initialised, never touching the user's model. A layer's random weights
// come from its own seeded stream, so cascading step k + 1 differs from step k by exactly its block.
//
// BatchNormalization. Its affine parameters (gamma, beta) are re-initialised with the block (to 1
// and 0, Keras' defaults). Its running statistics are what the literature differs on:
// - "keep-statistics" (default): the trained moving mean and variance stay. This is Adebayo et al.'s
//   procedure: their code re-initialises a block's *trainable* variables, and moving statistics are
//   not trainable.
// - "recalibrate": the moving mean and variance are re-estimated on a calibration batch (by default
//   the inputs being explained), in forward order, so the randomised block's activations are
//   normalised as a freshly trained network's would be; a randomised convolution under the trained
//   statistics can switch every unit of a layer off (a degenerate control, see degenerate.ts).
// Quantus' MPRT (TensorFlow model) does neither: each layer with weights, BatchNorm layers included,
// is a step of its own, and every weight array, running statistics included, is replaced by a random
// permutation of itself (along its first axis), not re-initialised.
import * as tf from "@tensorflow/tfjs";
import { DataError, type LoadedModel } from "../../data";
import { createRng, type Rng } from "../../stats/rng";
import { checkLayersModel } from "../activations";

export type BatchNormRandomisation = "keep-statistics" | "recalibrate";

export interface RandomizationOptions {
  /** What re-initialised BatchNormalization layers do with their running statistics. Default "keep-statistics" (Adebayo et al.). */
  batchNorm?: BatchNormRandomisation;
  /** Inputs for "recalibrate" (a batch of the model's input shape). */
  calibration?: tf.Tensor;
}

/** The layers model inside `model`, or a clear error for models whose weights cannot be replaced. */
export function layersModelOf(model: tf.LayersModel | LoadedModel): tf.LayersModel {
  if (!(model instanceof tf.LayersModel) && model.kind === "layers") return model.model;
  checkLayersModel(model);
  return model;
}

/** Names of the layers that have weights, from the output down: the order of cascading randomisation by layer. */
export function randomizableLayers(model: tf.LayersModel): string[] {
  return model.layers.filter((layer) => layer.getWeights().length > 0).map((layer) => layer.name).reverse();
}

/** An independent copy of the model (same architecture and weights). Dispose it when done. */
export async function cloneModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

/**
 * A copy of `model` with the named layers re-initialised as Keras initialises them by default:
 * kernels Glorot-uniform, biases 0, BatchNorm gamma 1 and beta 0 (running statistics per
 * `options.batchNorm`). The draws come from `createRng(seed).fork(layer name)`.
 */
export async function randomizedCopy(model: tf.LayersModel, layers: string[], seed: number, options: RandomizationOptions = {}): Promise<tf.LayersModel> {
  checkLayersModel(model);
  const known = new Set(model.layers.map((layer) => layer.name));
  for (const name of layers) if (!known.has(name)) throw new DataError("invalid-argument", `no layer named ${name}; layers are ${[...known].join(", ")}`);
  const batchNorm = options.batchNorm ?? "keep-statistics";
  if (batchNorm === "recalibrate" && !options.calibration) throw new DataError("invalid-argument", `batchNorm "recalibrate" needs calibration inputs`);
  const copy = await cloneModel(model);
  const rng = createRng(seed);
  // Fork in the model's layer order, whatever `layers`' order, so a layer's draws never depend on it.
  const streams = new Map(copy.layers.map((layer) => [layer.name, rng.fork(layer.name)] as const));
  for (const name of layers) {
    const layer = copy.getLayer(name);
    const stream = streams.get(name)!;
    const fresh = layer.weights.map((variable) => reinitialized(variable, stream));
    layer.setWeights(fresh);
    tf.dispose(fresh);
  }
  if (batchNorm === "recalibrate") recalibrate(copy, new Set(layers), options.calibration!);
  return copy;
}

/** The role of a weight from its variable name, whatever suffix tfjs gave a copy's variables ("bn/gamma_1"). */
function role(variable: tf.LayerVariable): string {
  return variable.name.split("/").pop()!.replace(/_\d+$/, "");
}

function reinitialized(variable: tf.LayerVariable, rng: Rng): tf.Tensor {
  const shape = variable.shape as number[];
  switch (role(variable)) {
    case "gamma":
      return tf.ones(shape);
    case "moving_mean":
    case "moving_variance":
      // Running statistics are not parameters: kept (Adebayo et al.), or re-estimated by `recalibrate`.
      return variable.read().clone();
  }
  if (shape.length >= 2) {
    // Glorot uniform: fans count the receptive field (kernel [..spatial, in, out]).
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    const limit = Math.sqrt(6 / (receptive * shape[shape.length - 2] + receptive * shape[shape.length - 1]));
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = (2 * rng.next() - 1) * limit;
    return tf.tensor(values, shape);
  }
  return tf.zeros(shape);
}

/**
 * Re-estimates the running mean and (biased, as Keras' moving update) variance of the re-initialised
 * BatchNormalization layers of `model` from its activations on `calibration`, in forward order, so
 * each layer sees its input as normalised by the layers before it.
 */
function recalibrate(model: tf.LayersModel, randomised: Set<string>, calibration: tf.Tensor): void {
  for (const layer of model.layers) {
    if (!randomised.has(layer.name) || layer.getClassName() !== "BatchNormalization") continue;
    const axis = (layer.getConfig() as { axis?: number | number[] }).axis ?? -1;
    const input = layer.input as tf.SymbolicTensor;
    const rank = input.shape.length;
    const channelAxis = ((Array.isArray(axis) ? axis[0] : axis) + rank) % rank;
    const [mean, variance] = tf.tidy(() => {
      const h = tf.model({ inputs: model.inputs, outputs: input }).predict(calibration) as tf.Tensor;
      const moments = tf.moments(h, Array.from({ length: rank }, (_, i) => i).filter((i) => i !== channelAxis));
      return [moments.mean, moments.variance];
    });
    layer.setWeights(layer.weights.map((variable) => (role(variable) === "moving_mean" ? mean : role(variable) === "moving_variance" ? variance : variable.read())));
    tf.dispose([mean, variance]);
  }
}
