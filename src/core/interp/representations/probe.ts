// Linear probes with a control task (Hewitt & Liang 2019). A probe is a multinomial logistic
// regression from a layer's representation to a property, scored on held-out examples. High probe
// accuracy alone does not show the layer encodes the property: an expressive probe can learn a lot
// by itself. The control task gives every input TYPE (e.g. word identity) a random but consistent
// label drawn from the real label distribution; the same probe trained on it measures what the
// probe memorises. Selectivity = real-task accuracy − control-task accuracy (held-out).
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../../stats/rng";
import { InterpError, type Labels, labelArray } from "../activations";
import { type Matrix, type Representation, selectRows, toMatrix } from "./matrix";

export interface ProbeTrainingOptions {
  /**
   * L2 penalty λ on the weights (not the bias): the objective is mean cross-entropy + λ/2 · ‖W‖².
   * scikit-learn's LogisticRegression(C) minimises the same with λ = 1 / (C · n_train). Default 1e-3.
   */
  l2?: number;
  /** Optimisation steps (Adam, full batch unless `batchSize`). Default 500. */
  epochs?: number;
  /** Full batch: stop once no gradient component exceeds this. Default 1e-6. */
  tolerance?: number;
  /** Adam learning rate. Default 0.05. */
  learningRate?: number;
  /** Mini-batch size (shuffled with the seed each epoch). Default: the whole training set. */
  batchSize?: number;
  /** Seed of the train/test split, the control labels and the mini-batch order. Default 0. */
  seed?: number;
  /** Held-out fraction when no `split` is given. Default 0.25. */
  testFraction?: number;
  /** Explicit train/test example indices (overrides `testFraction`). */
  split?: { train: ArrayLike<number>; test: ArrayLike<number> };
  /** z-score features with the training set's mean and SD (population) first. Default true. */
  standardize?: boolean;
  /** Default max(label) + 1. */
  numClasses?: number;
}

/** A trained probe; `weights[feature][class]`, applied to standardised features. */
export interface Probe {
  trainAccuracy: number;
  testAccuracy: number;
  /** Fraction of test examples in the most frequent test class: the accuracy of always guessing it. */
  majorityBaseline: number;
  weights: number[][];
  bias: number[];
  /** The standardisation (identity when `standardize: false`). */
  featureMean: number[];
  featureScale: number[];
  train: number[];
  test: number[];
}

/** Trains a linear probe from `features` (n examples) to `labels` and scores it on a held-out split. */
export async function trainProbe(features: Representation, labels: Labels, options: ProbeTrainingOptions = {}): Promise<Probe> {
  const x = toMatrix(features, "features");
  const y = labelArray(labels, x.rows);
  const split = options.split ? { train: Array.from(options.split.train), test: Array.from(options.split.test) } : randomSplit(x.rows, options);
  return fit(x, y, split, options);
}

/** Class probabilities of a probe for new features, computed on the host in float64. */
export function probeProbabilities(probe: Probe, features: Representation): number[][] {
  const x = toMatrix(features, "features");
  const classes = probe.bias.length;
  return Array.from({ length: x.rows }, (_, i) => {
    const logits = probe.bias.slice();
    for (let j = 0; j < x.cols; j++) {
      const z = (x.data[i * x.cols + j] - probe.featureMean[j]) / probe.featureScale[j];
      for (let c = 0; c < classes; c++) logits[c] += z * probe.weights[j][c];
    }
    const max = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - max));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}

/**
 * Hewitt & Liang's control labels: each distinct type gets one label, drawn (seeded) from the
 * empirical distribution of the real labels, so the control task has the same label frequencies
 * but says nothing about the representation.
 */
export function controlTaskLabels(types: ArrayLike<number | string>, labels: Labels, seed = 0): Int32Array {
  const y = labelArray(labels, types.length);
  const rng = createRng(seed);
  const assigned = new Map<number | string, number>();
  return Int32Array.from({ length: y.length }, (_, i) => {
    let label = assigned.get(types[i]);
    if (label === undefined) assigned.set(types[i], (label = y[rng.int(y.length)]));
    return label;
  });
}

