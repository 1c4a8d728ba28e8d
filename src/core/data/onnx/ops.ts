// Each supported ONNX op as tfjs layers: a built-in layer wherever one computes the op exactly
// (Conv2D, DepthwiseConv2D, Dense, BatchNormalization, pooling, ReLU, Add, ...: the layers the
// toolkit's fast routes know), else a kernel of onnx-layer.ts. Semantics follow the ONNX operator
// specs (https://onnx.ai/onnx/operators/); anything outside what is handled here is refused with
// the reason, never approximated.
import * as tf from "@tensorflow/tfjs";
import type { NodeContext } from "./builder";
import { axesOf, reshapeDims, shapeOfDynamic, sliceSpec, squeezedDims, unsqueezedDims } from "./fold";
import { type ConstValue, type DynamicValue, dynamicValue, normalizeAxis, numbers, PHYSICAL_AXIS, size, type Value } from "./values";

type OpBuilder = (ctx: NodeContext) => Value;
type Pads2 = [[number, number], [number, number]];

const FLOAT_MAX = 3.4028234663852886e38;

function tensorOf(v: ConstValue): tf.Tensor {
  return tf.tensor(Float32Array.from(v.values), v.dims, "float32");
}

function sameArray(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** [[top, bottom], [left, right]] of a 2-D conv or pool, from pads or auto_pad. */
function spatialPads(ctx: NodeContext, input: readonly number[], kernel: number[], strides: number[], dilations: number[]): Pads2 {
  const autoPad = ctx.attr("auto_pad", "NOTSET");
  if (autoPad === "VALID") return [[0, 0], [0, 0]];
  if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") {
    return [0, 1].map((i) => {
      const out = Math.ceil(input[i] / strides[i]);
      const total = Math.max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - input[i]);
      const small = Math.floor(total / 2);
      return autoPad === "SAME_UPPER" ? [small, total - small] : [total - small, small];
    }) as Pads2;
  }
  const pads = ctx.attr("pads", [0, 0, 0, 0]);
  if (pads.length !== 4) throw ctx.refuse(`pads ${JSON.stringify(pads)}: only 2-D (4 pads) are supported`);
  if (pads.some((p) => p < 0)) throw ctx.refuse("negative pads");
  return [[pads[0], pads[2]], [pads[1], pads[3]]];
}

/** The tfjs padding mode that pads exactly `pads`, if one does (TensorFlow's "same" puts the odd pixel at the end). */
function tfPadding(pads: Pads2, input: readonly number[], kernel: number[], strides: number[], dilations: number[]): "valid" | "same" | undefined {
  if (pads.flat().every((p) => p === 0)) return "valid";
  const same = [0, 1].map((i) => {
    const out = Math.ceil(input[i] / strides[i]);
    const total = Math.max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - input[i]);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  });
  return sameArray(pads.flat(), same.flat()) ? "same" : undefined;
}

function spatial(x: DynamicValue): [number, number] {
  return [x.dims[2]!, x.dims[3]!];
}

/** A ZeroPadding2D layer: the node's own (Pad), or a helper before its conv or pool (`helper` names it). */
function zeroPadded(ctx: NodeContext, x: DynamicValue, pads: Pads2, helper?: string): DynamicValue {
  return dynamicValue(ctx.apply((name) => tf.layers.zeroPadding2d({ padding: pads, name }), [x], undefined, helper), "channels-last");
}

