// Testing with Concept Activation Vectors (Kim et al. 2018). A CAV is the normal of a linear
// classifier separating a concept's activations from random examples' at one layer; the TCAV
// score of a class is the fraction of its inputs whose class logit increases along the CAV
// (positive directional derivative). A score alone means little: random-vs-random CAVs give scores
// too, so TCAV trains one CAV per random set, compares the concept's scores with scores of CAVs
// between random sets, and reports a two-sided Student t-test of the two (as Kim et al.'s code).
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../../stats/rng";
import { studentTTest, type TTestResult } from "../../stats/t-test";
import { checkBatchSize, InterpError, type LayerRef, layerActivations, resolveLayer } from "../activations";
import { splitAt } from "../ablation/head";
import { type Representation, selectRows, toMatrix } from "./matrix";
import { type ProbeTrainingOptions, trainProbe } from "./probe";

/** Options of the linear classifier behind a CAV (a probe: L2 logistic regression, seeded split). */
export type CavOptions = Pick<ProbeTrainingOptions, "l2" | "epochs" | "learningRate" | "seed" | "testFraction">;

export interface Cav {
  /** Unit vector in the layer's (flattened) activation space, pointing from random to concept. */
  vector: number[];
  /** Held-out accuracy of the concept-vs-random classifier (a CAV near 0.5 is not a concept). */
  accuracy: number;
}

/** The CAV separating `concept` activations from `random` ones (rows = examples, same width). */
export async function conceptActivationVector(concept: Representation, random: Representation, options: CavOptions = {}): Promise<Cav> {
  const a = toMatrix(concept, "concept"), b = toMatrix(random, "random");
  if (a.cols !== b.cols) throw new InterpError("shape-mismatch", `concept activations have ${a.cols} values per example, random ones ${b.cols}`);
  const data = new Float64Array((a.rows + b.rows) * a.cols);
  data.set(a.data);
  data.set(b.data, a.data.length);
  const labels = Array.from({ length: a.rows + b.rows }, (_, i) => (i < a.rows ? 1 : 0));
  const probe = await trainProbe({ data, rows: a.rows + b.rows, cols: a.cols }, labels, { ...options, numClasses: 2 });
  // The probe works on standardised features; map its normal back to the activation space.
  const vector = probe.weights.map((w, j) => (w[1] - w[0]) / probe.featureScale[j]);
  const norm = Math.hypot(...vector);
  if (!(norm > 0)) throw new InterpError("invalid-input", "the concept and random activations could not be separated at all (zero CAV); check the layer and the examples");
  return { vector: vector.map((v) => v / norm), accuracy: probe.testAccuracy };
}

export interface DirectionalDerivativeOptions {
  layer: LayerRef;
  /** The output (class) whose logit is differentiated. */
  classIndex: number;
  /** Differentiate the logit (drop a final softmax). Default true, as in Kim et al. */
  logits?: boolean;
  /** Default 128. */
  batchSize?: number;
}

/**
 * ∇ₕ f_k(h(x)) for each input, flattened: [inputs × layer size] on the host. Compute it once and
 * score many CAVs against it with `tcavScore`.
 */
export async function layerGradients(model: tf.LayersModel, inputs: tf.Tensor, options: DirectionalDerivativeOptions): Promise<{ data: Float32Array; rows: number; cols: number }> {
  const layer = resolveLayer(model, options.layer);
  const head = splitAt(model, layer, { logits: options.logits ?? true });
  try {
    const outputs = head.model.outputs[0].shape[1] as number;
    if (!(Number.isInteger(options.classIndex) && options.classIndex >= 0 && options.classIndex < outputs)) {
      throw new InterpError("invalid-input", `classIndex ${options.classIndex} is not an output of the model (0..${outputs - 1})`);
    }
    const activations = await layerActivations(model, inputs, { layer, batchSize: options.batchSize });
    const n = activations.shape[0], cols = activations.data.length / Math.max(1, n);
    const batchSize = checkBatchSize(options.batchSize ?? 128);
    const data = new Float32Array(n * cols);
    const logit = (h: tf.Tensor) => (head.model.apply(h, { training: false }) as tf.Tensor).slice([0, options.classIndex], [-1, 1]).sum();
    const gradient = tf.grad(logit);
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const g = tf.tidy(() => gradient(tf.tensor(activations.data.subarray(start * cols, (start + size) * cols), [size, ...activations.shape.slice(1)])));
      data.set(await g.data(), start * cols);
      g.dispose();
    }
    return { data, rows: n, cols };
  } finally {
    head.dispose();
  }
}