export interface ProbeWithControl {
  task: Probe;
  control: Probe;
  /** task.testAccuracy − control.testAccuracy (Hewitt & Liang). */
  selectivity: number;
}

/**
 * The probe on the real labels and the same probe (same split, same settings) on the control
 * task. `types`: the input type of each example (word, image id, ...); default: every example its
 * own type, so the control task is random labels and held-out control accuracy sits at chance.
 */
export async function probeWithControl(
  features: Representation,
  labels: Labels,
  options: ProbeTrainingOptions & { types?: ArrayLike<number | string> } = {},
): Promise<ProbeWithControl> {
  const x = toMatrix(features, "features");
  const y = labelArray(labels, x.rows);
  const split = options.split ? { train: Array.from(options.split.train), test: Array.from(options.split.test) } : randomSplit(x.rows, options);
  const types = options.types ?? Array.from({ length: x.rows }, (_, i) => i);
  if (types.length !== x.rows) throw new InterpError("shape-mismatch", `${types.length} types for ${x.rows} examples`);
  const classes = options.numClasses ?? Math.max(...y) + 1;
  const task = await fit(x, y, split, { ...options, numClasses: classes });
  const control = await fit(x, controlTaskLabels(types, y, (options.seed ?? 0) + 1), split, { ...options, numClasses: classes });
  return { task, control, selectivity: task.testAccuracy - control.testAccuracy };
}

function randomSplit(n: number, options: ProbeTrainingOptions): { train: number[]; test: number[] } {
  const fraction = options.testFraction ?? 0.25;
  if (!(fraction > 0 && fraction < 1)) throw new InterpError("invalid-input", `testFraction must be in (0, 1), got ${fraction}`);
  const order = Array.from(createRng(options.seed ?? 0).permutation(n));
  const nTest = Math.round(n * fraction);
  if (nTest < 1 || nTest >= n) throw new InterpError("invalid-input", `${n} examples cannot be split into train and test with testFraction ${fraction}`);
  return { train: order.slice(nTest), test: order.slice(0, nTest) };
}