function conv(ctx: NodeContext): Value {
  const x = ctx.builder.channelsLast(ctx.dynamic(0), "Conv");
  const w = ctx.constant(1, "weight")!;
  const b = ctx.constant(2, "bias");
  if (w.dims.length !== 4) throw ctx.refuse(`a ${w.dims.length - 2}-D convolution; Falsify imports 2-D convolutions`);
  const [m, perGroup, kh, kw] = w.dims;
  const channels = x.dims[1]!;
  const group = ctx.attr("group", 1);
  const strides = ctx.attr("strides", [1, 1]);
  const dilations = ctx.attr("dilations", [1, 1]);
  const pads = spatialPads(ctx, spatial(x), [kh, kw], strides, dilations);
  const bias = b ? [tensorOf(b)] : [];
  const depthwise = group > 1 && group === channels && perGroup === 1;
  // tfjs layers cannot differentiate dilated convolutions: those take the kernel below.
  if ((group === 1 || depthwise) && dilations.every((d) => d === 1)) {
    const padding = tfPadding(pads, spatial(x), [kh, kw], strides, dilations);
    const input = padding ? x : zeroPadded(ctx, x, pads, "pad");
    const common = { kernelSize: [kh, kw] as [number, number], strides: strides as [number, number], padding: padding ?? "valid", useBias: !!b };
    const symbol = depthwise
      ? // ONNX output channel c·k + j is input channel c's j-th filter, as in tfjs' depthwise kernel [kh, kw, c, k].
        ctx.apply((name) => tf.layers.depthwiseConv2d({ ...common, depthMultiplier: m / channels, name }), [input], [
          tf.tidy(() => tf.transpose(tensorOf(w).reshape([channels, m / channels, kh, kw]), [2, 3, 0, 1])),
          ...bias,
        ])
      : ctx.apply((name) => tf.layers.conv2d({ ...common, filters: m, name }), [input], [tf.tidy(() => tf.transpose(tensorOf(w), [2, 3, 1, 0])), ...bias]);
    return dynamicValue(symbol, "channels-last");
  }
  const weights: Record<string, tf.Tensor> = { kernel: tf.tidy(() => tf.transpose(tensorOf(w), [2, 3, 1, 0])) };
  if (b) weights.bias = bias[0];
  return dynamicValue(ctx.kernel("groupedConv", { groups: group, strides, pads, dilations }, [x], weights), "channels-last");
}

function convTranspose(ctx: NodeContext): Value {
  const x = ctx.builder.channelsLast(ctx.dynamic(0), "ConvTranspose");
  const w = ctx.constant(1, "weight")!;
  const b = ctx.constant(2, "bias");
  if (w.dims.length !== 4) throw ctx.refuse("only 2-D transposed convolutions are supported");
  if (ctx.attr("group", 1) !== 1) throw ctx.refuse("grouped transposed convolution");
  if (ctx.attr("dilations", [1, 1]).some((d) => d !== 1)) throw ctx.refuse("dilated transposed convolution");
  if (ctx.attr("auto_pad", "NOTSET") !== "NOTSET" || ctx.node.attributes.output_shape) throw ctx.refuse("auto_pad or output_shape; export with explicit pads");
  const weights: Record<string, tf.Tensor> = { kernel: tf.tidy(() => tf.transpose(tensorOf(w), [2, 3, 1, 0])) };
  if (b) weights.bias = tensorOf(b);
  const params = { strides: ctx.attr("strides", [1, 1]), pads: ctx.attr("pads", [0, 0, 0, 0]), outputPadding: ctx.attr("output_padding", [0, 0]) };
  return dynamicValue(ctx.kernel("convTranspose", params, [x], weights), "channels-last");
}

function gemm(ctx: NodeContext): Value {
  const a = ctx.dynamic(0);
  const b = ctx.constant(1, "weight")!;
  const c = ctx.constant(2, "bias");
  if (a.dims.length !== 2) throw ctx.refuse("Gemm needs a 2-D input");
  if (ctx.attr("transA", 0)) throw ctx.refuse("transA = 1 (the batch would not be the first axis)");
  const alpha = ctx.attr("alpha", 1), beta = ctx.attr("beta", 1);
  const kernel = tf.tidy(() => {
    const w = tensorOf(b);
    return tf.mul(ctx.attr("transB", 0) ? tf.transpose(w) : w, alpha);
  });
  const units = kernel.shape[1]!;
  const weights = [kernel];
  if (c) {
    if (size(c.dims) !== units && size(c.dims) !== 1) throw ctx.refuse(`a bias of dims [${c.dims}] that is not one value per output`);
    weights.push(tf.tidy(() => tf.mul(tf.broadcastTo(tensorOf(c).reshape([-1]), [units]), beta)));
  }
  return dynamicValue(ctx.apply((name) => tf.layers.dense({ units, useBias: !!c, name }), [a], weights), "plain");
}

