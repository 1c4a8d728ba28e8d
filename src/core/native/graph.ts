// A TensorFlow graph written from TypeScript: nodes by op name, inputs and attributes, encoded as
// the GraphDef inside a SavedModel (no variables: values come in as inputs or constants). It is
// what lets tfjs-node run a computation as ONE graph in a TensorFlow session instead of op by op:
// the session's optimisers fuse ops (Conv2D + BiasAdd + Relu into one oneDNN kernel) and its
// executor reuses buffers, which halves the time of a gradient pass over small convolutions.
// Message and field numbers: tensorflow/core/framework/{graph,node_def,attr_value,tensor,
// tensor_shape,types}.proto and tensorflow/core/protobuf/{meta_graph,saved_model}.proto.
import { bytesField, concat, floatField, intField, mapEntryField, packedIntsField } from "./protobuf";

export type DType = "float32" | "int32" | "bool";
const DT: Record<DType, number> = { float32: 1, int32: 3, bool: 10 };

/** An attribute value of a node; `shape` dimensions of −1 are unknown. */
export type Attr =
  | { s: string }
  | { i: number }
  | { f: number }
  | { b: boolean }
  | { type: DType }
  | { shape: readonly number[] }
  | { ints: readonly number[] }
  | { tensor: { dtype: DType; shape: readonly number[]; values: readonly number[] } };

/** A tensor in the graph: "node" (its first output) or "node:k". */
export type Output = string;

/**
 * Producer version stamped on the graph: old enough for any TensorFlow that tfjs-node links
 * (libtensorflow 2.9 and later), new enough that no op used here counts as deprecated.
 */
const PRODUCER = 1087;

export class Graph {
  private readonly nodes: Uint8Array[] = [];
  private readonly names = new Set<string>();

  /** Adds a node and returns its first output. `name` is made unique with a numeric suffix. */
  op(op: string, inputs: readonly Output[], attrs: Record<string, Attr> = {}, name: string = op): Output {
    let unique = name;
    for (let k = 1; this.names.has(unique); k++) unique = `${name}_${k}`;
    this.names.add(unique);
    this.nodes.push(
      concat([
        bytesField(1, unique),
        bytesField(2, op),
        ...inputs.map((input) => bytesField(3, input)),
        ...Object.entries(attrs).map(([attrName, value]) => mapEntryField(5, attrName, [attrValue(value)])),
      ]),
    );
    return unique;
  }

  /** A graph input; `shape` dimensions of −1 take any size. */
  placeholder(name: string, dtype: DType, shape: readonly number[]): Output {
    return this.op("Placeholder", [], { dtype: { type: dtype }, shape: { shape } }, name);
  }

  /** A constant tensor; `shape` [] for a scalar. */
  constant(dtype: DType, values: readonly number[], shape: readonly number[] = [values.length]): Output {
    return this.op("Const", [], { dtype: { type: dtype }, value: { tensor: { dtype, shape, values } } }, "const");
  }

  /** The SavedModel (tag `serve`, no variables, no signatures) holding this graph. */
  savedModel(): Uint8Array {
    const graphDef = [...this.nodes.map((node) => bytesField(1, node)), bytesField(4, [intField(1, PRODUCER)])];
    const metaInfo = [bytesField(4, "serve")];
    const metaGraph = [bytesField(1, metaInfo), bytesField(2, graphDef)];
    return concat([intField(1, 1), bytesField(2, metaGraph)]);
  }
}

function shapeProto(shape: readonly number[]): Uint8Array[] {
  return shape.map((size) => bytesField(2, [intField(1, size)]));
}

function attrValue(value: Attr): Uint8Array {
  if ("s" in value) return bytesField(2, value.s);
  if ("i" in value) return intField(3, value.i);
  if ("f" in value) return floatField(4, value.f);
  if ("b" in value) return intField(5, value.b);
  if ("type" in value) return intField(6, DT[value.type]);
  if ("shape" in value) return bytesField(7, shapeProto(value.shape));
  if ("ints" in value) return bytesField(1, value.ints.length ? [packedIntsField(3, value.ints)] : []);
  // tensor_content: the values' raw little-endian bytes, whatever the dtype.
  const { dtype, shape, values } = value.tensor;
  const typed = dtype === "float32" ? Float32Array.from(values) : dtype === "int32" ? Int32Array.from(values) : Uint8Array.from(values);
  const content = new Uint8Array(typed.buffer);
  return bytesField(8, [intField(1, DT[dtype]), bytesField(2, shapeProto(shape)), bytesField(4, content)]);
}
