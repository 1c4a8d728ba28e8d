// Feature visualisation (Olah et al. 2017): the input a unit (or a direction of a layer's unit
// space) responds to most, synthesised by gradient ascent from seeded noise. The score maximised is
// the one topExemplars ranks natural images by: the unit's activation (dense) or its spatial mean
// (conv maps), projected on a unit-norm direction; so synthetic and natural exemplars are on one scale.
// A graph model's node (named by string) is scored the way attribution scores a named output
// (scoredModel): model.execute on tfjs-node, the node's ops one by one elsewhere; tf.grad takes both.
//
// Per image b the objective is
//   J(x) = score(T(x)) − l2 · Σ (x − c)² − totalVariation · Σ |x[i+1,j] − x[i,j]| + |x[i,j+1] − x[i,j]|
// with c the middle of the pixel range (0 without one) and T a random transformation each step:
// a shift of up to `jitter` pixels (wrapping round), and with `transformRobustness` a random scale,
// averaged over several transformed copies (an expectation over transformations). Adam ascends J;
// pixels are clipped to `range`; every few steps the image is blurred (Yosinski et al. 2015's
// regulariser). Every unit (and every random direction of the baseline) is one image of one batch.
//
// The control: the same optimisation of `randomDirections` random unit-norm directions of the layer.
// A unit's synthetic image reaching an activation random directions reach as well says little about
// the unit; the activations of natural images (topExemplars) are the other yardstick.
import * as tf from "@tensorflow/tfjs";
import { type Task, withTask } from "../progress";
import { createRng, type Rng } from "../stats/rng";
import { activationModel, InterpError, type LayerRef, reduceSpatial, resolveGraphNode, resolveLayer } from "./activations";
import { scoredModel } from "./attribution/scores";
import { gaussianBlur } from "./faithfulness/blur";

export interface FeatureVisualizationOptions {
  layer: LayerRef;
  /** The unit(s) (channels) to visualise, one image each; a unit given twice gets two images from different noise. */
  unit?: number | readonly number[];
  /** Or directions over the layer's units (one, or several), e.g. a CAV or a negated unit to find what it dislikes. */
  direction?: readonly number[] | readonly (readonly number[])[];
  /** Gradient steps. Default 256. */
  steps?: number;
  /** Adam's step size, as a fraction of the pixel range (of 1 without a range). Default 0.05. */
  learningRate?: number;
  regularizers?: FeatureRegularizers;
  /** Average each step over randomly scaled (and jittered) copies of the image. Default off; `true` = the defaults below. */
  transformRobustness?: boolean | TransformRobustness;
  /** The pixel range images stay in; `null` for none. Default [0, 1]. */
  range?: readonly [number, number] | null;
  /** Random directions optimised the same way, as the baseline. Default 4. */
  randomDirections?: number;
  seed?: number;
}

export interface FeatureRegularizers {
  /** Weight of Σ (x − c)², c the middle of the range. Default 0. */
  l2?: number;
  /** Weight of the (anisotropic, L1) total variation. Default 0. */
  totalVariation?: number;
  /** Largest random shift, in pixels, applied before each step. Default 1. */
  jitter?: number;
  /** Gaussian blur of the image every `every` (4) steps, with this sigma in pixels; 0 or absent: none. */
  blur?: number | { sigma: number; every?: number };
}

export interface TransformRobustness {
  /** Transformed copies per step. Default 4. */
  samples?: number;
  /** Scale factors drawn uniformly from this interval. Default [0.9, 1.1]. */
  scale?: readonly [number, number];
}

export interface VisualizedFeature {
  /** The unit, when one was asked for (not for a direction). */
  unit?: number;
  /** The unit-norm direction whose score was maximised. */
  direction: number[];
  /** The synthesised image, row-major in the model's input shape without the batch axis. */
  image: Float32Array;
  /** The final image's score (untransformed). */
  activation: number;
  /** The score before each step (mean over that step's transformed copies). */
  trace: number[];
}

export interface FeatureVisualization {
  layer: string;
  /** The shape of each image, e.g. [8, 8, 1]. */
  shape: number[];
  features: VisualizedFeature[];
  /** The baseline: random directions of the layer, optimised with the same settings. */
  random: VisualizedFeature[];
  settings: { steps: number; learningRate: number; l2: number; totalVariation: number; jitter: number; blur: { sigma: number; every: number }; samples: number; scale: [number, number]; range: [number, number] | null; seed: number };
}

const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/**
 * Synthesises, for each unit or direction of `layer`, the image that maximises it (plus the
 * random-direction baseline). A graph model's `layer` is a node name.
 */