function matMul(ctx: NodeContext): Value {
  const a = ctx.builder.plain(ctx.dynamic(0));
  const b = ctx.input(1)!;
  if (b.kind === "dynamic") {
    const other = ctx.builder.plain(b);
    if (other.dims.length !== a.dims.length) throw ctx.refuse("MatMul of computed tensors of different ranks");
    return dynamicValue(ctx.kernel("matMul", {}, [a, other]), "plain");
  }
  if (b.dims.length !== 2) throw ctx.refuse(`a ${b.dims.length}-D constant operand (Falsify maps MatMul by a matrix)`);
  return dynamicValue(ctx.apply((name) => tf.layers.dense({ units: b.dims[1], useBias: false, name }), [a], [tensorOf(b)]), "plain");
}

/** Two computed operands in one layout: channels-last when either is an image, else as ONNX holds them. */
function aligned(ctx: NodeContext, a: DynamicValue, b: DynamicValue): [DynamicValue, DynamicValue] {
  if (a.layout === b.layout) return [a, b];
  if (a.dims.length === 4 && b.dims.length === 4) return [ctx.builder.channelsLast(a, ctx.node.op), ctx.builder.channelsLast(b, ctx.node.op)];
  return [ctx.builder.plain(a), ctx.builder.plain(b)];
}

/** A constant operand laid out to broadcast against `x` as ONNX broadcasts it against x's logical dims. */
function constantFor(ctx: NodeContext, c: ConstValue, x: DynamicValue): { x: DynamicValue; constant: tf.Tensor } {
  if (x.layout === "plain" || c.dims.length === 0) return { x, constant: tensorOf(c) };
  if (c.dims.length > 4) throw ctx.refuse("a constant of higher rank than the image it applies to");
  const dims4 = [...Array(4 - c.dims.length).fill(1), ...c.dims];
  if (x.layout === "pooled" && dims4[2] === 1 && dims4[3] === 1) return { x, constant: tensorOf(c).reshape([dims4[0], dims4[1]]) };
  const image = ctx.builder.channelsLast(x, ctx.node.op);
  return { x: image, constant: tf.tidy(() => tf.transpose(tensorOf(c).reshape(dims4), [0, 2, 3, 1])) };
}

function binary(op: "Add" | "Sub" | "Mul" | "Div"): OpBuilder {
  return (ctx) => {
    const a = ctx.input(0)!, b = ctx.input(1)!;
    if (a.kind === "dynamic" && b.kind === "dynamic") {
      const [x, y] = aligned(ctx, a, b);
      const same = sameArray(x.symbol.shape.slice(1) as number[], y.symbol.shape.slice(1) as number[]);
      const native = same && (op === "Add" || op === "Mul") ? (op === "Add" ? tf.layers.add : tf.layers.multiply) : undefined;
      const symbol = native ? ctx.apply((name) => native({ name }), [x, y]) : ctx.kernel("binary", { op }, [x, y]);
      return dynamicValue(symbol, x.layout);
    }
    const constFirst = a.kind === "const";
    const { x, constant } = constantFor(ctx, (constFirst ? a : b) as ConstValue, (constFirst ? b : a) as DynamicValue);
    if (constant.size === 1) {
      const scalar = constant.dataSync()[0];
      constant.dispose();
      return dynamicValue(ctx.kernel("binary", { op, constFirst, scalar }, [x]), x.layout);
    }
    return dynamicValue(ctx.kernel("binary", { op, constFirst }, [x], { constant }), x.layout);
  };
}

function unary(make: (name: string) => tf.layers.Layer): OpBuilder {
  return (ctx) => {
    const x = ctx.dynamic(0);
    return dynamicValue(ctx.apply(make, [x]), x.layout);
  };
}

