// Splitting a LayersModel at a layer: the "head" is the part of the graph from that layer's output
// to the model's output, rebuilt as its own model on the SAME layer objects (shared weights). With
// it, ablation computes the layer's activations once and runs only the head per ablation, and TCAV
// differentiates the head with respect to the layer's output.
import * as tf from "@tensorflow/tfjs";
import { InterpError, layerOutput } from "../activations";

export interface Head {
  /** The sub-model: input = the split layer's output (per example), output = the model's output. */
  model: tf.LayersModel;
  /**
   * Frees what the split created (a linear copy of the output layer for `logits`) and releases the
   * model's layers it re-used; never the model's weights, which `model.dispose()` still frees.
   */
  dispose(): void;
}

export interface HeadOptions {
  /**
   * End at the logits: drop a final softmax (an `Activation` layer, or the activation of the last
   * layer, which is then a linear copy sharing the values of its weights). Default false.
   */
  logits?: boolean;
}

/** The head of `model` after `layer`. Every path to the output must go through `layer` (no skip around it). */
export function splitAt(model: tf.LayersModel, layer: tf.layers.Layer, options: HeadOptions = {}): Head {
  if (model.outputs.length !== 1) throw new InterpError("unsplittable-model", "only models with one output can be split");
  const split = layerOutput(model, layer);
  const input = tf.input({ shape: split.shape.slice(1) as number[], dtype: split.dtype, name: `${layer.name}_head_input` });
  const rebuilt = new Map<number, tf.SymbolicTensor>([[split.id, input]]);
  const created: tf.layers.Layer[] = [];
  // tfjs counts every symbolic call of a layer as a reference, and a model's dispose() frees a
  // layer's weights only when its count drops to 0: each re-used layer is released once in dispose().
  const reused: tf.layers.Layer[] = [];

  function rebuild(tensor: tf.SymbolicTensor, dropSoftmax: boolean): tf.SymbolicTensor {
    const done = rebuilt.get(tensor.id);
    if (done) return done;
    const source = tensor.sourceLayer;
    const node = source.inboundNodes[tensor.nodeIndex];
    if (!node || node.inputTensors.length === 0 || source.getClassName() === "InputLayer") {
      throw new InterpError(
        "unsplittable-model",
        `a path from the model's input reaches the output without going through layer ${layer.name} (a skip connection around it?); pick a layer every path goes through`,
      );
    }
    const config = source.getConfig();
    if (dropSoftmax && source.getClassName() === "Activation" && config.activation === "softmax") {
      return rebuild(node.inputTensors[0], false);
    }
    let applied = source;
    if (dropSoftmax && config.activation === "softmax") {
      const Layer = source.constructor as new (config: object) => tf.layers.Layer;
      applied = new Layer({ ...config, activation: "linear", name: `${source.name}_logits_${created.length}` });
      created.push(applied);
    }
    const inputs = node.inputTensors.map((t) => rebuild(t, false));
    const output = applied.apply(inputs.length === 1 ? inputs[0] : inputs, node.callArgs) as tf.SymbolicTensor | tf.SymbolicTensor[];
    if (applied !== source) applied.setWeights(source.getWeights());
    else reused.push(source);
    const result = Array.isArray(output) ? output[tensor.tensorIndex] : output;
    rebuilt.set(tensor.id, result);
    return result;
  }

  const dispose = () => {
    for (const layer of [...created, ...reused]) layer.dispose();
    created.length = reused.length = 0;
  };
  try {
    const output = rebuild(model.outputs[0], options.logits ?? false);
    if (output === input) throw new InterpError("unsplittable-model", `layer ${layer.name} is the model's output; there is nothing after it`);
    return { model: tf.model({ inputs: input, outputs: output }), dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}
