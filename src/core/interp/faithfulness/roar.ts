// ROAR, RemOve And Retrain (Hooker et al. 2019): a map ranks the pixels of every training and test
// image; the top fraction is replaced by the per-channel mean of the training set, the model is
// retrained from scratch on the modified set and tested on the modified test set. Retraining is the
// point: without it, accuracy could fall only because the modified images are out of distribution.
// A method whose top pixels carry the information degrades accuracy faster than removing the same
// number of random pixels (the control), and faster than an edge detector's ordering (Sobel).
//
// Each point is trained `repeats` times (seeds seed, seed + 1, …; the same seeds for every ordering,
// so orderings are compared run by run), and the curve carries a t-interval over the repeats.
// The sweep is one progress task of every training, which an interrupt stops between two trainings.
import * as tf from "@tensorflow/tfjs";
import type { Verdict } from "../../display";
import { type Task, withTask } from "../../progress";
import { createRng } from "../../stats/rng";
import { oneSampleTTest } from "../../stats/t-test";
import { type HypothesisLike, verdict } from "../../verdict/verdict";
import { InterpError, labelArray, type Labels } from "../activations";
import { type AttributionResult, attributionMaps } from "../attribution";
import { type Explainable, forwardScores, scoredModel } from "../attribution/scores";
import { sobelMagnitude } from "../sanity/edge-detector";
import { descendingOrder, pixelRelevance } from "./orders";

/** A labelled image set: images [n, h, w, c], class indices. */
export interface LabelledImages {
  images: tf.Tensor4D;
  labels: Labels;
}

/** Which training run this is, for the user's training function. */
export interface RoarRun {
  /** The seed to train with (initialisation, batch order). */
  seed: number;
  /** Fraction of each image's pixels removed (0: the unmodified data). */
  fraction: number;
  ordering: "unmodified" | "method" | "random" | "sobel";
  repeat: number;
}

/** Trains a fresh model on the data given and returns it; ROAR evaluates it, then disposes it (when it has `dispose`). */
export type TrainFunction = (data: { images: tf.Tensor4D; labels: Int32Array }, run: RoarRun) => Promise<Explainable>;

/** The attributions whose order ROAR tests, for a batch of images and their labels, from the given model. */
export type AttributionFunction = (model: Explainable, images: tf.Tensor4D, labels: Int32Array) => Promise<AttributionResult | number[][][]>;

export interface RoarOptions {
  /** Fractions of each image's pixels removed. Default [0.1, 0.3, 0.5, 0.7, 0.9]. */
  fractions?: number[];
  /** Trainings per point. Default 3. */
  repeats?: number;
  /** Repeat r trains with seed + r; the random orders and tie-breaking are seeded with it too. Default 0. */
  seed?: number;
  /** The model whose attributions rank the pixels. Default: the unmodified run of the first repeat. */
  model?: Explainable;
  /** Rank pixels by |attribution| (default: ROAR asks whether the information is needed, whatever its sign) or by value. */
  rank?: "absolute" | "value";
  /** The controls. Default both. */
  controls?: { random?: boolean; sobel?: boolean };
  /**
   * Decide "the method's top pixels matter more than random ones" with this hypothesis' declared test
   * (observed: the method's accuracies, baseline: random removal's, paired by fraction and repeat).
   * Default: a one-sided paired sign-flip test (`paired-permutation`, `less`).
   */
  hypothesis?: string | HypothesisLike;
  /** Called after each training run (e.g. to show progress): the runs done and the total. */
  onRun?: (done: number, total: number, run: RoarRun & { accuracy: number }) => void;
}

export interface RoarCurve {
  /** Test accuracy per fraction (the result's `fractions`, 0 first) and repeat. */
  accuracy: number[][];
  /** Per fraction: mean over repeats and its 95% t-interval. */
  mean: number[];
  lower: number[];
  upper: number[];
}

export interface RoarResult {
  /** 0 (the unmodified data) followed by the fractions asked for. */
  fractions: number[];
  repeats: number;
  seeds: number[];
  method: RoarCurve;
  random?: RoarCurve;
  sobel?: RoarCurve;
  /** The method against random removal (and against the Sobel ordering), paired by fraction and repeat. */
  tests: { vsRandom?: Verdict; vsSobel?: Verdict };
  /** Training runs done, and the wall time of the whole sweep. */
  trainings: number;
  seconds: number;
}