function clip(ctx: NodeContext): Value {
  const x = ctx.dynamic(0);
  const bound = (i: number, name: string, fallback: number) =>
    ctx.opset >= 11 ? (ctx.constant(i, name) ? numbers(ctx.constant(i, name)!, name)[0] : fallback) : ctx.attr(name, fallback);
  const min = bound(1, "min", -FLOAT_MAX), max = bound(2, "max", FLOAT_MAX);
  if (min === 0 && (max === 6 || max >= FLOAT_MAX)) {
    return dynamicValue(ctx.apply((name) => tf.layers.reLU({ ...(max === 6 ? { maxValue: 6 } : {}), name }), [x]), x.layout);
  }
  return dynamicValue(ctx.kernel("clip", { min: min <= -FLOAT_MAX ? null : min, max: max >= FLOAT_MAX ? null : max }, [x]), x.layout);
}

function softmax(log: boolean): OpBuilder {
  return (ctx) => {
    let x = ctx.dynamic(0);
    const rank = x.dims.length;
    const axis = normalizeAxis(ctx.attr("axis", ctx.opset >= 13 ? -1 : 1), rank, ctx.node.name);
    if (ctx.opset < 13 && axis !== rank - 1) throw ctx.refuse(`opset ${ctx.opset} softmax flattens from axis ${axis}; re-export with opset 13 or later`);
    if (x.layout === "pooled" && axis !== 1) x = ctx.builder.channelsLast(x, "Softmax");
    const physical = x.layout === "channels-last" ? PHYSICAL_AXIS[axis] : axis;
    if (log) return dynamicValue(ctx.kernel("logSoftmax", { axis: physical }, [x]), x.layout);
    const last = physical === x.symbol.shape.length - 1;
    const make = (name: string) => (last && x.symbol.shape.length === 2 ? tf.layers.activation({ activation: "softmax", name }) : tf.layers.softmax({ axis: physical, name }));
    return dynamicValue(ctx.apply(make, [x]), x.layout);
  };
}

function batchNormalization(ctx: NodeContext): Value {
  const input = ctx.dynamic(0);
  if (ctx.attr("training_mode", 0)) throw ctx.refuse("training_mode = 1; export the model in eval mode");
  if (input.dims.length !== 2 && input.dims.length !== 4) throw ctx.refuse(`a rank-${input.dims.length} input; Falsify imports BatchNormalization of images and vectors`);
  const x = input.dims.length === 4 ? ctx.builder.channelsLast(input, "BatchNormalization") : input;
  const weights = [1, 2, 3, 4].map((i) => tensorOf(ctx.constant(i, ["scale", "bias", "mean", "variance"][i - 1])!));
  const config = { axis: -1, epsilon: ctx.attr("epsilon", 1e-5), momentum: ctx.attr("momentum", 0.9) };
  return dynamicValue(ctx.apply((name) => tf.layers.batchNormalization({ ...config, name }), [x], weights), x.layout);
}

function pool(kind: "max" | "average"): OpBuilder {
  return (ctx) => {
    const x = ctx.builder.channelsLast(ctx.dynamic(0), ctx.node.op);
    if (ctx.node.outputs[1]) throw ctx.refuse("the Indices output");
    const kernel = ctx.attr<number[]>("kernel_shape", []);
    const strides = ctx.attr("strides", [1, 1]);
    if (kernel.length !== 2) throw ctx.refuse("only 2-D pooling is supported");
    if (ctx.attr("dilations", [1, 1]).some((d) => d !== 1)) throw ctx.refuse("dilated pooling");
    const input = spatial(x);
    const pads = spatialPads(ctx, input, kernel, strides, [1, 1]);
    if (ctx.attr("ceil_mode", 0)) {
      // Ceil mode: one more window where it still starts inside the input or its left padding (ONNX/PyTorch).
      pads.forEach((p, i) => {
        let out = Math.ceil((input[i] + p[0] + p[1] - kernel[i]) / strides[i]) + 1;
        if ((out - 1) * strides[i] >= input[i] + p[0]) out--;
        const extra = Math.max(0, (out - 1) * strides[i] + kernel[i] - (input[i] + p[0] + p[1]));
        if (extra && kind === "average") throw ctx.refuse("ceil_mode that adds a partial window to an average pool");
        p[1] += extra;
      });
    }
    const padding = tfPadding(pads, input, kernel, strides, [1, 1]);
    const common = { poolSize: kernel as [number, number], strides: strides as [number, number] };
    const includePad = kind === "average" && ctx.attr("count_include_pad", 0) === 1;
    if (kind === "max" && padding) {
      return dynamicValue(ctx.apply((name) => tf.layers.maxPooling2d({ ...common, padding, name }), [x]), "channels-last");
    }
    if (kind === "average" && (padding === "valid" || (padding === "same" && !includePad) || includePad)) {
      const source = padding === "valid" || !includePad ? x : zeroPadded(ctx, x, pads, "pad");
      const mode = includePad ? "valid" : padding!;
      return dynamicValue(ctx.apply((name) => tf.layers.averagePooling2d({ ...common, padding: mode, name }), [source]), "channels-last");
    }
    return dynamicValue(ctx.kernel(kind === "max" ? "maxPool" : "avgPool", { kernel, strides, pads }, [x]), "channels-last");
  };
}

