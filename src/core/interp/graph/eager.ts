// An Ir run op by op with unfused tfjs ops, differentiable with tf.grad on every backend: the route
// where no TensorFlow graph runs (wasm, cpu). Through the model itself, tf.grad fails on wasm for
// residual conv nets: tfjs-layers' and tfjs-converter's fused convolutions take their gradient as
// one custom gradient that computes the filter's too (Conv2DBackpropFilter, not a wasm kernel), and
// a depthwise convolution's input gradient (DepthwiseConv2dNativeBackpropInput) has no wasm kernel
// either. Here weights are constants (attribution needs only the input's gradient, and tf.grad
// skips what x does not reach), and a depthwise convolution's input gradient is written with ops
// every backend has: dy spread by the strides, then a depthwise convolution with the flipped filter;
// pooling's gradients too (wasm's kernels for them are wrong).
import * as tf from "@tensorflow/tfjs";
import { type Activation, type Ir, type IrNode, neededNodes, type Padding } from "./ir";

/**
 * A node's op replaced (a modified backward rule: DeepLift's rescale, Guided Backprop's ReLU): its
 * output from its inputs, or undefined to keep the op.
 */
export type NodeRule = (node: IrNode, xs: tf.Tensor[]) => tf.Tensor | undefined;

/** The Ir's output for a batch `x` (call inside tf.tidy; differentiable w.r.t. x), `rule` replacing some nodes' ops. */
export function irFunction(ir: Ir, rule?: NodeRule): (x: tf.Tensor) => tf.Tensor {
  const run = irFunctionGiven(ir, -1, rule);
  return (x) => run(x, x);
}

/**
 * The Ir's output as a function of the input and of node `at`'s value, given: the ops that read `at`
 * see `value` (differentiable w.r.t. it: the gradient at an inner node, Grad-CAM's), the other ops
 * still compute from `x` (branches beside `at`).
 */
export function irFunctionGiven(ir: Ir, at: number, rule?: NodeRule): (x: tf.Tensor, value: tf.Tensor) => tf.Tensor {
  const needed = neededNodes(ir, at);
  return (x, value) => {
    const values: tf.Tensor[] = [];
    ir.nodes.forEach((node, i) => {
      if (!needed[i]) return;
      const xs = node.inputs.map((k) => values[k]);
      values[i] = i === at ? value : i === ir.input ? x : (rule?.(node, xs) ?? apply(ir, node, xs));
    });
    return values[ir.output];
  };
}

function apply(ir: Ir, node: IrNode, xs: tf.Tensor[]): tf.Tensor {
  const op = node.op;
  switch (op.kind) {
    case "input":
      throw new Error(`${node.source}: a second input`);
    case "weight": {
      const source = ir.weights[op.slot];
      return "read" in source ? source.read() : source;
    }
    case "conv2d":
      return tf.conv2d(xs[0] as tf.Tensor4D, xs[1] as tf.Tensor4D, op.strides, padOf(op.padding), "NHWC", op.dilations);
    case "depthwise":
      return depthwiseConv2d(xs[0] as tf.Tensor4D, xs[1] as tf.Tensor4D, op.strides, padOf(op.padding), op.dilations);
    case "matmul":
      return tf.matMul(xs[0] as tf.Tensor2D, xs[1] as tf.Tensor2D, false, op.transposeB);
    case "biasAdd":
      return tf.add(xs[0], xs[1]);
    case "batchNorm": {
      const [x, mean, variance, ...affine] = xs;
      const gamma = op.scale ? affine[0] : undefined;
      const beta = op.center ? affine[op.scale ? 1 : 0] : undefined;
      // y = x·s + (β − μ·s), s = γ / √(σ² + ε): the inference form.
      const s = tf.rsqrt(tf.add(variance, op.epsilon));
      const scale = gamma ? tf.mul(gamma, s) : s;
      const shift = tf.neg(tf.mul(mean, scale));
      return tf.add(tf.mul(x, scale), beta ? tf.add(beta, shift) : shift);
    }
    case "activation":
      return activation(op.activation, xs[0]);
    case "add":
      return xs.slice(1).reduce((acc, x) => tf.add(acc, x), xs[0]);
    case "sub":
      return tf.sub(xs[0], xs[1]);
    case "mul":
      return tf.mul(xs[0], xs[1]);
    case "div":
      return tf.div(xs[0], xs[1]);
    case "pad":
      return tf.pad(xs[0], op.paddings);
    case "maxPool":
    case "avgPool":
      return pool(op.kind, xs[0] as tf.Tensor4D, op.ksize, op.strides, op.padding === "SAME" ? "same" : "valid");
    case "mean":
      return tf.mean(xs[0], op.axes, op.keepDims);
    case "reshape":
      return tf.reshape(xs[0], op.shape);
    case "squeeze":
      return tf.squeeze(xs[0], op.axes);
    case "concat":
      return tf.concat(xs, op.axis);
    case "identity":
      return xs[0];
  }
}

