// ONNX → tfjs: an ONNX file (what torch.onnx.export, tf2onnx and jax2onnx write) as a tfjs layers
// model whose forward pass is tfjs ops, so gradients, attribution, ablation, activations and
// randomisation work on it as on a native model. Unsupported ops are refused before anything is
// built, naming the op, the node and what is supported.
import * as tf from "@tensorflow/tfjs";
import { DataError } from "../errors";
import { Builder, layerNameOf, NodeContext } from "./builder";
import { fold, tensorValue } from "./fold";
import { OPS, SUPPORTED_OPS } from "./ops";
import { type OnnxGraph, readOnnx } from "./read";
import { dynamicValue } from "./values";

export { LOAD_TIME_OPS, OPS, SUPPORTED_OPS } from "./ops";
export { readOnnx, type OnnxGraph } from "./read";

export interface ImportedOnnx {
  model: tf.LayersModel;
  /** ONNX node name → the tfjs layer computing its output (layer names are the node's, or its module's for parameter layers). */
  nodeLayers: Map<string, string>;
  /** The ONNX input's dims (NCHW for an image), and the tfjs model's (NHWC). */
  onnxInputShape: (number | null)[];
  producer: string;
  opset: number;
}

/** Builds the tfjs model of an ONNX file's bytes. */
export function importOnnx(bytes: Uint8Array, path: string): ImportedOnnx {
  const graph = readOnnx(bytes, path);
  refuseUnsupported(graph, path);
  if (graph.inputs.length !== 1) throw new DataError("unsupported-model", `${path} has ${graph.inputs.length} inputs (${graph.inputs.map((i) => i.name).join(", ")}); Falsify imports models with one input`);
  const [input] = graph.inputs;
  const perExample = input.dims.slice(1);
  if (perExample.some((d) => d === null)) {
    throw new DataError("unsupported-model", `${path}: input ${input.name} has dims [${input.dims.map((d) => d ?? "?").join(", ")}]; every dim but the batch must be fixed (export with a fixed image size)`);
  }
  const builder = new Builder(input.dims[0]);
  const image = perExample.length === 3;
  const [c, h, w] = perExample as number[];
  const symbol = tf.input({ shape: image ? [h, w, c] : (perExample as number[]), name: builder.uniqueName(input.name) });
  builder.values.set(input.name, dynamicValue(symbol, image ? "channels-last" : "plain"));
  for (const [name, tensor] of graph.initializers) builder.values.set(name, tensorValue(tensor));
  const parameters = new Set(graph.initializers.keys());

  for (const node of graph.nodes) {
    const ctx = new NodeContext(builder, node, graph.opset, parameters);
    const computed = node.inputs.some((name) => name && builder.values.get(name)?.kind === "dynamic");
    const outputs = computed ? [OPS[node.op].build(ctx)] : fold(ctx);
    outputs.forEach((value, i) => node.outputs[i] && builder.values.set(node.outputs[i], value));
  }

  // Images leave the model as they enter it: NHWC.
  const outputs = graph.outputs.map((o) => {
    const value = builder.values.get(o.name);
    if (value?.kind !== "dynamic") throw new DataError("unsupported-model", `${path}: output ${o.name} does not depend on the input`);
    return value.dims.length === 4 ? builder.channelsLast(value, "an image output") : value;
  });
  try {
    const model = tf.model({ inputs: symbol, outputs: outputs.map((o) => o.symbol), name: layerNameOf(graph.producer || "onnx_model") });
    return { model, nodeLayers: builder.nodeLayers, onnxInputShape: input.dims, producer: graph.producer, opset: graph.opset };
  } catch (error) {
    throw new DataError("wrong-format", `${path}: the imported graph did not form a tfjs model (${(error as Error).message})`);
  }
}

function refuseUnsupported(graph: OnnxGraph, path: string): void {
  const unsupported = graph.nodes.filter((n) => !SUPPORTED_OPS.includes(n.op));
  if (!unsupported.length) return;
  const listed = unsupported.slice(0, 5).map((n) => `${n.op} (node ${n.name})`).join(", ");
  const more = unsupported.length > 5 ? ` and ${unsupported.length - 5} more` : "";
  throw new DataError("unsupported-model", `${path} uses ops Falsify cannot import: ${listed}${more}. Supported ops: ${SUPPORTED_OPS.join(", ")}`);
}