function globalPool(kind: "max" | "average"): OpBuilder {
  return (ctx) => {
    const x = ctx.builder.channelsLast(ctx.dynamic(0), ctx.node.op);
    const make = (name: string) => (kind === "max" ? tf.layers.globalMaxPooling2d({ name }) : tf.layers.globalAveragePooling2d({ name }));
    return dynamicValue(ctx.apply(make, [x]), "pooled");
  };
}

/** ReduceMean over an image's height and width is a global average pool (what newer PyTorch exporters write for AdaptiveAvgPool2d(1)). */
function reduceMean(ctx: NodeContext): Value {
  const x = ctx.dynamic(0);
  const rank = x.dims.length;
  const axes = (axesOf(ctx, ctx.constant(1, "axes")) ?? x.dims.map((_, i) => i)).map((a) => normalizeAxis(a, rank, ctx.node.name)).sort();
  const keepDims = ctx.attr("keepdims", 1) === 1;
  if (axes.includes(0)) throw ctx.refuse("a mean over the batch axis");
  if (rank === 4 && sameArray(axes, [2, 3])) {
    const image = ctx.builder.channelsLast(x, "ReduceMean");
    return dynamicValue(ctx.apply((name) => tf.layers.globalAveragePooling2d({ name }), [image]), keepDims ? "pooled" : "plain");
  }
  const plain = ctx.builder.plain(x);
  return dynamicValue(ctx.kernel("mean", { axes, keepDims }, [plain]), "plain");
}

/** Reshape of a computed tensor to [batch, ...rest] (rest = per-example dims), as one Reshape layer or none; held as ONNX holds it. */
function reshapeTo(ctx: NodeContext, value: DynamicValue, rest: number[]): Value {
  const x = ctx.builder.inOnnxOrder(value);
  if (sameArray(x.symbol.shape.slice(1) as number[], rest)) return dynamicValue(ctx.identity(x).symbol, "plain");
  return dynamicValue(ctx.apply((name) => tf.layers.reshape({ targetShape: rest, name }), [x]), "plain");
}

function flatten(ctx: NodeContext): Value {
  const x = ctx.dynamic(0);
  const axis = normalizeAxis(ctx.attr("axis", 1), x.dims.length + 1, ctx.node.name);
  if (axis !== 1) throw ctx.refuse(`axis ${axis} would merge the batch axis with others`);
  return reshapeTo(ctx, x, [size(x.dims.slice(1))]);
}

function reshape(ctx: NodeContext): Value {
  const x = ctx.dynamic(0);
  const target = Array.from(ctx.constant(1, "shape")!.values);
  const perExample = x.dims.slice(1) as number[];
  // The first entry must keep the batch: the batch symbol, 0 (copy), −1 with the rest fixed, or the size the file was exported with.
  const first = target[0];
  const exportedBatch = ctx.builder.exportedBatch;
  const keepsBatch = Number.isNaN(first) || (first === 0 && !ctx.attr("allowzero", 0)) || (first === -1 && !target.slice(1).includes(-1)) || (exportedBatch !== null && first === exportedBatch);
  if (!keepsBatch) throw ctx.refuse(`reshape to [${target.map((t) => (Number.isNaN(t) ? "batch" : t)).join(", ")}] does not keep the batch axis first`);
  const rest = target.slice(1).map((t, i) => (t === 0 && !ctx.attr("allowzero", 0) ? perExample[i] : t));
  if (rest.some(Number.isNaN)) throw ctx.refuse("the batch size appears in a reshape's later dims");
  return reshapeTo(ctx, x, reshapeDims(ctx, perExample, rest));
}