export function activation(name: Activation, x: tf.Tensor): tf.Tensor {
  if (typeof name === "object") return tf.leakyRelu(x, name.leakyRelu);
  switch (name) {
    case "relu":
      return tf.relu(x);
    case "relu6":
      return tf.relu6(x);
    case "elu":
      return tf.elu(x);
    case "tanh":
      return tf.tanh(x);
    case "sigmoid":
      return tf.sigmoid(x);
    case "softplus":
      return tf.softplus(x);
    case "softmax":
      return tf.softmax(x);
  }
}

type ConvPad = "same" | "valid" | [[0, 0], [number, number], [number, number], [0, 0]];

function padOf(padding: Padding): ConvPad {
  if (typeof padding === "string") return padding === "SAME" ? "same" : "valid";
  const [top, bottom, left, right] = padding.explicit;
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

/** A depthwise convolution whose input gradient needs no DepthwiseConv2dNativeBackpropInput kernel (the filter is a constant). */
function depthwiseConv2d(x: tf.Tensor4D, filter: tf.Tensor4D, strides: [number, number], pad: ConvPad, dilations: [number, number]): tf.Tensor4D {
  const conv = withInputGradient((input) => {
    const value = tf.depthwiseConv2d(input, filter, strides, pad, "NHWC", dilations);
    return { value, gradFunc: (dy) => depthwiseInputGradient(dy, filter, x.shape, strides, pad, dilations) };
  });
  return conv(x);
}

type InputGradientOp = (x: tf.Tensor4D, save: tf.GradSaveFunc) => { value: tf.Tensor4D; gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => tf.Tensor4D };

/** tfjs' customGrad for an op of one input whose gradient is written by hand (typed: tfjs' own types take any arity). */
function withInputGradient(op: InputGradientOp): (x: tf.Tensor4D) => tf.Tensor4D {
  return tf.customGrad(op as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor4D) => tf.Tensor4D;
}

/** Backends whose own pooling gradients are right: tfjs-node runs TensorFlow's; cpu is the wasm tests' reference. */
const RIGHT_POOL_GRADIENTS = new Set(["tensorflow", "cpu"]);

/**
 * Pooling with its input gradient written here where the backend's is wrong: wasm's MaxPoolGrad and
 * AvgPoolGrad kernels disagree with TensorFlow's (by 36–58% of the largest value on a random 8x8
 * map, tfjs 4.22). Max pooling sends each output's gradient to the position of its maximum; average
 * pooling spreads it evenly over the window's positions inside the input (TensorFlow's count:
 * padding excluded). Elsewhere the backend's own gradient is one kernel, not one op per window tap
 * (Guided Backprop on the digits CNN on tfjs-node: 40 ms with ours, 12 ms with TensorFlow's).
 */
function pool(kind: "maxPool" | "avgPool", x: tf.Tensor4D, ksize: [number, number], strides: [number, number], pad: "same" | "valid"): tf.Tensor4D {
  if (RIGHT_POOL_GRADIENTS.has(tf.getBackend())) return kind === "maxPool" ? tf.maxPool(x, ksize, strides, pad) : tf.avgPool(x, ksize, strides, pad);
  const pooled = withInputGradient((input, save) => {
    if (kind === "maxPool") {
      const value = tf.maxPool(input, ksize, strides, pad);
      // The backward pass reads the input and its maxima: saved, or the forward's scope may free them.
      save([input, value]);
      return { value, gradFunc: (dy, [saved, y]) => maxPoolInputGradient(saved as tf.Tensor4D, y as tf.Tensor4D, dy, ksize, strides, pad) };
    }
    const value = tf.avgPool(input, ksize, strides, pad);
    const gradFunc = (dy: tf.Tensor4D) =>
      tf.tidy(() => {
        const [, height, width, channels] = x.shape;
        const counts = tf.depthwiseConv2d(tf.ones([1, height, width, 1]) as tf.Tensor4D, tf.ones([...ksize, 1, 1]) as tf.Tensor4D, strides, pad);
        return depthwiseInputGradient(tf.div(dy, counts), tf.ones([...ksize, channels, 1]) as tf.Tensor4D, x.shape, strides, pad, [1, 1]);
      });
    return { value, gradFunc };
  });
  return pooled(x);
}

/**
 * Max pooling's input gradient, one window tap at a time: the tap's value in every window (a strided
 * slice of x padded with −∞) where it equals the window's maximum y, and no earlier tap did (ties go
 * to the first, as in TensorFlow), receives dy, put back at the tap's offset.
 */
export function maxPoolInputGradient(x: tf.Tensor4D, y: tf.Tensor4D, dy: tf.Tensor4D, ksize: [number, number], strides: [number, number], pad: "same" | "valid"): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, , , channels] = x.shape;
    const info = tf.backend_util.computePool2DInfo(x.shape, ksize, strides, 1, pad);
    const { top, bottom, left, right } = info.padInfo;
    const padded = tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], -Infinity);
    const [, height, width] = padded.shape;
    const [rows, cols] = [(info.outHeight - 1) * strides[0] + 1, (info.outWidth - 1) * strides[1] + 1];
    let taken: tf.Tensor = tf.zerosLike(y);
    let dx: tf.Tensor = tf.zerosLike(padded);
    for (let i = 0; i < ksize[0]; i++) {
      for (let j = 0; j < ksize[1]; j++) {
        const tap = tf.stridedSlice(padded, [0, i, j, 0], [n, i + rows, j + cols, channels], [1, strides[0], strides[1], 1]);
        const hit = tf.mul(tf.cast(tf.equal(tap, y), "float32"), tf.sub(1, taken));
        taken = tf.add(taken, hit);
        const spreadBack = spread(spread(tf.mul(dy, hit) as tf.Tensor4D, 1, strides[0]), 2, strides[1]);
        dx = tf.add(dx, tf.pad(spreadBack, [[0, 0], [i, height - i - rows], [j, width - j - cols], [0, 0]]));
      }
    }
    return tf.slice(dx, [0, top, left, 0], x.shape) as tf.Tensor4D;
  });
}

