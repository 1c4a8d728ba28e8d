// The one tfjs layer class for ONNX ops that no built-in tfjs layer computes exactly (grouped
// convolutions, explicit pool padding, a constant operand, ...): a named kernel of plain tfjs ops
// with JSON parameters and its constants as layer weights. Being a registered, serialisable layer,
// an imported model saves, clones (randomizedCopy) and differentiates like any tfjs layers model.
import * as tf from "@tensorflow/tfjs";

type Params = Record<string, unknown>;
type Pads2 = [[number, number], [number, number]];

interface Kernel {
  (inputs: tf.Tensor[], weights: tf.Tensor[], params: Params): tf.Tensor;
}

/** Explicit NHWC padding from [[top, bottom], [left, right]]. */
const explicit = (pads: Pads2): [[number, number], [number, number], [number, number], [number, number]] => [[0, 0], pads[0], pads[1], [0, 0]];

/** A [kh, kw, in, out] kernel with d − 1 zeros between neighbouring taps along each spatial axis. */
function dilate(kernel: tf.Tensor, [dh, dw]: [number, number]): tf.Tensor {
  const spread = (k: tf.Tensor, axis: 0 | 1, d: number): tf.Tensor => {
    if (d === 1) return k;
    const n = k.shape[axis]!;
    const withGaps = tf.stack([k, ...Array.from({ length: d - 1 }, () => tf.zerosLike(k))], axis + 1);
    const shape = [...k.shape];
    shape[axis] = n * d;
    return tf.slice(tf.reshape(withGaps, shape), [0, 0, 0, 0], axis === 0 ? [(n - 1) * d + 1, -1, -1, -1] : [-1, (n - 1) * d + 1, -1, -1]);
  };
  return spread(spread(kernel, 0, dh), 1, dw);
}

const BINARY: Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = { Add: tf.add, Sub: tf.sub, Mul: tf.mul, Div: tf.div };