export async function featureVisualization(model: tf.LayersModel | tf.GraphModel, options: FeatureVisualizationOptions): Promise<FeatureVisualization> {
  const { name, scores, inputShape } = model instanceof tf.GraphModel ? nodeScores(model, options.layer) : layerScores(model, options.layer);
  if (model.inputs.length !== 1 || !inputShape || inputShape.slice(1).some((d) => d === null)) {
    throw new InterpError("invalid-input", `feature visualisation needs one input of fixed shape; the model's is [${(inputShape ?? []).map((d) => d ?? "n").join(", ")}]`);
  }
  const shape = inputShape.slice(1) as number[];
  const [, units, ...more] = tf.tidy(() => scores(tf.zeros([1, ...shape])).shape);
  if (units === undefined || more.length > 0) throw new InterpError("invalid-input", `${name} has no unit axis to visualise: ${units === undefined ? "one value" : "several axes"} per image`);
  const settings = settingsOf(options);
  const asked = requested(options, units);
  const rng = createRng(settings.seed);
  const randomRng = rng.fork("random directions");
  const random = Array.from({ length: options.randomDirections ?? 4 }, () => normalised(Array.from({ length: units }, () => randomRng.normal()), "a random direction"));
  const directions = [...asked.map((a) => a.direction), ...random];
  const result = await withTask("featureVisualization", settings.steps, "steps", (task) => ascend(scores, shape, directions, settings, rng.fork("noise and transforms"), task));
  const features = result.map((r, i) => (i < asked.length && asked[i].unit !== undefined ? { unit: asked[i].unit, ...r } : r));
  return { layer: name, shape, features: features.slice(0, asked.length), random: features.slice(asked.length), settings };
}

/**
 * Each image's penalty, l2 · Σ (x − centre)² + totalVariation · TV(x), as a [batch] tensor: what the
 * ascent subtracts from the score (exported so its gradient can be checked on its own).
 */
export function featurePenalty(x: tf.Tensor4D, weights: { l2?: number; totalVariation?: number; centre?: number }): tf.Tensor1D {
  return tf.tidy(() => {
    let penalty: tf.Tensor1D = tf.zeros([x.shape[0]]);
    if (weights.l2) penalty = tf.add(penalty, tf.mul(weights.l2, tf.sum(tf.square(tf.sub(x, weights.centre ?? 0)), [1, 2, 3])));
    if (weights.totalVariation) {
      const [, h, w] = x.shape;
      const down = tf.sum(tf.abs(tf.sub(tf.slice(x, [0, 1, 0, 0], [-1, h - 1, -1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, h - 1, -1, -1]))), [1, 2, 3]);
      const right = tf.sum(tf.abs(tf.sub(tf.slice(x, [0, 0, 1, 0], [-1, -1, w - 1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, -1, w - 1, -1]))), [1, 2, 3]);
      penalty = tf.add(penalty, tf.mul(weights.totalVariation, tf.add(down, right)));
    }
    return penalty;
  });
}

/**
 * The n×n matrix that scales a length-n signal about its centre by `factor` with linear
 * interpolation (edges clamped): a scale that is two matrix products, differentiable on every backend.
 */
export function scaleMatrix(n: number, factor: number): Float32Array {
  const m = new Float32Array(n * n);
  const centre = (n - 1) / 2;
  for (let i = 0; i < n; i++) {
    const at = Math.min(n - 1, Math.max(0, centre + (i - centre) / factor));
    const low = Math.floor(at), frac = at - low;
    m[i * n + low] += 1 - frac;
    if (frac > 0) m[i * n + low + 1] += frac;
  }
  return m;
}

/** Unit scores [batch, units] (a conv map's spatial mean per channel), differentiable by tf.grad, with the model's input shape (batch first, null = any). */
interface UnitScores {
  name: string;
  scores: (x: tf.Tensor) => tf.Tensor;
  inputShape?: readonly (number | null)[];
}

function layerScores(model: tf.LayersModel, ref: LayerRef): UnitScores {
  const layer = resolveLayer(model, ref);
  const upTo = activationModel(model, layer);
  return { name: layer.name, scores: (x) => reduceSpatial(upTo.apply(x) as tf.Tensor, "spatial-mean"), inputShape: model.inputs[0].shape };
}

function nodeScores(model: tf.GraphModel, ref: LayerRef): UnitScores {
  const node = resolveGraphNode(model, ref);
  const scored = scoredModel(model, node);
  return { name: node, scores: scored.scores, inputShape: scored.inputShape };
}

type Settings = FeatureVisualization["settings"];