/**
 * d Σ (depthwiseConv2d(x, filter) ⊙ dy) / dx. Each input position i receives Σ_t w[t]·dy[o] over
 * the taps with o·s + t·d − padBefore = i: dy with s − 1 zeros between its rows (and columns),
 * padded by (effective filter − 1 − padBefore) before, correlated with the flipped filter at
 * dilation d. A channel multiplier m > 1 is m depthwise channels per input channel, summed.
 */
export function depthwiseInputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D, xShape: number[], strides: [number, number], pad: ConvPad, dilations: [number, number]): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, height, width, channels] = xShape;
    const [kh, kw, , multiplier] = filter.shape;
    const info = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], filter.shape, strides, dilations, pad, undefined, true);
    let z = spread(spread(dy, 1, strides[0]), 2, strides[1]);
    z = padOrCrop(z, 1, info.effectiveFilterHeight - 1 - info.padInfo.top, height + info.padInfo.top - z.shape[1]);
    z = padOrCrop(z, 2, info.effectiveFilterWidth - 1 - info.padInfo.left, width + info.padInfo.left - z.shape[2]);
    const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, channels * multiplier, 1]) as tf.Tensor4D;
    const dx = tf.depthwiseConv2d(z, flipped, 1, "valid", "NHWC", dilations);
    return multiplier === 1 ? dx : (tf.sum(tf.reshape(dx, [n, height, width, channels, multiplier]), -1) as tf.Tensor4D);
  });
}

/** `t` with `stride − 1` zeros between consecutive entries along `axis`. */
function spread(t: tf.Tensor4D, axis: 1 | 2, stride: number): tf.Tensor4D {
  if (stride === 1) return t;
  const shape = t.shape;
  const paddings: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]];
  paddings[axis + 1] = [0, stride - 1];
  const widened = tf.pad(tf.expandDims(t, axis + 1), paddings);
  const merged = [...shape] as [number, number, number, number];
  merged[axis] = shape[axis] * stride;
  return tf.slice(tf.reshape(widened, merged) as tf.Tensor4D, [0, 0, 0, 0], shape.map((d, k) => (k === axis ? (d - 1) * stride + 1 : d)));
}

/** `t` padded with zeros along `axis` (a negative amount crops). */
function padOrCrop(t: tf.Tensor4D, axis: 1 | 2, before: number, after: number): tf.Tensor4D {
  const paddings: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0]];
  paddings[axis] = [Math.max(0, before), Math.max(0, after)];
  const padded = before > 0 || after > 0 ? tf.pad(t, paddings) : t;
  if (before >= 0 && after >= 0) return padded;
  const begin = [0, 0, 0, 0];
  begin[axis] = Math.max(0, -before);
  const size = [...padded.shape];
  size[axis] -= Math.max(0, -before) + Math.max(0, -after);
  return tf.slice(padded, begin, size);
}