/** Remove-and-retrain for the ordering `attribute` gives, against random removal and a Sobel ordering. */
export async function roar(train: TrainFunction, data: { train: LabelledImages; test: LabelledImages }, attribute: AttributionFunction, options: RoarOptions = {}): Promise<RoarResult> {
  const started = performance.now();
  const fractions = options.fractions ?? [0.1, 0.3, 0.5, 0.7, 0.9];
  if (!fractions.length || fractions.some((f) => !(f > 0 && f <= 1))) throw new InterpError("invalid-input", `fractions must be in (0, 1], got [${fractions.join(", ")}]`);
  const repeats = options.repeats ?? 3;
  if (!(Number.isInteger(repeats) && repeats >= 2)) throw new InterpError("invalid-input", `repeats must be an integer ≥ 2 (the interval over repeats needs two), got ${repeats}`);
  const seed = options.seed ?? 0;
  const seeds = Array.from({ length: repeats }, (_, r) => seed + r);
  const sets = { train: checked(data.train, "train"), test: checked(data.test, "test") };
  const [, height, width, channels] = sets.train.images.shape;
  if (sets.test.images.shape.slice(1).join() !== [height, width, channels].join()) throw new InterpError("shape-mismatch", "the train and test images differ in size");
  const orderings = ["method", ...(options.controls?.random ?? true ? ["random"] : []), ...(options.controls?.sobel ?? true ? ["sobel"] : [])] as ("method" | "random" | "sobel")[];
  const total = repeats * (1 + orderings.length * fractions.length);
  let done = 0;
  const evaluate = async (task: Task, images: tf.Tensor4D, labels: Int32Array, testImages: tf.Tensor4D, run: RoarRun, keep = false) => {
    task.check();
    const model = await train({ images, labels }, run);
    let accuracy: number;
    try {
      accuracy = accuracyOf(model, testImages, sets.test.labels);
    } finally {
      if (!keep) disposeModel(model);
    }
    done++;
    task.advance();
    options.onRun?.(done, total, { ...run, accuracy });
    return { model, accuracy };
  };
  const curves = await withTask("roar trainings", total, "trainings", async (task) => {
    const rank = options.rank ?? "absolute";
    const rng = createRng(seed);
    const ordersOf = async (set: { images: tf.Tensor4D; labels: Int32Array }, label: string): Promise<Orders> => {
      const n = set.images.shape[0];
      const relevance = pixelRelevance(await attribute(ranking!, set.images, set.labels), rank, n, height, width);
      const pixels = attributionMaps({ values: (await set.images.data()) as Float32Array, shape: set.images.shape }, { reduce: "sum" });
      const stream = rng.fork(label);
      return {
        method: relevance.map((map) => descendingOrder(map, stream)),
        random: relevance.map(() => stream.permutation(height * width)),
        sobel: pixels.map((image) => descendingOrder(sobelMagnitude(image).flat(), stream)),
      };
    };

    // The unmodified data: the start of every curve, and (repeat 0) the model that ranks the pixels.
    const unmodified: number[] = [];
    let ranking = options.model;
    let orders: { train: Orders; test: Orders };
    try {
      for (const [repeat, runSeed] of seeds.entries()) {
        const keep = repeat === 0 && !ranking;
        const { model, accuracy } = await evaluate(task, sets.train.images, sets.train.labels, sets.test.images, { seed: runSeed, fraction: 0, ordering: "unmodified", repeat }, keep);
        unmodified.push(accuracy);
        if (keep) ranking = model;
      }
      orders = { train: await ordersOf(sets.train, "train"), test: await ordersOf(sets.test, "test") };
    } finally {
      // The ranking model trained here is ours to dispose, also when the user stops the sweep.
      if (!options.model && ranking) disposeModel(ranking);
    }
    // Per-channel mean of the unmodified training images: what a removed pixel becomes.
    const fill = tf.tidy(() => tf.mean(sets.train.images, [0, 1, 2]).dataSync());
    const trainPixels = (await sets.train.images.data()) as Float32Array;
    const testPixels = (await sets.test.images.data()) as Float32Array;
    const curves: Partial<Record<"method" | "random" | "sobel", number[][]>> = {};
    for (const ordering of orderings) {
      const accuracy = [unmodified];
      curves[ordering] = accuracy;
      for (const fraction of fractions) {
        const removed = Math.round(fraction * height * width);
        const trainImages = removePixels(trainPixels, sets.train.images.shape, orders.train[ordering], removed, fill);
        const testImages = removePixels(testPixels, sets.test.images.shape, orders.test[ordering], removed, fill);
        const accuracies: number[] = [];
        try {
          for (const [repeat, runSeed] of seeds.entries()) accuracies.push((await evaluate(task, trainImages, sets.train.labels, testImages, { seed: runSeed, fraction, ordering, repeat })).accuracy);
        } finally {
          tf.dispose([trainImages, testImages]);
        }
        accuracy.push(accuracies);
      }
    }
    return curves;
  });

  const curve = (accuracy: number[][]): RoarCurve => {
    const intervals = accuracy.map((runs) => oneSampleTTest(runs));
    return { accuracy, mean: intervals.map((t) => t.estimate), lower: intervals.map((t) => t.ci[0]), upper: intervals.map((t) => t.ci[1]) };
  };
  // Pairs: every removed fraction and repeat (the unmodified point is shared, so it says nothing).
  const paired = (ordering: "random" | "sobel") => {
    const flat = (o: "method" | "random" | "sobel") => curves[o]!.slice(1).flat();
    const h = options.hypothesis ?? { id: `ROAR: method vs ${ordering === "random" ? "random removal" : "Sobel ordering"}`, test: { kind: "paired-permutation", alternative: "less" as const } };
    return verdict(h, flat("method"), flat(ordering), { seed });
  };
  return {
    fractions: [0, ...fractions],
    repeats,
    seeds,
    method: curve(curves.method!),
    ...(curves.random ? { random: curve(curves.random) } : {}),
    ...(curves.sobel ? { sobel: curve(curves.sobel) } : {}),
    tests: { ...(curves.random ? { vsRandom: paired("random") } : {}), ...(curves.sobel ? { vsSobel: paired("sobel") } : {}) },
    trainings: done,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Per image, its pixels in the order each ordering removes them. */
type Orders = Record<"method" | "random" | "sobel", Int32Array[]>;

function checked(set: LabelledImages, what: string): { images: tf.Tensor4D; labels: Int32Array } {
  if (set.images.rank !== 4) throw new InterpError("invalid-input", `ROAR's ${what} images must be [n, h, w, c], got [${set.images.shape.join(", ")}]`);
  return { images: set.images, labels: labelArray(set.labels, set.images.shape[0]) };
}

/** The images with each one's first `removed` pixels of its order set to the per-channel `fill`. */
function removePixels(pixels: Float32Array, shape: number[], orders: Int32Array[], removed: number, fill: ArrayLike<number>): tf.Tensor4D {
  const [n, height, width, channels] = shape;
  const perImage = height * width * channels;
  const out = Float32Array.from(pixels);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < removed; k++) {
      const at = i * perImage + orders[i][k] * channels;
      for (let c = 0; c < channels; c++) out[at + c] = fill[c];
    }
  }
  return tf.tensor4d(out, [n, height, width, channels]);
}

function accuracyOf(model: Explainable, images: tf.Tensor4D, labels: Int32Array): number {
  const scored = scoredModel(model, "model-output");
  let correct = 0;
  for (let start = 0; start < labels.length; start += 256) {
    const size = Math.min(256, labels.length - start);
    const predicted = tf.tidy(() => forwardScores(scored, images.slice(start, size)).argMax(-1).dataSync());
    predicted.forEach((p, i) => (correct += p === labels[start + i] ? 1 : 0));
  }
  return correct / labels.length;
}

function disposeModel(model: Explainable): void {
  if (typeof model !== "function" && "dispose" in model && typeof model.dispose === "function") model.dispose();
}
