// Keras 3 `.keras` files (a zip of config.json and model.weights.h5) and legacy `.h5` files as tfjs
// layers models: the config through config.ts, the weights read from HDF5 by jsfive (a pure-JS
// reader: nothing native to ship) and set layer by layer, each checked against the layer's shapes.
import * as tf from "@tensorflow/tfjs";
import { unzipSync } from "fflate";
import { Dataset, File, type Group } from "jsfive";
import { DataError } from "../errors";
import { type JsonObject, tfjsTopology } from "./config";

export interface ImportedKeras {
  model: tf.LayersModel;
  kerasVersion: string;
}

/** Builds the tfjs model of a `.keras` or legacy `.h5` file's bytes. */
export async function importKeras(bytes: Uint8Array, path: string): Promise<ImportedKeras> {
  const legacy = !path.toLowerCase().endsWith(".keras");
  const { config, weights, kerasVersion } = legacy ? readLegacy(bytes, path) : readKeras(bytes, path);
  const topology = tfjsTopology(config, path);
  let model: tf.LayersModel;
  try {
    model = await tf.models.modelFromJSON({ modelTopology: topology.modelTopology } as unknown as tf.io.ModelJSON);
  } catch (error) {
    throw new DataError("unsupported-model", `${path}: tfjs-layers could not rebuild the model from its config (${(error as Error).message})`);
  }
  for (const layer of model.layers) {
    const values = weights.get(layer.name) ?? [];
    if (values.length !== layer.weights.length) {
      tf.dispose(values);
      model.dispose();
      throw new DataError("unsupported-model", `${path}: layer ${layer.name} (${layer.getClassName()}) has ${values.length} saved weights where tfjs-layers' ${layer.getClassName()} has ${layer.weights.length}`);
    }
    const mismatch = layer.weights.findIndex((w, i) => w.shape.join() !== values[i].shape.join());
    if (mismatch >= 0) {
      const [want, got] = [layer.weights[mismatch].shape, values[mismatch].shape];
      tf.dispose(values);
      model.dispose();
      throw new DataError("unsupported-model", `${path}: layer ${layer.name} (${layer.getClassName()}): saved weight ${mismatch} has shape [${got}], tfjs-layers expects [${want}] (a setting tfjs computes differently)`);
    }
    if (values.length) layer.setWeights(values);
    tf.dispose(values);
  }
  return { model, kerasVersion };
}

interface Saved {
  config: JsonObject;
  weights: Map<string, tf.Tensor[]>;
  kerasVersion: string;
}

function readKeras(bytes: Uint8Array, path: string): Saved {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new DataError("wrong-format", `${path} is not a .keras file (not a zip: ${(error as Error).message})`);
  }
  const [config, h5, metadata] = ["config.json", "model.weights.h5", "metadata.json"].map((name) => files[name]);
  if (!config || !h5) throw new DataError("wrong-format", `${path} is a zip without config.json and model.weights.h5, so not a Keras 3 model`);
  const weights = new Map<string, tf.Tensor[]>();
  const file = hdf5(h5, path);
  const layers = file.get("layers") as Group | undefined;
  // Keras 3 keys each layer's group by its own path (dense, dense_1...); the layer's name is an attribute of its vars.
  for (const key of layers?.keys ?? []) {
    const group = layers!.get(key) as Group;
    const name = (group.get("vars") as Group | undefined)?.attrs.name as string | undefined;
    if (name) weights.set(name, variables(group));
  }
  const version = metadata ? (JSON.parse(new TextDecoder().decode(metadata)) as { keras_version?: string }).keras_version : undefined;
  return { config: JSON.parse(new TextDecoder().decode(config)), weights, kerasVersion: version ?? "3" };
}

/** A layer group's variables: its own vars/0, vars/1... then those of its parts (an RNN's cell) in order. */
function variables(group: Group): tf.Tensor[] {
  const own = group.get("vars") as Group | undefined;
  const mine = (own?.keys ?? []).map(Number).sort((a, b) => a - b).map((i) => tensorOf(own!.get(String(i)) as Dataset));
  const parts = group.keys.filter((k) => k !== "vars").flatMap((k) => variables(group.get(k) as Group));
  return [...mine, ...parts];
}

function readLegacy(bytes: Uint8Array, path: string): Saved {
  const file = hdf5(bytes, path);
  const config = file.attrs.model_config;
  if (typeof config !== "string") throw new DataError("wrong-format", `${path} is an HDF5 file without a model_config: a weights-only file, not a whole Keras model`);
  const root = (file.get("model_weights") as Group | undefined) ?? file;
  const weights = new Map<string, tf.Tensor[]>();
  for (const name of (root.attrs.layer_names as string[] | undefined) ?? []) {
    const group = root.get(name) as Group;
    const names = (group.attrs.weight_names as string[] | undefined) ?? [];
    weights.set(name, names.map((w) => tensorOf(group.get(w) as Dataset)));
  }
  return { config: JSON.parse(config), weights, kerasVersion: String(file.attrs.keras_version ?? root.attrs.keras_version ?? "") };
}

function hdf5(bytes: Uint8Array, path: string): File {
  try {
    return new File(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, path);
  } catch (error) {
    throw new DataError("wrong-format", `${path}: the HDF5 data did not read (${(error as Error).message})`);
  }
}

function tensorOf(dataset: Dataset): tf.Tensor {
  if (!(dataset instanceof Dataset)) throw new DataError("wrong-format", "a Keras weight is not an HDF5 dataset");
  return tf.tensor(Float32Array.from(dataset.value), dataset.shape);
}