function settingsOf(options: FeatureVisualizationOptions): Settings {
  const r = options.regularizers ?? {};
  const blur = typeof r.blur === "number" ? { sigma: r.blur, every: 4 } : { sigma: r.blur?.sigma ?? 0, every: r.blur?.every ?? 4 };
  const robust = options.transformRobustness === true ? {} : options.transformRobustness || undefined;
  const range = options.range === undefined ? ([0, 1] as [number, number]) : options.range === null ? null : ([options.range[0], options.range[1]] as [number, number]);
  const settings: Settings = {
    steps: options.steps ?? 256,
    learningRate: options.learningRate ?? 0.05,
    l2: r.l2 ?? 0,
    totalVariation: r.totalVariation ?? 0,
    jitter: r.jitter ?? 1,
    blur,
    samples: robust ? (robust.samples ?? 4) : 1,
    scale: robust ? [robust.scale?.[0] ?? 0.9, robust.scale?.[1] ?? 1.1] : [1, 1],
    range,
    seed: options.seed ?? 0,
  };
  const bad = (what: string, value: unknown) => new InterpError("invalid-input", `${what} must be ${value}`);
  if (!(Number.isInteger(settings.steps) && settings.steps >= 1)) throw bad("steps", `a positive integer, got ${settings.steps}`);
  if (!(settings.learningRate > 0)) throw bad("learningRate", `> 0, got ${settings.learningRate}`);
  if (!(settings.l2 >= 0 && settings.totalVariation >= 0 && blur.sigma >= 0)) throw bad("the regularizers' weights and the blur's sigma", "≥ 0");
  if (!(Number.isInteger(settings.jitter) && settings.jitter >= 0)) throw bad("jitter", `a whole number of pixels ≥ 0, got ${settings.jitter}`);
  if (!(Number.isInteger(blur.every) && blur.every >= 1)) throw bad("blur.every", `a positive integer, got ${blur.every}`);
  if (!(Number.isInteger(settings.samples) && settings.samples >= 1)) throw bad("transformRobustness.samples", `a positive integer, got ${settings.samples}`);
  if (!(settings.scale[0] > 0 && settings.scale[0] <= settings.scale[1])) throw bad("transformRobustness.scale", `an interval [low, high] with 0 < low ≤ high, got [${settings.scale.join(", ")}]`);
  if (range && !(range[0] < range[1])) throw bad("range", `[low, high] with low < high, got [${range.join(", ")}]`);
  return settings;
}

function requested(options: FeatureVisualizationOptions, units: number): { unit?: number; direction: number[] }[] {
  if ((options.unit === undefined) === (options.direction === undefined)) throw new InterpError("invalid-input", "give either unit (one index or several) or direction (one vector over the layer's units, or several)");
  if (options.unit !== undefined) {
    const list = typeof options.unit === "number" ? [options.unit] : [...options.unit];
    return list.map((unit) => {
      if (!(Number.isInteger(unit) && unit >= 0 && unit < units)) throw new InterpError("invalid-input", `unit ${unit} is outside 0..${units - 1}`);
      return { unit, direction: Array.from({ length: units }, (_, j) => (j === unit ? 1 : 0)) };
    });
  }
  const given = options.direction!;
  const list = (given.length > 0 && Array.isArray(given[0]) ? given : [given]) as readonly (readonly number[])[];
  if (list.length === 0) throw new InterpError("invalid-input", "direction is empty");
  return list.map((d, i) => {
    if (d.length !== units) throw new InterpError("shape-mismatch", `direction ${i} has ${d.length} values; the layer has ${units} units`);
    return { direction: normalised([...d], `direction ${i}`) };
  });
}

function normalised(v: number[], what: string): number[] {
  const norm = Math.hypot(...v);
  if (!(norm > 0 && Number.isFinite(norm))) throw new InterpError("invalid-input", `${what} is zero or not finite`);
  return v.map((x) => x / norm);
}

