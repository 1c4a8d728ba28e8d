// Loading and saving user models from files, in plain Node (no tfjs-node needed): tfjs layers models
// and graph models from a model.json, ONNX files (PyTorch, tf2onnx, jax2onnx exports) and Keras 3
// `.keras` / legacy `.h5` files as tfjs layers models, TensorFlow SavedModel folders through tfjs-node when that backend is active. Every failure
// is a `DataError` whose kind says what went wrong.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadTensorFlow } from "../backend";
import { DataError } from "./errors";
import { importKeras } from "./keras";
import { importOnnx } from "./onnx";

/** A TensorFlow SavedModel as tfjs-node loads it (inference only: gradients do not flow through it). */
export interface SavedModelHandle {
  predict(x: tf.Tensor): tf.Tensor | tf.Tensor[] | tf.NamedTensorMap;
  dispose(): void;
}

/** Where an imported layers model came from, for inspection: the file's format and its own names. */
export interface OnnxSource {
  format: "onnx";
  producer: string;
  opset: number;
  /** The ONNX input's dims: NCHW for an image, which the tfjs model takes as NHWC. */
  onnxInputShape: (number | null)[];
  /** ONNX node name → the tfjs layer computing its output. */
  nodeLayers: Record<string, string>;
}

/** A Keras 3 `.keras` or legacy `.h5` file, imported as a tfjs layers model. */
export interface KerasSource {
  format: "keras" | "keras-h5";
  kerasVersion: string;
}

export type ModelSource = OnnxSource | KerasSource;

export type LoadedModel =
  | { kind: "layers"; model: tf.LayersModel; path: string; inputShape: (number | null)[]; source?: ModelSource }
  | { kind: "graph"; model: tf.GraphModel; path: string; inputShape: (number | null)[] }
  | { kind: "saved-model"; model: SavedModelHandle; path: string; inputShape: (number | null)[] };

/** Weight bytes as a package or a file gives them. */
export type WeightBytes = ArrayBuffer | ArrayBufferView;

/**
 * A model held in memory rather than at a path: a tfjs `io.IOHandler` (`tf.io.fromMemory(...)`,
 * `tf.io.browserFiles`, a handler of your own), `io.ModelArtifacts` (topology, weight specs and
 * data), or a model.json object with its weight shards' bytes in manifest order (how packages such
 * as nsfwjs ship their weights as JS modules). `name` labels the model in messages.
 */
export type InMemoryModel = (tf.io.IOHandler | tf.io.ModelArtifacts | { modelJson: tf.io.ModelJSON; weights: WeightBytes | WeightBytes[] }) & { name?: string };

/**
 * Loads a model: from `path` (a model.json, layers or graph model with its weights beside it; a folder
 * holding a model.json; an ONNX file, `.onnx`, imported as a layers model with NHWC images; a Keras 3
 * `.keras` or legacy `.h5` file, imported as a layers model; or a SavedModel folder, saved_model.pb,
 * which needs the tensorflow backend), or from memory (see `InMemoryModel`).
 */
export async function loadModel(source: string | InMemoryModel): Promise<LoadedModel> {
  if (typeof source !== "string") return loadInMemory(source);
  const path = source;
  const full = resolve(path);
  if (!existsSync(full)) throw new DataError("missing-file", `no model at ${full}`);
  if (statSync(full).isDirectory()) {
    if (existsSync(join(full, "model.json"))) return loadModel(join(full, "model.json"));
    if (existsSync(join(full, "saved_model.pb"))) return loadSavedModel(full);
    throw new DataError("wrong-format", `${full} is a folder with neither model.json (tfjs) nor saved_model.pb (TensorFlow SavedModel)`);
  }
  const extension = full.toLowerCase().split(".").pop();
  if (extension === "onnx") return loadOnnx(full);
  if (extension === "keras" || extension === "h5") return loadKeras(full, extension);
  const json = readModelJson(full);
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => [
    manifest.flatMap((group) => group.weights),
    readWeights(full, manifest),
  ]);
  return fromArtifacts(artifacts, full);
}

async function loadInMemory(source: InMemoryModel): Promise<LoadedModel> {
  const name = source.name ?? "the in-memory model";
  let artifacts: tf.io.ModelArtifacts;
  if ("modelJson" in source) {
    const shards = Array.isArray(source.weights) ? source.weights : [source.weights];
    const buffers = shards.map((bytes) => (ArrayBuffer.isView(bytes) ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) : bytes) as ArrayBuffer);
    artifacts = await tf.io.getModelArtifactsForJSON(checkModelJson(source.modelJson, name), async (manifest) => [manifest.flatMap((group) => group.weights), tf.io.concatenateArrayBuffers(buffers)]);
  } else if ("load" in source && typeof source.load === "function") {
    artifacts = await source.load();
  } else if ("modelTopology" in source) {
    artifacts = source;
  } else {
    throw new DataError("wrong-format", `${name} is neither a model path, a tfjs io handler (with load()), model artifacts (with modelTopology) nor { modelJson, weights }`);
  }
  return fromArtifacts(artifacts, name);
}

/** A layers or graph model from its artifacts (graph when the format says so or the topology is a GraphDef). */
async function fromArtifacts(artifacts: tf.io.ModelArtifacts, path: string): Promise<LoadedModel> {
  const format = artifacts.format ?? (isGraphTopology(artifacts.modelTopology) ? "graph-model" : "layers-model");
  try {
    if (format === "graph-model") {
      const model = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
      return { kind: "graph", model, path, inputShape: graphInputShape(model) };
    }
    const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    return { kind: "layers", model, path, inputShape: model.inputs[0].shape };
  } catch (error) {
    throw new DataError("wrong-format", `${path} looks like a tfjs ${format} but did not load: ${(error as Error).message}`);
  }
}

