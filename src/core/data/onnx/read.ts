// An ONNX file as plain data: the ModelProto decoded by protobufjs with ONNX's own schema
// (schema.ts), then reduced to what building a tfjs model needs: the graph's nodes with their
// attributes as JS values, its inputs and outputs with shapes, and its initializers as typed arrays.
import protobuf from "protobufjs/light";
import { DataError } from "../errors";
import { ONNX_SCHEMA } from "./schema";

/** A constant tensor: float types are read as float32, integer and boolean types as int32. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  dtype: "float32" | "int32";
  values: Float32Array | Int32Array;
}

export type OnnxAttribute = number | string | number[] | string[] | OnnxTensor;

export interface OnnxNode {
  /** The node's name, or its first output's when the exporter left it empty. */
  name: string;
  op: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, OnnxAttribute>;
}

/** A graph input or output: dims are numbers, or null where the file names a symbol (e.g. "batch") or nothing. */
export interface OnnxValueInfo {
  name: string;
  dims: (number | null)[];
}

export interface OnnxGraph {
  producer: string;
  /** The default-domain opset the model was exported for. */
  opset: number;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers: Map<string, OnnxTensor>;
  nodes: OnnxNode[];
}

const root = protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace);
const ModelProto = root.lookupType("onnx.ModelProto");

// TensorProto.DataType values (onnx.proto) read as float32 or int32.
const FLOAT_TYPES = new Map([[1, "FLOAT"], [11, "DOUBLE"]]);
const INT_TYPES = new Map([[2, "UINT8"], [3, "INT8"], [4, "UINT16"], [5, "INT16"], [6, "INT32"], [7, "INT64"], [9, "BOOL"], [12, "UINT32"]]);
const RAW_READERS: Record<number, (view: DataView, i: number) => number> = {
  1: (v, i) => v.getFloat32(i * 4, true),
  11: (v, i) => v.getFloat64(i * 8, true),
  2: (v, i) => v.getUint8(i),
  3: (v, i) => v.getInt8(i),
  4: (v, i) => v.getUint16(i * 2, true),
  5: (v, i) => v.getInt16(i * 2, true),
  6: (v, i) => v.getInt32(i * 4, true),
  7: (v, i) => clampInt(Number(v.getBigInt64(i * 8, true))),
  9: (v, i) => v.getUint8(i),
  12: (v, i) => v.getUint32(i * 4, true),
};

/** Decodes an ONNX model file; a file that is not one is a `wrong-format` error. */
export function readOnnx(bytes: Uint8Array, path: string): OnnxGraph {
  let model: Record<string, any>;
  try {
    model = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: Uint8Array, defaults: false, arrays: true });
  } catch (error) {
    throw new DataError("wrong-format", `${path} is not an ONNX model (${(error as Error).message})`);
  }
  const graph = model.graph;
  if (!graph || !Array.isArray(graph.node)) throw new DataError("wrong-format", `${path} is not an ONNX model (it has no graph)`);
  const opset = (model.opset_import ?? []).find((o: { domain?: string }) => !o.domain || o.domain === "ai.onnx")?.version ?? 0;
  const initializers = new Map<string, OnnxTensor>();
  for (const t of graph.initializer ?? []) initializers.set(t.name, tensorOf(t, path));
  return {
    producer: [model.producer_name, model.producer_version].filter(Boolean).join(" "),
    opset: Number(opset),
    inputs: (graph.input ?? []).filter((v: { name: string }) => !initializers.has(v.name)).map(valueInfo),
    outputs: (graph.output ?? []).map(valueInfo),
    initializers,
    nodes: graph.node.map((n: Record<string, any>, i: number): OnnxNode => {
      if (n.domain && n.domain !== "ai.onnx") {
        throw new DataError("wrong-format", `${path}: node ${n.name || i} is ${n.op_type} from the custom domain ${n.domain}, which no tfjs op implements`);
      }
      const attributes: Record<string, OnnxAttribute> = {};
      for (const a of n.attribute ?? []) attributes[a.name] = attributeValue(a, path);
      return { name: n.name || n.output?.[0] || `node_${i}`, op: n.op_type, inputs: n.input ?? [], outputs: n.output ?? [], attributes };
    }),
  };
}

function valueInfo(v: Record<string, any>): OnnxValueInfo {
  const dims = v.type?.tensor_type?.shape?.dim ?? [];
  return { name: v.name, dims: dims.map((d: { dim_value?: number }) => (typeof d.dim_value === "number" && d.dim_value > 0 ? d.dim_value : null)) };
}

// AttributeProto.AttributeType: FLOAT 1, INT 2, STRING 3, TENSOR 4, FLOATS 6, INTS 7, STRINGS 8.
function attributeValue(a: Record<string, any>, path: string): OnnxAttribute {
  const decoder = new TextDecoder();
  switch (a.type) {
    case 1: return a.f ?? 0;
    case 2: return a.i ?? 0;
    case 3: return decoder.decode(a.s ?? new Uint8Array());
    case 4: return tensorOf(a.t, path);
    case 6: return a.floats ?? [];
    case 7: return (a.ints ?? []).map(clampInt);
    case 8: return (a.strings ?? []).map((s: Uint8Array) => decoder.decode(s));
    default: throw new DataError("wrong-format", `${path}: attribute ${a.name} has type ${a.type}, which Falsify does not read (graphs and sparse tensors as attributes)`);
  }
}

function tensorOf(t: Record<string, any>, path: string): OnnxTensor {
  const dims: number[] = (t.dims ?? []).map(Number);
  const size = dims.reduce((a, b) => a * b, 1);
  const type: number = t.data_type ?? 0;
  if (t.data_location === 1 || (t.external_data ?? []).length) {
    throw new DataError("wrong-format", `${path}: tensor ${t.name} is stored in an external file; re-export with the weights inside (torch.onnx.export(..., external_data=False))`);
  }
  const isFloat = FLOAT_TYPES.has(type);
  if (!isFloat && !INT_TYPES.has(type)) throw new DataError("wrong-format", `${path}: tensor ${t.name} has data type ${type}; Falsify reads float, double and integer tensors`);
  const values = isFloat ? new Float32Array(size) : new Int32Array(size);
  const raw: Uint8Array | undefined = t.raw_data;
  if (raw && raw.length) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const read = RAW_READERS[type];
    for (let i = 0; i < size; i++) values[i] = read(view, i);
  } else {
    const typed: ArrayLike<number> = t.float_data ?? t.double_data ?? t.int64_data ?? t.int32_data ?? t.uint64_data ?? [];
    if (typed.length !== size) throw new DataError("wrong-format", `${path}: tensor ${t.name} has ${typed.length} values for dims [${dims.join(", ")}]`);
    for (let i = 0; i < size; i++) values[i] = isFloat ? typed[i] : clampInt(Number(typed[i]));
  }
  return { name: t.name ?? "", dims, dtype: isFloat ? "float32" : "int32", values };
}

/** int64 values as int32: exporters write ±2^63 − 1 for "to the end" (Slice), which clamps to the same meaning. */
function clampInt(v: number): number {
  return Math.max(-0x80000000, Math.min(0x7fffffff, v));
}