function transpose(ctx: NodeContext): Value {
  const x = ctx.dynamic(0);
  const perm = ctx.attr<number[]>("perm", x.dims.map((_, i) => x.dims.length - 1 - i));
  if (perm[0] !== 0) throw ctx.refuse(`perm [${perm}] moves the batch axis`);
  // NCHW ↔ NHWC transposes (tf2onnx writes them around an NHWC model) only relabel the layout.
  if (x.layout === "channels-last" && sameArray(perm, [0, 2, 3, 1])) return dynamicValue(ctx.identity(x).symbol, "plain");
  if (x.layout === "plain" && x.dims.length === 4 && sameArray(perm, [0, 3, 1, 2])) return dynamicValue(ctx.identity(x).symbol, "channels-last");
  const plain = ctx.builder.plain(x);
  return dynamicValue(ctx.apply((name) => tf.layers.permute({ dims: perm.slice(1), name }), [plain]), "plain");
}

function concat(ctx: NodeContext): Value {
  const inputs = ctx.node.inputs.map((_, i) => ctx.dynamic(i));
  const rank = inputs[0].dims.length;
  const axis = normalizeAxis(ctx.attr("axis", 1), rank, ctx.node.name);
  if (axis === 0) throw ctx.refuse("concatenation along the batch axis");
  if (inputs.length === 1) return ctx.identity(inputs[0]);
  const pooled = inputs.every((v) => v.layout === "pooled") && axis === 1;
  const image = !pooled && rank === 4 && inputs.some((v) => v.layout !== "plain");
  const xs = pooled ? inputs : inputs.map((v) => (image ? ctx.builder.channelsLast(v, "Concat") : ctx.builder.plain(v)));
  const physical = pooled ? 1 : image ? PHYSICAL_AXIS[axis] : axis;
  return dynamicValue(ctx.apply((name) => tf.layers.concatenate({ axis: physical, name }), xs), xs[0].layout);
}

function pad(ctx: NodeContext): Value {
  const x = ctx.dynamic(0);
  const rank = x.dims.length;
  const mode = ctx.attr("mode", "constant");
  if (mode !== "constant") throw ctx.refuse(`mode ${mode}; Falsify imports constant padding`);
  const pads = ctx.opset >= 11 ? numbers(ctx.constant(1, "pads")!, "pads") : ctx.attr<number[]>("pads", []);
  const value = ctx.opset >= 11 ? (ctx.constant(2, "value") ? numbers(ctx.constant(2, "value")!, "value")[0] : 0) : ctx.attr("value", 0);
  const axes = ctx.constant(3, "axes") ? numbers(ctx.constant(3, "axes")!, "axes").map((a) => normalizeAxis(a, rank, ctx.node.name)) : x.dims.map((_, i) => i);
  const logical = x.dims.map((): [number, number] => [0, 0]);
  axes.forEach((a, k) => (logical[a] = [pads[k], pads[k + axes.length]]));
  if (logical[0].some((p) => p !== 0)) throw ctx.refuse("padding the batch axis");
  if (logical.flat().some((p) => p < 0)) throw ctx.refuse("negative pads (cropping)");
  const image = rank === 4 ? ctx.builder.channelsLast(x, "Pad") : ctx.builder.plain(x);
  const paddings = rank === 4 ? [0, 2, 3, 1].map((a) => logical[a]) : logical;
  if (rank === 4 && mode === "constant" && value === 0 && logical[1].every((p) => p === 0)) {
    return zeroPadded(ctx, image, [logical[2], logical[3]]);
  }
  return dynamicValue(ctx.kernel("pad", { paddings, value }, [image]), image.layout);
}

