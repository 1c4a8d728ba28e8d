// Parameter randomisation for the model-randomisation sanity checks (Adebayo et al. 2018): copies of
// a model with some layers re-initialised, never touching the user's model. A layer's random weights
// come from its own seeded stream, so cascading step k + 1 differs from step k by exactly one layer.
import * as tf from "@tensorflow/tfjs";
import { DataError, type LoadedModel } from "../../data";
import { createRng, type Rng } from "../../stats/rng";

/** The layers model inside `model`, or a clear error for models whose weights cannot be replaced. */
export function layersModelOf(model: tf.LayersModel | LoadedModel): tf.LayersModel {
  if (model instanceof tf.LayersModel) return model;
  if (model.kind === "layers") return model.model;
  throw new DataError("invalid-argument", `parameter randomisation needs a tfjs layers model; ${model.path} is a ${model.kind}`);
}

/** Names of the layers that have weights, from the output down: the order of cascading randomisation. */
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
 * kernels Glorot-uniform, biases and BatchNorm shifts/means 0, BatchNorm scales/variances 1. The
 * draws come from `createRng(seed).fork(layer name)`.
 */
export async function randomizedCopy(model: tf.LayersModel, layers: string[], seed: number): Promise<tf.LayersModel> {
  const known = new Set(model.layers.map((layer) => layer.name));
  for (const name of layers) if (!known.has(name)) throw new DataError("invalid-argument", `no layer named ${name}; layers are ${[...known].join(", ")}`);
  const copy = await cloneModel(model);
  const rng = createRng(seed);
  // Fork in the model's layer order, whatever `layers`' order, so a layer's draws never depend on it.
  const streams = new Map(copy.layers.map((layer) => [layer.name, rng.fork(layer.name)] as const));
  for (const name of layers) {
    const layer = copy.getLayer(name);
    const stream = streams.get(name)!;
    const fresh = layer.weights.map((variable) => reinitialized(variable.name, variable.shape as number[], stream));
    layer.setWeights(fresh);
    tf.dispose(fresh);
  }
  return copy;
}

function reinitialized(name: string, shape: number[], rng: Rng): tf.Tensor {
  if (shape.length >= 2) {
    // Glorot uniform: fans count the receptive field (kernel [..spatial, in, out]).
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    const limit = Math.sqrt(6 / (receptive * shape[shape.length - 2] + receptive * shape[shape.length - 1]));
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = (2 * rng.next() - 1) * limit;
    return tf.tensor(values, shape);
  }
  return /(gamma|moving_variance)$/.test(name) ? tf.ones(shape) : tf.zeros(shape);
}
