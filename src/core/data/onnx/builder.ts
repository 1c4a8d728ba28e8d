// The state of one ONNX → tfjs conversion: the value of every name, the layers made so far and
// their names, and the layout conversions between them. Ops (ops.ts) read inputs and add layers
// through a `NodeContext`; every layer a node makes is named after the node, so any node's output
// can be asked for by name (layerActivations, ablation, `output:`).
import * as tf from "@tensorflow/tfjs";
import { DataError } from "../errors";
import { OnnxOp } from "./onnx-layer";
import type { OnnxNode } from "./read";
import { type ConstValue, type DynamicValue, dynamicValue, type Layout, type Value } from "./values";

/** tfjs accepts layer and weight names matching /^[A-Za-z0-9][-A-Za-z0-9._/]*$/. */
export function layerNameOf(onnxName: string): string {
  const cleaned = onnxName.replace(/^\/+/, "").replace(/[^-A-Za-z0-9._/]/g, "_");
  return /^[A-Za-z0-9]/.test(cleaned) ? cleaned : `n${cleaned}`;
}

/**
 * The exporter's module of a node with parameters: `layer3.1.conv2` from a parameter named
 * `layer3.1.conv2.weight`, else from torch's scope in the node's name (`/layer3/layer3.1/conv2/Conv`:
 * a numbered child repeats its parent's name, `layer3.1`); undefined when neither says.
 */
export function moduleOf(node: OnnxNode, parameters: readonly string[]): string | undefined {
  for (const name of parameters) {
    const match = /^(.+)\.(weight|bias|running_mean|running_var|weight_t)$/.exec(name);
    if (match) return match[1];
  }
  const scopes = node.name.split("/").filter(Boolean).slice(0, -1);
  if (!node.name.startsWith("/") || scopes.length === 0) return undefined;
  let path = "";
  let previous = "";
  for (const scope of scopes) {
    path = previous && scope.startsWith(`${previous}.`) ? path + scope.slice(previous.length) : path ? `${path}.${scope}` : scope;
    previous = scope;
  }
  return path;
}

export class Builder {
  readonly values = new Map<string, Value>();
  /** The batch size the file declares for its input when it declares one (a fixed-batch export), else null. */
  constructor(readonly exportedBatch: number | null) {}

  /** ONNX node name → the name of the layer computing its (first) output. */
  readonly nodeLayers = new Map<string, string>();
  private readonly names = new Set<string>();
  private readonly converted = new Map<string, DynamicValue>();

  /** A unique layer name from `wanted` (suffixes _2, _3… on collisions). */
  uniqueName(wanted: string): string {
    let name = layerNameOf(wanted);
    for (let k = 2; this.names.has(name); k++) name = `${layerNameOf(wanted)}_${k}`;
    this.names.add(name);
    return name;
  }

  isFree(wanted: string): boolean {
    return !this.names.has(layerNameOf(wanted));
  }

  /** `value` held as ONNX holds it (NCHW for an image), one Permute/Reshape layer when it is not. */
  plain(value: DynamicValue): DynamicValue {
    if (value.layout === "plain") return value;
    return this.convert(value, "plain", () => {
      const [, c] = value.dims as number[];
      return value.layout === "pooled"
        ? tf.layers.reshape({ targetShape: [c, 1, 1], name: this.uniqueName(`${value.symbol.name}/nchw`) })
        : tf.layers.permute({ dims: [3, 1, 2], name: this.uniqueName(`${value.symbol.name}/nchw`) });
    });
  }

  /** A rank-4 `value` held channels-last (NHWC). */
  channelsLast(value: DynamicValue, what: string): DynamicValue {
    if (value.dims.length !== 4) throw new DataError("unsupported-model", `${what} needs a 4-D (N, C, H, W) input; it gets rank ${value.dims.length}`);
    if (value.layout === "channels-last") return value;
    return this.convert(value, "channels-last", () => {
      const [, c] = value.dims as number[];
      return value.layout === "pooled"
        ? tf.layers.reshape({ targetShape: [1, 1, c], name: this.uniqueName(`${value.symbol.name}/nhwc`) })
        : tf.layers.permute({ dims: [2, 3, 1], name: this.uniqueName(`${value.symbol.name}/nhwc`) });
    });
  }