function squeeze(ctx: NodeContext, unsqueeze: boolean): Value {
  const x = ctx.dynamic(0);
  const axes = axesOf(ctx, ctx.constant(1, "axes"));
  const dims = x.dims.map((d) => d ?? 1);
  const out = unsqueeze ? unsqueezedDims(dims, axes) : squeezedDims(dims, axes?.length ? axes : dims.map((d, i) => (d === 1 && i > 0 ? i : -1)).filter((i) => i > 0));
  const touched = (axes ?? []).map((a) => (a < 0 ? a + (unsqueeze ? out.length : dims.length) : a));
  if (touched.includes(0)) throw ctx.refuse("squeezing or unsqueezing the batch axis");
  return reshapeTo(ctx, x, out.slice(1));
}

function identity(ctx: NodeContext): Value {
  if (ctx.node.op === "Dropout" && ctx.node.outputs[1]) throw ctx.refuse("the dropout mask output");
  if (ctx.node.op === "Cast" && ![1, 10, 11].includes(ctx.attr("to", 1))) throw ctx.refuse("a cast of a computed tensor to an integer type");
  return ctx.identity(ctx.dynamic(0));
}

function gather(ctx: NodeContext): Value {
  const x = ctx.builder.plain(ctx.dynamic(0));
  const indices = ctx.constant(1, "indices")!;
  const axis = normalizeAxis(ctx.attr("axis", 0), x.dims.length, ctx.node.name);
  if (axis === 0) throw ctx.refuse("gathering along the batch axis");
  const d = x.dims[axis]!;
  const params = { indices: numbers(indices, "indices").map((i) => (i < 0 ? i + d : i)), indicesShape: indices.dims, axis };
  return dynamicValue(ctx.kernel("gather", params, [x]), "plain");
}

function slice(ctx: NodeContext): Value {
  let x = ctx.dynamic(0);
  if (x.layout === "pooled") x = ctx.builder.channelsLast(x, "Slice");
  const args = ctx.opset >= 10 ? [1, 2, 3, 4].map((i) => ctx.constant(i, ["starts", "ends", "axes", "steps"][i - 1])) : [];
  const dims = x.dims.map((d) => d ?? 0x7fffffff);
  const spec = sliceSpec(ctx, dims, args);
  if (spec.begin[0] !== 0 || spec.end[0] < dims[0] || spec.strides[0] !== 1) throw ctx.refuse("slicing the batch axis");
  spec.end[0] = 0x7fffffff;
  const order = x.layout === "channels-last" ? [0, 2, 3, 1] : x.dims.map((_, i) => i);
  const params = { begin: order.map((a) => spec.begin[a]), end: order.map((a) => spec.end[a]), strides: order.map((a) => spec.strides[a]) };
  return dynamicValue(ctx.kernel("slice", params, [x]), x.layout);
}

/** An op Falsify imports: how its node is built, and what it becomes (the support table in media/docs/models.md). */
export interface OpSupport {
  build: OpBuilder;
  /** The tfjs layers the op becomes, and the forms it accepts. */
  becomes: string;
}

const op = (build: OpBuilder, becomes: string): OpSupport => ({ build, becomes });
const onnxKernel = "OnnxOp (tfjs ops)";

