// Nodes whose inputs are all known at load time are computed then, once: the Constant nodes, and
// the shape arithmetic exporters emit around Reshape (Shape → Gather → Unsqueeze → Concat). A shape
// vector carries the batch size as NaN, a symbol that data movement keeps and arithmetic refuses.
import * as tf from "@tensorflow/tfjs";
import { DataError } from "../errors";
import type { NodeContext } from "./builder";
import type { OnnxTensor } from "./read";
import { type ConstValue, constValue, type DynamicValue, normalizeAxis, numbers } from "./values";

/** The ops `fold` computes on constants. */
export const FOLDABLE = new Set(["Constant", "Identity", "Dropout", "Cast", "Shape", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Concat", "Gather", "Slice", "Transpose", "Add", "Sub", "Mul", "Div"]);

export function tensorValue(t: OnnxTensor): ConstValue {
  return constValue(t.dims, t.values, t.dtype);
}

/** The constant outputs of a node whose inputs are all constants. */
export function fold(ctx: NodeContext): ConstValue[] {
  const { node } = ctx;
  if (!FOLDABLE.has(node.op)) throw ctx.refuse(`Falsify does not compute ${node.op} on constants at load time`);
  if (node.op === "Constant") return [constantAttribute(ctx)];
  const inputs = node.inputs.map((_, i) => ctx.constant(i, "input"));
  const [x] = inputs as ConstValue[];
  switch (node.op) {
    case "Identity":
    case "Dropout":
      return [x];
    case "Cast": {
      // TensorProto.DataType: FLOAT16 10, FLOAT 1 and DOUBLE 11 stay floats; the rest truncate (NaN, the batch, stays).
      const float = [1, 10, 11].includes(ctx.attr("to", 1));
      return [{ ...x, dtype: float ? "float32" : "int32", values: float ? x.values : x.values.map(Math.trunc) }];
    }
    case "Shape":
      return [shapeOf(ctx, x.dims)];
    case "Reshape":
      return [{ ...x, dims: reshapeDims(ctx, x.dims, numbers(inputs[1]!, `${node.name}'s shape`)) }];
    case "Flatten": {
      const axis = normalizeAxis(ctx.attr("axis", 1), x.dims.length + 1, node.name);
      return [{ ...x, dims: [x.dims.slice(0, axis).reduce((a, b) => a * b, 1), x.dims.slice(axis).reduce((a, b) => a * b, 1)] }];
    }
    case "Squeeze":
    case "Unsqueeze": {
      const axes = axesOf(ctx, inputs[1]);
      return [{ ...x, dims: node.op === "Squeeze" ? squeezedDims(x.dims, axes) : unsqueezedDims(x.dims, axes) }];
    }
    default:
      return [viaTfjs(ctx, inputs as ConstValue[])];
  }
}

/** The dims of a Shape node's output for a tensor of these (logical) dims: a shape vector. */
export function shapeOf(ctx: NodeContext, dims: readonly (number | null)[]): ConstValue {
  const rank = dims.length;
  const start = clampIndex(ctx.attr("start", 0), rank);
  const end = clampIndex(ctx.attr("end", rank), rank);
  const values = dims.slice(start, end).map((d) => d ?? NaN);
  return constValue([values.length], values, "int32");
}

export function shapeOfDynamic(ctx: NodeContext, value: DynamicValue): ConstValue {
  return shapeOf(ctx, value.dims);
}

/** ONNX Reshape's target with 0 (copy) and −1 (infer) resolved, for a tensor of `dims`. */
export function reshapeDims(ctx: NodeContext, dims: readonly number[], target: number[]): number[] {
  const allowZero = ctx.attr("allowzero", 0) === 1;
  const out = target.map((t, i) => (t === 0 && !allowZero ? dims[i] : t));
  const total = dims.reduce((a, b) => a * b, 1);
  const known = out.filter((t) => t !== -1).reduce((a, b) => a * b, 1);
  const inferred = out.indexOf(-1);
  if (inferred >= 0) out[inferred] = total / known;
  if (out.reduce((a, b) => a * b, 1) !== total || !out.every(Number.isInteger)) {
    throw ctx.refuse(`cannot reshape [${dims.join(", ")}] to [${target.join(", ")}]`);
  }
  return out;
}

/** Axes from input 1 (opset ≥ 13) or the `axes` attribute. */
export function axesOf(ctx: NodeContext, input: ConstValue | undefined): number[] | undefined {
  if (input) return numbers(input, `${ctx.node.name}'s axes`);
  return ctx.node.attributes.axes as number[] | undefined;
}

export function squeezedDims(dims: readonly number[], axes: number[] | undefined): number[] {
  const drop = new Set((axes ?? dims.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => (a < 0 ? a + dims.length : a)));
  return dims.filter((_, i) => !drop.has(i));
}

export function unsqueezedDims(dims: readonly number[], axes: number[] | undefined): number[] {
  const rank = dims.length + (axes?.length ?? 0);
  const add = new Set((axes ?? []).map((a) => (a < 0 ? a + rank : a)));
  const out: number[] = [];
  for (let i = 0, j = 0; i < rank; i++) out.push(add.has(i) ? 1 : dims[j++]);
  return out;
}

function clampIndex(i: number, rank: number): number {
  return Math.max(0, Math.min(rank, i < 0 ? i + rank : i));
}

function constantAttribute(ctx: NodeContext): ConstValue {
  const a = ctx.node.attributes;
  if (a.value && typeof a.value === "object" && "dims" in a.value) return tensorValue(a.value);
  if (typeof a.value_float === "number") return constValue([], [a.value_float]);
  if (Array.isArray(a.value_floats)) return constValue([a.value_floats.length], a.value_floats as number[]);
  if (typeof a.value_int === "number") return constValue([], [a.value_int], "int32");
  if (Array.isArray(a.value_ints)) return constValue([a.value_ints.length], a.value_ints as number[], "int32");
  throw ctx.refuse("a Constant needs a value, value_float(s) or value_int(s) attribute");
}

/** Concat, Gather, Slice, Transpose and Add/Sub/Mul/Div on constants, by the tfjs ops themselves (float32: shapes are exact). */
function viaTfjs(ctx: NodeContext, inputs: ConstValue[]): ConstValue {
  const { node } = ctx;
  const arithmetic = ["Add", "Sub", "Mul", "Div"].includes(node.op);
  if (arithmetic) inputs.forEach((v, i) => numbers(v, `${node.name}'s input ${i}`));
  const int = inputs.every((v) => v.dtype === "int32");
  const result = tf.tidy(() => {
    const ts = inputs.map((v) => tf.tensor(Float32Array.from(v.values), v.dims, "float32"));
    const [x] = ts;
    const rank = x.rank;
    switch (node.op) {
      case "Concat":
        return tf.concat(ts, normalizeAxis(ctx.attr("axis", 0), rank, node.name));
      case "Gather": {
        const axis = normalizeAxis(ctx.attr("axis", 0), rank, node.name);
        const idx = numbers(inputs[1], node.name).map((i) => (i < 0 ? i + x.shape[axis] : i));
        return tf.gather(x, tf.tensor(idx, inputs[1].dims, "int32"), axis);
      }
      case "Slice": {
        const spec = sliceSpec(ctx, x.shape, inputs.slice(1));
        return tf.stridedSlice(x, spec.begin, spec.end, spec.strides);
      }
      case "Transpose":
        return tf.transpose(x, ctx.attr<number[] | undefined>("perm", undefined));
      default: {
        const [a, b] = ts;
        // Integer division truncates (ONNX Div on ints, as C does).
        const truncated = (p: tf.Tensor, q: tf.Tensor) => tf.tidy(() => tf.mul(tf.sign(tf.div(p, q)), tf.floor(tf.abs(tf.div(p, q)))));
        const op = { Add: tf.add, Sub: tf.sub, Mul: tf.mul, Div: int ? truncated : tf.div }[node.op as "Add"];
        return op(a, b);
      }
    }
  });
  const values = result.dataSync() as Float32Array;
  const out = constValue(result.shape, values, int ? "int32" : "float32");
  result.dispose();
  return out;
}

/** begin/end/strides for tf.stridedSlice from ONNX Slice's starts, ends, axes and steps (clamped as ONNX clamps). */
export function sliceSpec(ctx: NodeContext, dims: readonly number[], args: (ConstValue | undefined)[]): { begin: number[]; end: number[]; strides: number[] } {
  const attr = (name: string) => ctx.node.attributes[name] as number[] | undefined;
  const list = (i: number, name: string) => (args[i] ? numbers(args[i]!, `${ctx.node.name}'s ${name}`) : attr(name));
  const starts = list(0, "starts")!, ends = list(1, "ends")!;
  const axes = list(2, "axes") ?? starts.map((_, i) => i);
  const steps = list(3, "steps") ?? starts.map(() => 1);
  const begin = dims.map(() => 0), end = [...dims], strides = dims.map(() => 1);
  axes.forEach((axis, k) => {
    const a = normalizeAxis(axis, dims.length, ctx.node.name);
    if (steps[k] < 1) throw new DataError("unsupported-model", `node ${ctx.node.name} (Slice): step ${steps[k]}; Falsify slices forwards only`);
    const d = dims[a];
    const at = (i: number) => Math.max(0, Math.min(d, i < 0 ? i + d : i));
    begin[a] = at(starts[k]);
    end[a] = at(ends[k]);
    strides[a] = steps[k];
  });
  return { begin, end, strides };
}
