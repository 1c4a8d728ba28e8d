// What a name in an ONNX graph stands for while it becomes a tfjs model, and the layouts of images.
//
// Layouts. ONNX image tensors are NCHW; tfjs convolutions and the toolkit (units on the last axis)
// are NHWC. A 4-D value is therefore held channels-last: the model's image input is NHWC (the one
// transposition, at the boundary), every Conv/pool/BatchNorm works on NHWC, and axes are mapped
// (`PHYSICAL_AXIS`) for the ops that name one (Concat, Slice, Softmax, Pad). Only ops whose meaning
// depends on the NCHW element order (Flatten/Reshape of a map larger than 1x1, Transpose, Gather)
// see the value permuted back to NCHW, one Permute layer where the graph needs it.
import type * as tf from "@tensorflow/tfjs";
import { DataError } from "../errors";

/**
 * `plain`: held as ONNX has it. `channels-last`: a logical [N, C, H, W] held as [N, H, W, C].
 * `pooled`: a logical [N, C, 1, 1] held as [N, C] (what GlobalAveragePooling2D gives).
 */
export type Layout = "plain" | "channels-last" | "pooled";

/** A tensor known when the model loads. `values` holds NaN where a shape vector has the batch size (unknown until run time). */
export interface ConstValue {
  kind: "const";
  dims: number[];
  dtype: "float32" | "int32";
  values: Float32Array | Int32Array | Float64Array;
}

/** A tensor computed from the model's input: a symbolic tfjs tensor, with its ONNX (logical) dims (batch = null). */
export interface DynamicValue {
  kind: "dynamic";
  symbol: tf.SymbolicTensor;
  layout: Layout;
  dims: (number | null)[];
}

export type Value = ConstValue | DynamicValue;

/** Where a logical NCHW axis sits in the NHWC tensor. */
export const PHYSICAL_AXIS = [0, 3, 1, 2];

/** A symbolic tensor held in `layout`, with its ONNX dims. */
export function dynamicValue(symbol: tf.SymbolicTensor, layout: Layout): DynamicValue {
  const s = symbol.shape;
  const dims = layout === "channels-last" ? [s[0], s[3], s[1], s[2]] : layout === "pooled" ? [s[0], s[1], 1, 1] : [...s];
  return { kind: "dynamic", symbol, layout, dims };
}

export function constValue(dims: number[], values: ArrayLike<number>, dtype: ConstValue["dtype"] = "float32"): ConstValue {
  const size = dims.reduce((a, b) => a * b, 1);
  if (values.length !== size) throw new Error(`constant of dims [${dims}] given ${values.length} values`);
  return { kind: "const", dims, dtype, values: Float64Array.from(values) };
}

/** A constant's values as plain numbers, refusing a batch size that is only known at run time. */
export function numbers(value: ConstValue, what: string): number[] {
  const out = Array.from(value.values);
  if (out.some(Number.isNaN)) throw new DataError("unsupported-model", `${what} depends on the batch size, which is known only when the model runs`);
  return out;
}

export function size(dims: readonly (number | null)[]): number {
  return dims.reduce<number>((a, b) => a * (b ?? 1), 1);
}

/** A logical axis, negative from the end, as an index in 0..rank−1. */
export function normalizeAxis(axis: number, rank: number, what: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!(a >= 0 && a < rank)) throw new DataError("wrong-format", `${what}: axis ${axis} is outside a rank-${rank} tensor`);
  return a;
}