/** The ops Falsify imports, by ONNX op type (default domain). */
export const OPS: Record<string, OpSupport> = {
  Conv: op(conv, `Conv2D (groups 1) or DepthwiseConv2D (groups = channels), ZeroPadding2D first when the pads are not TensorFlow's "same"; other groups and dilations: ${onnxKernel}. 2-D only; pads, auto_pad, strides`),
  ConvTranspose: op(convTranspose, `${onnxKernel}: pads, strides, output_padding; group 1, no dilation, no output_shape`),
  Gemm: op(gemm, "Dense (alpha, beta and transB folded into the weights); transA = 0, constant B and C"),
  MatMul: op(matMul, `Dense without bias (constant right operand, a matrix); two computed operands: ${onnxKernel}`),
  Add: op(binary("Add"), `Add (two computed operands of one shape), else ${onnxKernel} (broadcasting; constants laid out for NHWC)`),
  Sub: op(binary("Sub"), onnxKernel),
  Mul: op(binary("Mul"), `Multiply (two computed operands of one shape), else ${onnxKernel}`),
  Div: op(binary("Div"), onnxKernel),
  Relu: op(unary((name) => tf.layers.reLU({ name })), "ReLU"),
  LeakyRelu: op((ctx) => unary((name) => tf.layers.leakyReLU({ alpha: ctx.attr("alpha", 0.01), name }))(ctx), "LeakyReLU"),
  Elu: op((ctx) => unary((name) => tf.layers.elu({ alpha: ctx.attr("alpha", 1), name }))(ctx), "ELU"),
  Clip: op(clip, `ReLU with maxValue 6 for [0, 6] (ReLU6), ReLU for [0, ∞), else ${onnxKernel}`),
  Sigmoid: op(unary((name) => tf.layers.activation({ activation: "sigmoid", name })), "Activation sigmoid"),
  Tanh: op(unary((name) => tf.layers.activation({ activation: "tanh", name })), "Activation tanh"),
  Softplus: op(unary((name) => tf.layers.activation({ activation: "softplus", name })), "Activation softplus"),
  Softmax: op(softmax(false), "Activation softmax (last axis of a matrix), else Softmax on the mapped axis; opset < 13 only on the last axis"),
  LogSoftmax: op(softmax(true), onnxKernel),
  BatchNormalization: op(batchNormalization, "BatchNormalization (inference: running statistics) of images and vectors"),
  MaxPool: op(pool("max"), `MaxPooling2D ("valid" or "same" pads), else ${onnxKernel} (−∞ padding); ceil_mode; no dilation or Indices output`),
  AveragePool: op(pool("average"), `AveragePooling2D (with ZeroPadding2D for count_include_pad = 1), else ${onnxKernel}; ceil_mode only without a partial window`),
  GlobalAveragePool: op(globalPool("average"), "GlobalAveragePooling2D"),
  GlobalMaxPool: op(globalPool("max"), "GlobalMaxPooling2D"),
  ReduceMean: op(reduceMean, `GlobalAveragePooling2D over an image's height and width, else ${onnxKernel}; not over the batch axis`),
  Flatten: op(flatten, "Flatten / Reshape (Permute to NCHW first for a map larger than 1x1); axis 1"),
  Reshape: op(reshape, "Reshape (the batch stays first: the batch symbol, 0, −1 or the exported batch size)"),
  Transpose: op(transpose, "Permute; NCHW ↔ NHWC transposes only relabel the layout; the batch stays first"),
  Concat: op(concat, "Concatenate on the mapped axis"),
  Pad: op(pad, `ZeroPadding2D (zeros on height and width), else ${onnxKernel}; constant mode`),
  Squeeze: op((ctx) => squeeze(ctx, false), "Reshape (none after a global pool)"),
  Unsqueeze: op((ctx) => squeeze(ctx, true), "Reshape"),
  Identity: op(identity, "an identity (linear Activation) layer carrying the node's name"),
  Dropout: op(identity, "an identity layer (inference); no mask output"),
  Cast: op(identity, "an identity layer (float to float); on constants, computed at load"),
  Gather: op(gather, `${onnxKernel} (constant indices, not on the batch axis); on shapes, computed at load`),
  Slice: op(slice, `${onnxKernel} (positive steps, not on the batch axis); on shapes, computed at load`),
  Shape: op((ctx) => shapeOfDynamic(ctx, ctx.dynamic(0)), "computed at load (the batch size as a symbol), for the Reshape it feeds"),
};

/** Ops with no computed input: always computed at load (fold.ts). */
export const LOAD_TIME_OPS: Record<string, string> = { Constant: "computed at load" };

/** Every op type an imported graph may hold. */
export const SUPPORTED_OPS: readonly string[] = [...Object.keys(OPS), ...Object.keys(LOAD_TIME_OPS)].sort();