  /**
   * `value` as a tensor whose row-major order is ONNX's (what Flatten and Reshape need): as it is
   * when plain, pooled, or channels-last with a 1x1 map; else permuted back to NCHW.
   */
  inOnnxOrder(value: DynamicValue): DynamicValue {
    const oneByOne = value.layout === "channels-last" && value.dims[2] === 1 && value.dims[3] === 1;
    return value.layout === "channels-last" && !oneByOne ? this.plain(value) : value;
  }

  private convert(value: DynamicValue, layout: Layout, layer: () => tf.layers.Layer): DynamicValue {
    const key = `${value.symbol.id}:${layout}`;
    let done = this.converted.get(key);
    if (!done) {
      done = dynamicValue(layer().apply(value.symbol) as tf.SymbolicTensor, layout);
      this.converted.set(key, done);
    }
    return done;
  }
}

type Widen<T> = T extends number ? number : T extends string ? string : T;

/** What an op builder sees of one node. */
export class NodeContext {
  constructor(
    readonly builder: Builder,
    readonly node: OnnxNode,
    readonly opset: number,
    /** Names of the node's inputs that are initializers (the model's parameters). */
    private readonly parameters: ReadonlySet<string>,
  ) {}

  /** Input `i`, or undefined when absent (ONNX writes "" for a skipped optional input). */
  input(i: number): Value | undefined {
    const name = this.node.inputs[i];
    if (!name) return undefined;
    const value = this.builder.values.get(name);
    if (!value) throw new DataError("wrong-format", `node ${this.node.name} (${this.node.op}) reads ${name}, which nothing before it computes`);
    return value;
  }

  dynamic(i: number): DynamicValue {
    const value = this.input(i);
    if (value?.kind !== "dynamic") throw this.refuse(`input ${i} must be computed from the model's input`);
    return value;
  }

  constant(i: number, what: string): ConstValue | undefined {
    const value = this.input(i);
    if (value && value.kind !== "const") throw this.refuse(`its ${what} (input ${i}) must be a constant, not computed from the model's input`);
    return value;
  }

  /** Attribute `name`, or `fallback` when the node leaves it out. */
  attr<T extends number | string | number[] | undefined>(name: string, fallback: T): Widen<T> {
    return ((this.node.attributes[name] as Widen<T> | undefined) ?? fallback) as Widen<T>;
  }

  refuse(why: string): DataError {
    return new DataError("unsupported-model", `node ${this.node.name} (${this.node.op}): ${why}`);
  }

  /**
   * Applies `make(name)` to the inputs. The node's last layer takes the node's name; a node's
   * parameter-carrying layer takes its module's (`layer3.1.conv2`) when that is still free.
   */
  apply(make: (name: string) => tf.layers.Layer, inputs: DynamicValue[], weights?: tf.Tensor[], helper?: string): tf.SymbolicTensor {
    const parameters = this.node.inputs.filter((name) => this.parameters.has(name));
    const module = weights?.length ? moduleOf(this.node, parameters) : undefined;
    const wanted = helper ? `${this.node.name}/${helper}` : module && this.builder.isFree(module) ? module : this.node.name;
    const layer = make(this.builder.uniqueName(wanted));
    const symbols = inputs.map((v) => v.symbol);
    const out = layer.apply(symbols.length === 1 ? symbols[0] : symbols) as tf.SymbolicTensor;
    if (weights) {
      layer.setWeights(weights);
      tf.dispose(weights);
    }
    if (!helper) this.builder.nodeLayers.set(this.node.name, layer.name);
    return out;
  }

  /** A layer running a kernel of onnx-layer.ts, its constants as weights. */
  kernel(kernel: string, params: Record<string, unknown>, inputs: DynamicValue[], weights: Record<string, tf.Tensor> = {}): tf.SymbolicTensor {
    const weightSpecs = Object.entries(weights).map(([name, t]) => ({ name, shape: t.shape }));
    return this.apply((name) => new OnnxOp({ kernel, params, weightSpecs, name }), inputs, Object.values(weights));
  }

  /** An identity layer carrying the node's name, for nodes that compute nothing (Identity, Dropout, a no-op Flatten). */
  identity(input: DynamicValue): DynamicValue {
    return { ...input, symbol: this.apply((name) => tf.layers.activation({ activation: "linear", name }), [input]) };
  }

}