async function ascend(unitScores: (x: tf.Tensor) => tf.Tensor, shape: number[], directions: number[][], s: Settings, rng: Rng, task: Task): Promise<Omit<VisualizedFeature, "unit">[]> {
  if (shape.length !== 3) throw new InterpError("invalid-input", `feature visualisation works on image inputs [height, width, channels]; the model's input is [${shape.join(", ")}]`);
  const [h, w, c] = shape;
  const batch = directions.length;
  const centre = s.range ? (s.range[0] + s.range[1]) / 2 : 0;
  const width = s.range ? s.range[1] - s.range[0] : 1;
  const lr = s.learningRate * width;
  const noise = Float32Array.from({ length: batch * h * w * c }, () => centre + 0.01 * width * rng.normal());
  let x = tf.tensor4d(noise, [batch, h, w, c]);
  let m = tf.zerosLike(x), v = tf.zerosLike(x);
  const d = tf.tensor2d(directions.flat(), [batch, directions[0].length]);
  const score = (images: tf.Tensor4D, copies: number) => {
    return tf.sum(tf.mul(unitScores(images), tf.tile(d, [copies, 1])), 1); // [copies · batch]
  };
  const traces = directions.map(() => [] as number[]);
  try {
    for (let step = 1; step <= s.steps; step++) {
      task.check();
      const transforms = Array.from({ length: s.samples }, () => ({
        dy: s.jitter ? rng.int(2 * s.jitter + 1) - s.jitter : 0,
        dx: s.jitter ? rng.int(2 * s.jitter + 1) - s.jitter : 0,
        scale: s.scale[0] === s.scale[1] ? s.scale[0] : s.scale[0] + (s.scale[1] - s.scale[0]) * rng.next(),
      }));
      let scores: tf.Tensor1D | undefined;
      const next = tf.tidy(() => {
        const objective = (input: tf.Tensor) => {
          const image = input as tf.Tensor4D;
          const copies = tf.concat(transforms.map((t) => transform(image, t)));
          const perCopy = score(copies, transforms.length);
          scores = tf.keep(tf.mean(tf.reshape(perCopy, [transforms.length, batch]), 0) as tf.Tensor1D);
          return tf.sub(tf.sum(scores), tf.sum(featurePenalty(image, { l2: s.l2, totalVariation: s.totalVariation, centre })));
        };
        const g = tf.grad(objective)(x) as tf.Tensor4D;
        const m1 = tf.add(tf.mul(ADAM.beta1, m), tf.mul(1 - ADAM.beta1, g)) as tf.Tensor4D;
        const v1 = tf.add(tf.mul(ADAM.beta2, v), tf.mul(1 - ADAM.beta2, tf.square(g))) as tf.Tensor4D;
        const stepSize = (lr * Math.sqrt(1 - ADAM.beta2 ** step)) / (1 - ADAM.beta1 ** step);
        let x1 = tf.add(x, tf.mul(stepSize, tf.div(m1, tf.add(tf.sqrt(v1), ADAM.epsilon)))) as tf.Tensor4D;
        if (s.blur.sigma > 0 && step % s.blur.every === 0) x1 = gaussianBlur(x1, s.blur.sigma);
        if (s.range) x1 = tf.clipByValue(x1, s.range[0], s.range[1]);
        return { x1, m1, v1 };
      });
      tf.dispose([x, m, v]);
      ({ x1: x, m1: m, v1: v } = next);
      const values = await scores!.data();
      scores!.dispose();
      values.forEach((value, b) => traces[b].push(value));
      task.advance();
      // Lets the kernel see an interrupt and send the progress between steps.
      await tf.nextFrame();
    }
    const final = tf.tidy(() => score(x, 1));
    const activations = await final.data();
    final.dispose();
    const images = await x.data();
    const size = h * w * c;
    return directions.map((direction, b) => ({ direction, image: images.slice(b * size, (b + 1) * size) as Float32Array, activation: activations[b], trace: traces[b] }));
  } finally {
    tf.dispose([x, m, v, d]);
  }
}

/** Shifts the batch by (dy, dx) pixels, wrapping round, then scales it about the centre. */
function transform(x: tf.Tensor4D, t: { dy: number; dx: number; scale: number }): tf.Tensor4D {
  const [, h, w] = x.shape;
  let y = roll(roll(x, t.dy, 1), t.dx, 2);
  if (t.scale !== 1) {
    // [b, h, w, c] → rows: A_h · y over axis 1, then columns: over axis 2.
    const alongAxis = (input: tf.Tensor4D, axis: 1 | 2, n: number): tf.Tensor4D => {
      const moved = tf.transpose(input, axis === 1 ? [1, 0, 2, 3] : [2, 0, 1, 3]);
      const scaled = tf.matMul(tf.tensor2d(scaleMatrix(n, t.scale), [n, n]), tf.reshape(moved, [n, -1]));
      return tf.transpose(tf.reshape(scaled, moved.shape), axis === 1 ? [1, 0, 2, 3] : [1, 2, 0, 3]) as tf.Tensor4D;
    };
    y = alongAxis(alongAxis(y, 1, h), 2, w);
  }
  return y;
}

function roll(x: tf.Tensor4D, shift: number, axis: 1 | 2): tf.Tensor4D {
  const n = x.shape[axis];
  const k = ((shift % n) + n) % n;
  if (k === 0) return x;
  const begin = (at: number): [number, number, number, number] => (axis === 1 ? [0, at, 0, 0] : [0, 0, at, 0]);
  const size = (len: number): [number, number, number, number] => (axis === 1 ? [-1, len, -1, -1] : [-1, -1, len, -1]);
  return tf.concat([tf.slice(x, begin(n - k), size(k)), tf.slice(x, begin(0), size(n - k))], axis);
}
