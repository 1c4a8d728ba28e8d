// A Keras 3 model config (config.json of a .keras file, or a legacy .h5's model_config) as the Keras
// 2 topology tfjs-layers deserialises: nested objects lose Keras 3's module/registered_name wrapping,
// dtype policies become dtype names, InputLayer's batch_shape becomes batch_input_shape, and inbound
// nodes ({args: [keras tensors]}) become [[layer, node, tensor, {}]] lists. A layer class tfjs-layers
// does not have, or a setting it would compute differently, is refused by name.
import * as tf from "@tensorflow/tfjs";
import { DataError } from "../errors";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const MODEL_CLASSES = new Set(["Functional", "Model", "Sequential"]);

/** The Keras layer classes a `.keras` / `.h5` file may use: every layer class tfjs-layers registers under Keras's name. */
export function kerasLayerClasses(): string[] {
  const registry = tf.serialization.SerializationMap.getMap().classNameMap as Record<string, [{ prototype: unknown }, unknown]>;
  return Object.entries(registry)
    .filter(([name, [cls]]) => cls.prototype instanceof tf.layers.Layer && !MODEL_CLASSES.has(name) && !name.startsWith("Falsify"))
    .map(([name]) => name)
    .sort();
}

/** Settings Keras 3 has and tfjs-layers lacks: refused unless they hold the value tfjs computes anyway. */
export const UNSUPPORTED_SETTINGS: { key: string; ok: (value: Json) => boolean; why: string }[] = [
  { key: "groups", ok: (v) => v === 1, why: "grouped convolution (groups > 1)" },
  { key: "data_format", ok: (v) => v === "channels_last", why: "channels_first data format" },
  { key: "reset_after", ok: (v) => v === false, why: "reset_after=True (Keras 3's GRU default; build the GRU with reset_after=False)" },
];

export interface KerasTopology {
  modelTopology: JsonObject;
  /** Layer names in the order of the config (the order weights are listed in a legacy .h5). */
  layerNames: string[];
  /** Each layer's class, by name. */
  classes: Record<string, string>;
}

export function tfjsTopology(config: JsonObject, path: string): KerasTopology {
  const className = config.class_name as string;
  if (!MODEL_CLASSES.has(className)) throw new DataError("wrong-format", `${path}: the saved object is a ${className}, not a Keras model`);
  const inner = config.config as JsonObject;
  const sequential = className === "Sequential";
  const layers = (inner.layers as JsonObject[]).map((layer) => tfjsLayer(layer, sequential, path));
  const modelConfig: JsonObject = sequential
    ? { name: inner.name, layers }
    : { name: inner.name, layers, input_layers: listOf(inner.input_layers), output_layers: listOf(inner.output_layers) };
  const names = layers.map((l) => (l.config as JsonObject).name as string);
  const classes = Object.fromEntries(layers.map((l) => [(l.config as JsonObject).name as string, l.class_name as string]));
  return { modelTopology: { class_name: sequential ? "Sequential" : "Model", config: modelConfig, keras_version: "tfjs-layers", backend: "tensor_flow.js" }, layerNames: names, classes };
}

/** input_layers / output_layers: Keras 3 writes one [name, node, tensor] bare when there is one. */
function listOf(value: Json): Json {
  const list = value as Json[];
  return typeof list[0] === "string" ? [list] : list;
}

function tfjsLayer(layer: JsonObject, sequential: boolean, path: string): JsonObject {
  const className = layer.class_name as string;
  const config = layer.config as JsonObject;
  const name = (config.name ?? layer.name) as string;
  if (MODEL_CLASSES.has(className)) throw new DataError("unsupported-model", `${path}: layer ${name} is a nested ${className}; save the model flattened (one level of layers)`);
  if (!kerasLayerClasses().includes(className)) throw new DataError("unsupported-model", `${path}: layer ${name} is a ${className}, which tfjs-layers does not have`);
  for (const { key, ok, why } of UNSUPPORTED_SETTINGS) {
    if (key in config && !ok(config[key])) throw new DataError("unsupported-model", `${path}: layer ${name} (${className}) uses ${why}, which tfjs-layers does not compute`);
  }
  let converted = plain(config) as JsonObject;
  let tfjsClass = className;
  // Keras 3 renamed LeakyReLU's alpha negative_slope: tfjs-layers, reading alpha, would take its default 0.3.
  if (className === "LeakyReLU" && "negative_slope" in converted) {
    converted.alpha = converted.negative_slope;
    delete converted.negative_slope;
  }
  if (className === "ReLU") [tfjsClass, converted] = reluLayer(converted, `${path}: layer ${name} (ReLU)`);
  if (className === "InputLayer" && converted.batch_shape) {
    converted.batch_input_shape = converted.batch_shape;
    delete converted.batch_shape;
  }
  const out: JsonObject = { class_name: tfjsClass, config: converted, name };
  if (!sequential) out.inbound_nodes = ((layer.inbound_nodes ?? []) as Json[]).map((node) => inboundNode(node as JsonObject));
  return out;
}

/** The ReLU rule below, for the model docs. */
export const RELU_SETTINGS = "`ReLU`: a `threshold` other than 0, or a `negative_slope` with a `max_value` (a `negative_slope` alone loads as the `LeakyReLU` it is)";

/**
 * Keras 3's ReLU(negative_slope, max_value, threshold) as the tfjs-layers layer that computes it:
 * tfjs' ReLU reads max_value only (it would drop the other two silently), so a negative slope alone
 * becomes LeakyReLU (what Keras itself calls then), and a threshold or a slope with a ceiling, which
 * no tfjs-layers layer computes, is refused.
 */
function reluLayer(config: JsonObject, where: string): [string, JsonObject] {
  const { negative_slope: slope = 0, threshold = 0, ...rest } = config;
  if (threshold !== 0) throw new DataError("unsupported-model", `${where} has threshold=${String(threshold)}, which tfjs-layers does not compute (its ReLU has no threshold)`);
  if (slope === 0) return ["ReLU", rest];
  if (rest.max_value !== null && rest.max_value !== undefined) throw new DataError("unsupported-model", `${where} has negative_slope=${String(slope)} with max_value=${String(rest.max_value)}, which tfjs-layers does not compute (LeakyReLU has no ceiling)`);
  const leaky: JsonObject = { ...rest, alpha: slope };
  delete leaky.max_value;
  return ["LeakyReLU", leaky];
}

/** A Keras 3 inbound node {args, kwargs} as the list of [layer, node index, tensor index, kwargs] it reads. */
function inboundNode(node: JsonObject): Json {
  const found: Json[] = [];
  const visit = (value: Json): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") {
      if (value.class_name === "__keras_tensor__") {
        const [layer, nodeIndex, tensorIndex] = ((value.config as JsonObject).keras_history as Json[]);
        found.push([layer, nodeIndex, tensorIndex, {}]);
      } else Object.values(value).forEach(visit);
    }
  };
  visit(node.args ?? []);
  return found;
}

/** Keras 3's {module, class_name, config, registered_name} objects as Keras 2's {class_name, config}; dtype policies as names. */
function plain(value: Json): Json {
  if (Array.isArray(value)) return value.map(plain);
  if (!value || typeof value !== "object") return value;
  if (value.class_name === "DTypePolicy" || value.class_name === "DTypePolicyMap") return ((value.config as JsonObject).name as string) ?? "float32";
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === "module" || key === "registered_name" || key === "shared_object_id" || key === "build_config") continue;
    out[key] = plain(v);
  }
  return out;
}