/** Every kernel takes inputs in their physical (tfjs) layout; the converter maps axes and constants to it. */
export const KERNELS: Record<string, Kernel> = {
  /**
   * Convolution with channel groups (kernel [kh, kw, in/groups, out]) and dilations. Padding is a
   * pad op before a "valid" convolution, and a dilated kernel is the kernel with zeros between its
   * taps: tfjs differentiates neither explicit padding (tfjs-node) nor dilations.
   */
  groupedConv([x], [kernel, bias], p) {
    const groups = p.groups as number;
    const inPer = x.shape[3]! / groups, outPer = kernel.shape[3]! / groups;
    const padded = tf.pad(x, explicit(p.pads as Pads2));
    const dilated = dilate(kernel, p.dilations as [number, number]);
    const parts = Array.from({ length: groups }, (_, g) =>
      tf.conv2d(
        tf.slice(padded, [0, 0, 0, g * inPer], [-1, -1, -1, inPer]) as tf.Tensor4D,
        tf.slice(dilated, [0, 0, 0, g * outPer], [-1, -1, -1, outPer]) as tf.Tensor4D,
        p.strides as [number, number], "valid",
      ),
    );
    const y = groups === 1 ? parts[0] : tf.concat(parts, 3);
    return bias ? tf.add(y, bias) : y;
  },
  /** Transposed convolution (kernel [kh, kw, out, in]): the full output, padded by outputPadding at the end, then cropped by pads. */
  convTranspose([x], [kernel, bias], p) {
    const [s0, s1] = p.strides as [number, number];
    const [kh, kw] = kernel.shape;
    const [n, h, w] = x.shape;
    const full = tf.conv2dTranspose(x as tf.Tensor4D, kernel as tf.Tensor4D, [n, (h! - 1) * s0 + kh, (w! - 1) * s1 + kw, kernel.shape[2]!], [s0, s1], "valid");
    const [op0, op1] = p.outputPadding as [number, number];
    const [t, l, b, r] = p.pads as number[];
    const padded = op0 || op1 ? tf.pad(full, [[0, 0], [0, op0], [0, op1], [0, 0]]) : full;
    const y = tf.slice(padded, [0, t, l, 0], [-1, padded.shape[1]! - t - b, padded.shape[2]! - l - r, -1]);
    return bias ? tf.add(y, bias) : y;
  },
  /** Max pooling where the padding is never the maximum (-∞). */
  maxPool([x], _, p) {
    const pads = p.pads as Pads2;
    return tf.maxPool(tf.pad(x, explicit(pads), -Infinity) as tf.Tensor4D, p.kernel as [number, number], p.strides as [number, number], "valid");
  },
  /** Average pooling over the input values only (ONNX count_include_pad = 0): window sums over zero padding / valid counts. */
  avgPool([x], _, p) {
    const pads = explicit(p.pads as Pads2);
    const k = p.kernel as [number, number], s = p.strides as [number, number];
    const sums = tf.avgPool(tf.pad(x, pads) as tf.Tensor4D, k, s, "valid");
    const counts = tf.avgPool(tf.pad(tf.ones([1, x.shape[1]!, x.shape[2]!, 1]), pads) as tf.Tensor4D, k, s, "valid");
    return tf.div(sums, counts);
  },
  /** Add/Sub/Mul/Div of two inputs, or of one input and a constant (a weight, or `scalar`), `constFirst` for c − x and c / x. */
  binary(inputs, weights, p) {
    const op = BINARY[p.op as string];
    if (inputs.length === 2) return op(inputs[0], inputs[1]);
    const c = weights[0] ?? tf.scalar(p.scalar as number);
    return p.constFirst ? op(c, inputs[0]) : op(inputs[0], c);
  },
  clip: ([x], _, p) => tf.clipByValue(x, (p.min as number | null) ?? -Infinity, (p.max as number | null) ?? Infinity),
  logSoftmax: ([x], _, p) => tf.logSoftmax(x, p.axis as number),
  matMul: ([a, b]) => tf.matMul(a, b),
  mean: ([x], _, p) => tf.mean(x, p.axes as number[], p.keepDims as boolean),
  pad: ([x], _, p) => tf.pad(x, p.paddings as [number, number][], p.value as number),
  gather: ([x], _, p) => tf.gather(x, tf.tensor(p.indices as number[], p.indicesShape as number[], "int32"), p.axis as number),
  /** A slice with steps: tf.slice then every step-th index (tfjs has no gradient for stridedSlice). */
  slice([x], _, p) {
    const begin = p.begin as number[], strides = p.strides as number[];
    const end = (p.end as number[]).map((e, i) => Math.min(e, x.shape[i]!));
    let y = tf.slice(x, begin, end.map((e, i) => Math.max(0, e - begin[i])));
    strides.forEach((step, axis) => {
      if (step > 1) y = tf.gather(y, tf.range(0, y.shape[axis]!, step, "int32"), axis);
    });
    return y;
  },
};

export interface OnnxOpConfig {
  /** A key of KERNELS. */
  kernel: string;
  params: Params;
  /** Names and shapes of the constants, in the order the kernel reads them. */
  weightSpecs: { name: string; shape: number[] }[];
  name?: string;
}

/** A tfjs layer computing one ONNX node by a kernel of KERNELS. */
export class OnnxOp extends tf.layers.Layer {
  static readonly className = "FalsifyOnnxOp";
  readonly kernel: string;
  readonly params: Params;
  readonly weightSpecs: OnnxOpConfig["weightSpecs"];

  constructor(config: OnnxOpConfig) {
    super({ name: config.name });
    if (!(config.kernel in KERNELS)) throw new Error(`unknown ONNX kernel ${config.kernel}`);
    this.kernel = config.kernel;
    this.params = config.params;
    this.weightSpecs = config.weightSpecs;
  }

  override build(): void {
    for (const spec of this.weightSpecs) this.addWeight(spec.name, spec.shape, "float32", tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => KERNELS[this.kernel](Array.isArray(inputs) ? inputs : [inputs], this.weights.map((w) => w.read()), this.params));
  }

  /** The output shape, found by running the kernel on zeros with a batch of 1 (the converter knows every other size). */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as tf.Shape[];
    const shape = tf.tidy(() => {
      const zeros = shapes.map((s) => tf.zeros(s.map((d) => d ?? 1)));
      const weights = this.weightSpecs.map((spec) => tf.zeros(spec.shape));
      return KERNELS[this.kernel](zeros, weights, this.params).shape;
    });
    return [null, ...shape.slice(1)];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), kernel: this.kernel, params: this.params as tf.serialization.ConfigDict, weightSpecs: this.weightSpecs as unknown as tf.serialization.ConfigDictArray };
  }
}
tf.serialization.registerClass(OnnxOp);