async function fit(x: Matrix, y: Int32Array, split: { train: number[]; test: number[] }, options: ProbeTrainingOptions): Promise<Probe> {
  const classes = options.numClasses ?? Math.max(...y) + 1;
  const l2 = options.l2 ?? 1e-3;
  const epochs = options.epochs ?? 500;
  const tolerance = options.tolerance ?? 1e-6;
  for (const i of [...split.train, ...split.test]) {
    if (!(Number.isInteger(i) && i >= 0 && i < x.rows)) throw new InterpError("invalid-input", `split index ${i} is not an example index (0..${x.rows - 1})`);
  }
  const outside = y.findIndex((label) => label >= classes);
  if (outside >= 0) throw new InterpError("invalid-input", `label ${y[outside]} of example ${outside} is not below numClasses = ${classes}`);
  if (split.train.length === 0 || split.test.length === 0) throw new InterpError("invalid-input", "the split needs at least one training and one test example");
  const train = selectRows(x, split.train);
  const { mean, scale } = standardisation(train, options.standardize ?? true);
  const rng = createRng((options.seed ?? 0) + 2);
  // Zero start: the objective is convex, so the fit is deterministic and needs no random init.
  const W = tf.tidy(() => tf.variable(tf.zeros([x.cols, classes])));
  const b = tf.tidy(() => tf.variable(tf.zeros([classes])));
  const optimizer = tf.train.adam(options.learningRate ?? 0.05);
  try {
    const xTrain = tf.tidy(() => standardised(train, mean, scale));
    const yTrain = tf.tidy(() => tf.oneHot(tf.tensor1d(split.train.map((i) => y[i]), "int32"), classes).toFloat());
    const nTrain = split.train.length;
    const batchSize = Math.min(options.batchSize ?? nTrain, nTrain);
    // The gradient of mean cross-entropy + λ/2‖W‖² in closed form (Xᵀ(P − Y)/n + λW, mean(P − Y)):
    // cheaper than autodiff for a model this small, where per-op overhead dominates.
    const step = (xs: tf.Tensor, ys: tf.Tensor): tf.Scalar =>
      tf.tidy(() => {
        const residual = tf.softmax(xs.matMul(W).add(b)).sub(ys).div(xs.shape[0]);
        const gW = xs.matMul(residual, true, false).add(W.mul(l2));
        const gb = residual.sum(0);
        optimizer.applyGradients([{ name: W.name, tensor: gW }, { name: b.name, tensor: gb }]);
        return tf.maximum(gW.abs().max(), gb.abs().max()) as tf.Scalar;
      });
    for (let epoch = 0; epoch < epochs; epoch++) {
      if (batchSize === nTrain) {
        const largest = step(xTrain, yTrain);
        // Converged (every gradient component below `tolerance`): stop early. Checked every 25 steps
        // because reading the value back synchronises with the backend.
        const done = epoch % 25 === 24 && largest.dataSync()[0] < tolerance;
        largest.dispose();
        if (done) break;
        continue;
      }
      const order = rng.permutation(nTrain);
      for (let start = 0; start < nTrain; start += batchSize) {
        tf.tidy(() => {
          const rows = tf.tensor1d(order.subarray(start, start + batchSize), "int32");
          step(xTrain.gather(rows), yTrain.gather(rows));
        });
      }
    }
    tf.dispose([xTrain, yTrain]);
    const probe: Probe = {
      trainAccuracy: 0,
      testAccuracy: 0,
      majorityBaseline: majority(split.test.map((i) => y[i]), classes),
      weights: W.arraySync() as number[][],
      bias: b.arraySync() as number[],
      featureMean: Array.from(mean),
      featureScale: Array.from(scale),
      train: split.train,
      test: split.test,
    };
    probe.trainAccuracy = accuracy(probeProbabilities(probe, train), split.train.map((i) => y[i]));
    probe.testAccuracy = accuracy(probeProbabilities(probe, selectRows(x, split.test)), split.test.map((i) => y[i]));
    return probe;
  } finally {
    tf.dispose([W, b]);
    optimizer.dispose();
  }
}

function standardisation(m: Matrix, on: boolean): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(m.cols), scale = new Float64Array(m.cols).fill(1);
  if (!on) return { mean, scale };
  for (let j = 0; j < m.cols; j++) {
    let s = 0;
    for (let i = 0; i < m.rows; i++) s += m.data[i * m.cols + j];
    mean[j] = s / m.rows;
    let ss = 0;
    for (let i = 0; i < m.rows; i++) ss += (m.data[i * m.cols + j] - mean[j]) ** 2;
    // A constant feature stays 0 after centering; dividing by 1 keeps it finite.
    scale[j] = Math.sqrt(ss / m.rows) || 1;
  }
  return { mean, scale };
}

function standardised(m: Matrix, mean: Float64Array, scale: Float64Array): tf.Tensor2D {
  const out = new Float32Array(m.data.length);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[i * m.cols + j] = (m.data[i * m.cols + j] - mean[j]) / scale[j];
  return tf.tensor2d(out, [m.rows, m.cols]);
}

function accuracy(probabilities: number[][], labels: number[]): number {
  let hits = 0;
  probabilities.forEach((p, i) => (hits += p.indexOf(Math.max(...p)) === labels[i] ? 1 : 0));
  return hits / labels.length;
}

function majority(labels: number[], classes: number): number {
  const counts = new Array<number>(classes).fill(0);
  for (const l of labels) counts[l]++;
  return Math.max(...counts) / labels.length;
}