/** Fraction of rows of `gradients` with a positive dot product with `cav` (Kim et al.'s TCAV_Q). */
export function tcavScore(gradients: { data: ArrayLike<number>; rows: number; cols: number }, cav: readonly number[]): number {
  if (cav.length !== gradients.cols) throw new InterpError("shape-mismatch", `the CAV has ${cav.length} components, the layer ${gradients.cols}`);
  let positive = 0;
  for (let i = 0; i < gradients.rows; i++) {
    let s = 0;
    for (let j = 0; j < gradients.cols; j++) s += gradients.data[i * gradients.cols + j] * cav[j];
    if (s > 0) positive++;
  }
  return positive / gradients.rows;
}

export interface TcavOptions extends CavOptions {
  layer: LayerRef;
  classIndex: number;
  /** Inputs of the class whose sensitivity is tested. */
  classInputs: tf.Tensor;
  /** Inputs showing the concept. */
  concept: tf.Tensor;
  /** A pool of random inputs; each run draws random sets of the concept's size from it. */
  random: tf.Tensor;
  /** Concept CAVs and random-vs-random CAVs, each. Default 10. */
  runs?: number;
  /** Examples per random set. Default: the number of concept examples (pool must hold twice that). */
  setSize?: number;
  logits?: boolean;
  batchSize?: number;
}

export interface TcavResult {
  layer: string;
  classIndex: number;
  /** TCAV score of the concept, one per run (one random set each). */
  conceptScores: number[];
  /** TCAV scores of random-vs-random CAVs, one per run. */
  randomScores: number[];
  /** Held-out accuracy of each concept CAV's classifier. */
  cavAccuracies: number[];
  conceptMean: number;
  randomMean: number;
  /** Two-sided Student t-test of conceptScores vs randomScores (estimate = difference of means). */
  test: TTestResult;
}

/** A full TCAV experiment: concept CAVs against `runs` random sets, random-vs-random CAVs, and the t-test. */
export async function tcav(model: tf.LayersModel, options: TcavOptions): Promise<TcavResult> {
  const runs = options.runs ?? 10;
  if (!(Number.isInteger(runs) && runs >= 2)) throw new InterpError("invalid-input", `runs must be an integer ≥ 2 (the t-test needs two scores per group), got ${runs}`);
  const layer = resolveLayer(model, options.layer);
  const flat = async (x: tf.Tensor) => toMatrix(await layerActivations(model, x, { layer, batchSize: options.batchSize }));
  const concept = await flat(options.concept);
  const pool = await flat(options.random);
  const setSize = options.setSize ?? concept.rows;
  if (pool.rows < 2 * setSize) {
    throw new InterpError("invalid-input", `the random pool has ${pool.rows} examples; ${runs} runs of random-vs-random CAVs need at least 2 × ${setSize}`);
  }
  const gradients = await layerGradients(model, options.classInputs, options);
  const rng = createRng(options.seed ?? 0);
  const cavOptions = (run: number): CavOptions => ({ ...options, seed: (options.seed ?? 0) + run });
  const conceptScores: number[] = [], randomScores: number[] = [], cavAccuracies: number[] = [];
  for (let run = 0; run < runs; run++) {
    const draw = rng.sample(pool.rows, 2 * setSize);
    const setA = selectRows(pool, draw.subarray(0, setSize)), setB = selectRows(pool, draw.subarray(setSize));
    const cav = await conceptActivationVector(concept, setA, cavOptions(run));
    conceptScores.push(tcavScore(gradients, cav.vector));
    cavAccuracies.push(cav.accuracy);
    randomScores.push(tcavScore(gradients, (await conceptActivationVector(setB, setA, cavOptions(run))).vector));
  }
  const average = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return {
    layer: layer.name,
    classIndex: options.classIndex,
    conceptScores,
    randomScores,
    cavAccuracies,
    conceptMean: average(conceptScores),
    randomMean: average(randomScores),
    test: studentTTest(conceptScores, randomScores),
  };
}
