// What a loaded model is, for a person deciding how to study it: its format, its layers (or ONNX
// nodes) with output shapes and parameter counts, and which toolkit methods apply to it and why.
// Plain data (JSON-safe): "Falsify: Open Model..." shows it, and a cell can display it.
import { ATTRIBUTION_FUNCTIONS } from "../interp/attribution/methods";
import type { LoadedModel } from "./model";

export interface LayerSummary {
  name: string;
  /** The tfjs layer class (Conv2D, BatchNormalization, FalsifyOnnxOp...). */
  className: string;
  /** Output shape, batch as null; several for a layer with several outputs. */
  outputShape: (number | null)[] | (number | null)[][];
  parameters: number;
  /** The ONNX node this layer computes, for an imported ONNX model. */
  onnxNode?: string;
}

export interface MethodSupport {
  method: string;
  /** The toolkit functions this row covers. */
  functions: string[];
  applies: boolean;
  why: string;
}

export interface ModelInspection {
  path: string;
  /** tfjs layers / graph model, ONNX, Keras 3, legacy Keras HDF5, TensorFlow SavedModel. */
  format: string;
  inputShape: (number | null)[];
  /** Provenance: producer and opset of an ONNX file, Keras version of a Keras file. */
  details: string[];
  layers: LayerSummary[];
  parameters: number;
  methods: MethodSupport[];
}

const ATTRIBUTIONS = Object.values(ATTRIBUTION_FUNCTIONS);

const FORMATS = { onnx: "ONNX", keras: "Keras 3 (.keras)", "keras-h5": "Keras (legacy .h5)" } as const;

export function inspectModel(loaded: LoadedModel): ModelInspection {
  if (loaded.kind !== "layers") {
    const notLayers = `needs a layers model; this is a ${loaded.kind === "graph" ? "tfjs graph model" : "TensorFlow SavedModel"}`;
    return {
      path: loaded.path,
      format: loaded.kind === "graph" ? "tfjs graph model" : "TensorFlow SavedModel",
      inputShape: loaded.inputShape,
      details: [],
      layers: [],
      parameters: 0,
      methods: [
        row("predictions", ["predict"], true, "runs the model"),
        row("attribution", ATTRIBUTIONS, loaded.kind === "graph", loaded.kind === "graph" ? "tf.grad through the graph, read op by op for Guided Backprop, Grad-CAM and DeepLift" : "a SavedModel runs in TensorFlow, outside tf.grad"),
        ...["activations", "ablation", "randomisation"].map((method) => row(method, [], false, notLayers)),
      ],
    };
  }
  const model = loaded.model;
  const source = loaded.source;
  const nodeOf = new Map(Object.entries(source?.format === "onnx" ? source.nodeLayers : {}).map(([node, layer]) => [layer, node]));
  const layers = model.layers.map((layer): LayerSummary => ({
    name: layer.name,
    className: layer.getClassName(),
    outputShape: layer.outputShape as LayerSummary["outputShape"],
    parameters: layer.countParams(),
    ...(nodeOf.has(layer.name) ? { onnxNode: nodeOf.get(layer.name) } : {}),
  }));
  const weighted = layers.filter((l) => l.parameters > 0).length;
  const embedding = model.layers.some((l) => l.getClassName() === "Embedding" && l.inboundNodes[0]?.inboundLayers[0]?.getClassName() === "InputLayer");
  const oneOutput = model.outputs.length === 1;
  return {
    path: loaded.path,
    format: source ? FORMATS[source.format] : "tfjs layers model",
    inputShape: loaded.inputShape,
    details: source?.format === "onnx" ? [`producer ${source.producer || "unnamed"}, opset ${source.opset}`, `ONNX input [${source.onnxInputShape.map((d) => d ?? "batch").join(", ")}] (NCHW) is taken as [${loaded.inputShape.map((d) => d ?? "batch").join(", ")}]`] : source ? [`Keras ${source.kerasVersion}`] : [],
    layers,
    parameters: layers.reduce((sum, l) => sum + l.parameters, 0),
    methods: [
      row("activations", ["layerActivations", "classSelectivity", "cka", "trainProbe", "tcav"], true, `any of its ${layers.length} layers, by name`),
      row("ablation", ["ablate", "ablateEachUnit", "cumulativeAblation"], oneOutput, oneOutput ? "units of any layer every path to the output goes through" : "needs one output"),
      row(
        "attribution",
        ATTRIBUTIONS,
        !embedding,
        embedding ? "its input feeds an Embedding: token ids have no gradient" : "differentiable: tf.grad of the logits with respect to the input",
      ),
      row("randomisation", ["randomizedCopy", "sanityCheck"], weighted > 0, weighted > 0 ? `${weighted} layers with weights${source?.format === "onnx" ? ", named after the exporter's modules" : ""}` : "no layer has weights"),
    ],
  };
}

function row(method: string, functions: string[], applies: boolean, why: string): MethodSupport {
  return { method, functions, applies, why };
}