/** Saves a layers model as model.json + weights.bin in `dir` (the format `loadModel` and tfjs read). */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData ? Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData)) : Buffer.alloc(0);
      const json = {
        format: "layers-model",
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSync(join(dir, "model.json"), `${JSON.stringify(json)}\n`);
      writeFileSync(join(dir, "weights.bin"), weightData);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/**
 * Runs the model on `x` after checking `x` against the model's input shape, so a wrong shape is a
 * clear `wrong-input-shape` error instead of a kernel failure deep inside the graph.
 */
export function predict(loaded: LoadedModel, x: tf.Tensor): tf.Tensor {
  checkInputShape(loaded.inputShape, x.shape, loaded.path);
  const out = loaded.model.predict(x);
  if (out instanceof tf.Tensor) return out;
  const outputs = Array.isArray(out) ? out : Object.values(out as tf.NamedTensorMap);
  const [first, ...rest] = outputs;
  tf.dispose(rest);
  return first;
}

/** Throws `wrong-input-shape` unless `shape` matches `expected` (null = any size, e.g. the batch). */
export function checkInputShape(expected: (number | null)[], shape: number[], what = "the model"): void {
  const ok = expected.length === shape.length && expected.every((size, i) => size === null || size === -1 || size === shape[i]);
  if (ok) return;
  const want = `[${expected.map((s) => (s === null || s === -1 ? "batch" : s)).join(", ")}]`;
  const hint = shape.length === expected.length - 1 ? " (a single example? add the batch axis: x.expandDims(0))" : "";
  throw new DataError("wrong-input-shape", `${what} expects input of shape ${want}, got [${shape.join(", ")}]${hint}`);
}

function loadOnnx(path: string): LoadedModel {
  const imported = importOnnx(readFileSync(path), path);
  const { model, producer, opset, onnxInputShape, nodeLayers } = imported;
  const source: OnnxSource = { format: "onnx", producer, opset, onnxInputShape, nodeLayers: Object.fromEntries(nodeLayers) };
  return { kind: "layers", model, path, inputShape: model.inputs[0].shape, source };
}

async function loadKeras(path: string, extension: "keras" | "h5"): Promise<LoadedModel> {
  const { model, kerasVersion } = await importKeras(readFileSync(path), path);
  return { kind: "layers", model, path, inputShape: model.inputs[0].shape, source: { format: extension === "h5" ? "keras-h5" : "keras", kerasVersion } };
}

function readModelJson(path: string): tf.io.ModelJSON {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DataError("wrong-format", `${path} is not JSON (${(error as Error).message}); expected a tfjs model.json`);
  }
  return checkModelJson(json, path);
}

function checkModelJson(json: unknown, what: string): tf.io.ModelJSON {
  const model = json as Partial<tf.io.ModelJSON> | null;
  if (!model || typeof model !== "object" || !model.modelTopology || !Array.isArray(model.weightsManifest)) {
    throw new DataError("wrong-format", `${what} is JSON but not a tfjs model.json (needs modelTopology and weightsManifest); convert Keras/TF models with tensorflowjs_converter`);
  }
  return model as tf.io.ModelJSON;
}

function readWeights(modelPath: string, manifest: tf.io.WeightsManifestConfig): ArrayBuffer {
  const buffers = manifest.flatMap((group) =>
    group.paths.map((file) => {
      const weightsPath = join(dirname(modelPath), file);
      if (!existsSync(weightsPath)) throw new DataError("missing-file", `${modelPath} lists weights file ${file}, which is missing`);
      const bytes = readFileSync(weightsPath);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    }),
  );
  return tf.io.concatenateArrayBuffers(buffers);
}

function isGraphTopology(topology: unknown): boolean {
  return !!topology && typeof topology === "object" && "node" in topology;
}

function graphInputShape(model: tf.GraphModel): (number | null)[] {
  const shape = model.inputs[0]?.shape ?? [];
  return shape.map((size) => (size === -1 ? null : size));
}

async function loadSavedModel(dir: string): Promise<LoadedModel> {
  const loaded = await loadTensorFlow();
  const node = (loaded.tf as unknown as { node?: { loadSavedModel(path: string): Promise<SavedModelHandle>; getMetaGraphsFromSavedModel(path: string): Promise<SavedModelInfo[]> } }).node;
  if (loaded.backend !== "tensorflow" || !node) {
    throw new DataError("backend-unavailable", `${dir} is a TensorFlow SavedModel, which only the tensorflow backend (tfjs-node) can run; the active backend is ${loaded.backend}. Run "npm run setup:native", or convert it with tensorflowjs_converter to a model.json`);
  }
  const model = await node.loadSavedModel(dir);
  const info = await node.getMetaGraphsFromSavedModel(dir);
  const inputs = Object.values(info[0]?.signatureDefs?.serving_default?.inputs ?? {});
  // Sizes come as protobuf Long objects; Number() unwraps them (−1 = any size).
  const inputShape = (inputs[0]?.shape ?? []).map((size) => (Number(size) === -1 ? null : Number(size)));
  return { kind: "saved-model", model, path: dir, inputShape };
}

interface SavedModelInfo {
  signatureDefs: Record<string, { inputs: Record<string, { shape: unknown[] }> }>;
}
