// Faithfulness curves (Samek et al. 2017 pixel flipping; Petsiuk et al. 2018 deletion/insertion):
// remove the pixels an attribution ranks highest, a growing fraction at a time, and record the
// target score (deletion: a faithful map makes it fall fast, low AUC); or start from a removed
// image and put the pixels back in that order (insertion: it should rise fast, high AUC).
//
// The control is built in: the same curves for random orders (many seeded draws per input) and for
// a Sobel edge map of the input (a picture with no model behind it), and a paired test across inputs
// of AUC(method) against the mean AUC of the random orders. Every step of every order of every input
// is one image; they go through the model in batches as large as the element budget allows, one
// progress task of every evaluation that an interrupt stops between batches.
import * as tf from "@tensorflow/tfjs";
import type { Verdict } from "../../display";
import { type Task, withTask } from "../../progress";
import { createRng } from "../../stats/rng";
import { verdict } from "../../verdict/verdict";
import { InterpError } from "../activations";
import { curveBand } from "../quantile";
import { type AttributionResult, attributionMaps } from "../attribution";
import { checkInput, type Explainable, forwardScores, resolveTargets, type ScoreOutput, scoredModel, type Target } from "../attribution/scores";
import { sobelMagnitude } from "../sanity/edge-detector";
import { gaussianBlur } from "./blur";
import { descendingOrder, pixelRelevance } from "./orders";

/** What a removed pixel becomes: 0, the per-channel mean of the inputs, a blurred copy of the image, a value, or a tensor (one example's shape or the inputs'). */
export type Removal = "zero" | "mean" | "blur" | number | tf.Tensor;

export interface FaithfulnessOptions {
  /** Points on the curve after the start: fraction k/steps of the pixels removed (inserted) at point k. Default 16. */
  steps?: number;
  /** Default `zero` for deletion, `blur` for insertion (Petsiuk et al.'s choices). */
  baseline?: Removal;
  /** σ of the `blur` baseline in pixels. Default max(1, longer side / 45) (Petsiuk et al.: 5 on 224 px). */
  blurSigma?: number;
  /** The class whose score is recorded. Default: the attributions' targets, else the prediction on the inputs. */
  target?: Target;
  /** The score: `model-output` (default; probabilities for a softmax model, as in Petsiuk et al.) or `logits`. */
  output?: ScoreOutput;
  /** Pixel order: by attribution `value` (default; most positive first, channels summed) or by `absolute` value. */
  rank?: "value" | "absolute";
  /** Random orders per input (the control). Default 20. */
  randomOrders?: number;
  /** Also run the Sobel edge map's order (the model-free control). Default true. */
  edgeDetector?: boolean;
  /** Seed of the random orders and of tie-breaking. Default 0. */
  seed?: number;
  /** Significance level of the paired test. Default 0.05. */
  alpha?: number;
  /** Images per forward pass. Default: as many as fit 2^19 input elements (at least one curve). */
  batchSize?: number;
}

export interface CurveSet {
  /** The target score at each point, per input. */
  curves: number[][];
  /** Area under each input's curve (trapezoid over the fraction axis [0, 1]). */
  auc: number[];
  /** The mean curve over inputs. */
  mean: number[];
}

export interface FaithfulnessCurves {
  kind: "deletion" | "insertion";
  /** Fraction of pixels removed (inserted) at each point. */
  fractions: number[];
  targets: number[];
  baseline: string;
  method: CurveSet;
  random: {
    /** Per input, the mean AUC over its random orders: the paired test's baseline. */
    auc: number[];
    /** The mean curve over inputs and draws, and the central 95% band of the draws' mean curves. */
    mean: number[];
    lower: number[];
    upper: number[];
    orders: number;
  };
  edgeDetector?: CurveSet;
  /** Inputs whose map is constant (no order at all): reported and left out of the test. */
  degenerate: number[];
  /** Deletion: AUC(method) below the random orders' (`less`); insertion: above (`greater`). Paired sign-flip test. */
  tests: { vsRandom: Verdict; vsEdgeDetector?: Verdict };
}

/** Deletion curves: the target score as the top-ranked pixels are replaced by the baseline. */
export function deletionCurve(model: Explainable, inputs: tf.Tensor, attributions: AttributionResult | number[][][], options: FaithfulnessOptions = {}): Promise<FaithfulnessCurves> {
  return faithfulnessCurves("deletion", model, inputs, attributions, options);
}

/** Insertion curves: the target score as the top-ranked pixels are put back into the baseline image. */
export function insertionCurve(model: Explainable, inputs: tf.Tensor, attributions: AttributionResult | number[][][], options: FaithfulnessOptions = {}): Promise<FaithfulnessCurves> {
  return faithfulnessCurves("insertion", model, inputs, attributions, options);
}

const ELEMENTS_PER_BATCH = 2 ** 19;

async function faithfulnessCurves(
  kind: "deletion" | "insertion",
  model: Explainable,
  inputs: tf.Tensor,
  attributions: AttributionResult | number[][][],
  options: FaithfulnessOptions,
): Promise<FaithfulnessCurves> {
  const scored = scoredModel(model, options.output ?? "model-output");
  checkInput(scored, inputs);
  if (inputs.rank !== 4) throw new InterpError("invalid-input", `${kind} curves need images [n, h, w, c], got shape [${inputs.shape.join(", ")}]`);
  const [n, height, width, channels] = inputs.shape;
  const pixels = height * width;
  const steps = options.steps ?? 16;
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= pixels)) throw new InterpError("invalid-input", `steps must be an integer in 1..${pixels} (the pixels), got ${steps}`);
  const randomOrders = options.randomOrders ?? 20;
  if (!(Number.isInteger(randomOrders) && randomOrders >= 1)) throw new InterpError("invalid-input", `randomOrders must be a positive integer, got ${randomOrders}`);
  const withEdges = options.edgeDetector ?? true;
  const baseline = options.baseline ?? (kind === "deletion" ? "zero" : "blur");
  const maps = pixelRelevance(attributions, options.rank ?? "value", n, height, width);
  const fromResult = !Array.isArray(attributions) ? attributions.targets : undefined;
  const targets = resolveTargets(scored, inputs, options.target ?? (fromResult ? Array.from(fromResult) : "predicted"));
  const x = (await inputs.data()) as Float32Array;
  const removed = await baselineImages(baseline, inputs, options.blurSigma);
  const images = attributionMaps({ values: x, shape: inputs.shape }, { reduce: "sum" });

  const cuts = Array.from({ length: steps + 1 }, (_, k) => Math.round((k * pixels) / steps));
  const fractions = cuts.map((c) => c / pixels);
  const ordersPerInput = 1 + (withEdges ? 1 : 0) + randomOrders;
  const points = steps + 1;
  // scores[i][o][k]: input i, order o (method, edge detector, random draws), point k.
  const scores = Array.from({ length: n }, () => Array.from({ length: ordersPerInput }, () => new Float64Array(points)));
  const perImage = pixels * channels;
  const imagesPerBatch = Math.max(points, options.batchSize ?? Math.floor(ELEMENTS_PER_BATCH / perImage));
  const rng = createRng(options.seed ?? 0);
  const streams = Array.from({ length: n }, (_, i) => rng.fork(`input ${i}`));
  const degenerate: number[] = [];

  const buffer = new Float32Array(imagesPerBatch * perImage);
  let pending: { i: number; o: number; k: number }[] = [];
  // One task of every evaluation: progress between batches, and an interrupt stops before the next.
  const flush = async (task: Task) => {
    if (!pending.length) return;
    task.check();
    const count = pending.length;
    const values = tf.tidy(() => {
      const batch = tf.tensor4d(buffer.subarray(0, count * perImage), [count, height, width, channels]);
      const t = tf.tensor1d(Int32Array.from(pending, (job) => targets[job.i]), "int32");
      const s = forwardScores(scored, batch);
      return tf.sum(tf.mul(s, tf.oneHot(t, s.shape[s.shape.length - 1])), -1).dataSync();
    });
    pending.forEach((job, b) => (scores[job.i][job.o][job.k] = values[b]));
    pending = [];
    task.advance(count);
    await tf.nextFrame();
  };

  await withTask(`${kind} curves`, n * ordersPerInput * points, "evaluations", async (task) => {
    for (let i = 0; i < n; i++) {
      const stream = streams[i];
      const ties = stream.fork("ties");
      const map = maps[i];
      if (map.every((v) => v === map[0])) degenerate.push(i);
      const orders = [descendingOrder(map, ties), ...(withEdges ? [descendingOrder(sobelMagnitude(images[i]).flat(), ties)] : []), ...Array.from({ length: randomOrders }, () => stream.permutation(pixels))];
      const xi = x.subarray(i * perImage, (i + 1) * perImage);
      const bi = removed.subarray(removed.length === perImage ? 0 : i * perImage, removed.length === perImage ? perImage : (i + 1) * perImage);
      const [start, fill] = kind === "deletion" ? [xi, bi] : [bi, xi];
      for (const [o, order] of orders.entries()) {
        const image = Float32Array.from(start);
        for (let k = 0; k < points; k++) {
          for (let p = k ? cuts[k - 1] : 0; p < cuts[k]; p++) {
            const at = order[p] * channels;
            for (let ch = 0; ch < channels; ch++) image[at + ch] = fill[at + ch];
          }
          if (pending.length === imagesPerBatch) await flush(task);
          buffer.set(image, pending.length * perImage);
          pending.push({ i, o, k });
        }
      }
    }
    await flush(task);
  });

  const set = (o: number): CurveSet => {
    const curves = scores.map((perOrder) => Array.from(perOrder[o]));
    return { curves, auc: curves.map((c) => auc(c, fractions)), mean: meanCurve(curves) };
  };
  const method = set(0);
  const edgeDetector = withEdges ? set(1) : undefined;
  const firstRandom = withEdges ? 2 : 1;
  const draws = Array.from({ length: randomOrders }, (_, r) => set(firstRandom + r));
  const randomAuc = Array.from({ length: n }, (_, i) => draws.reduce((s, d) => s + d.auc[i], 0) / randomOrders);
  // The band is over draws (each draw's mean over inputs), so it says how much one random order's curve varies.
  const band = curveBand(draws.map((d) => d.mean), 0.95);

  const alternative = kind === "deletion" ? "less" : "greater";
  const kept = Array.from({ length: n }, (_, i) => i).filter((i) => !degenerate.includes(i));
  if (kept.length < 3) throw new InterpError("invalid-input", `only ${kept.length} input(s) have a non-constant map: the paired test needs at least 3`);
  const test = (control: string, against: number[]) =>
    verdict({ id: `${kind} AUC vs ${control}`, test: { kind: "paired-permutation", alternative, alpha: options.alpha ?? 0.05 } }, kept.map((i) => method.auc[i]), kept.map((i) => against[i]), { seed: options.seed ?? 0 });
  return {
    kind,
    fractions,
    targets: Array.from(targets),
    baseline: typeof baseline === "number" ? String(baseline) : typeof baseline === "string" ? baseline : "tensor",
    method,
    random: { auc: randomAuc, ...band, orders: randomOrders },
    ...(edgeDetector ? { edgeDetector } : {}),
    degenerate,
    tests: { vsRandom: test("random orders", randomAuc), ...(edgeDetector ? { vsEdgeDetector: test("the edge detector", edgeDetector.auc) } : {}) },
  };
}

/** The images removed pixels take their values from: one example ([pixels·channels]) or one per input. */
async function baselineImages(baseline: Removal, inputs: tf.Tensor, blurSigma?: number): Promise<Float32Array> {
  const [n, height, width, channels] = inputs.shape;
  const perImage = height * width * channels;
  if (baseline instanceof tf.Tensor) {
    const same = (shape: number[]) => shape.length === baseline.shape.length && shape.every((d, i) => d === baseline.shape[i]);
    if (!same(inputs.shape) && !same(inputs.shape.slice(1))) throw new InterpError("shape-mismatch", `the baseline's shape [${baseline.shape.join(", ")}] must be one input's [${inputs.shape.slice(1).join(", ")}] or the inputs' [${inputs.shape.join(", ")}]`);
    return Float32Array.from(await baseline.data());
  }
  if (typeof baseline === "number") return new Float32Array(perImage).fill(baseline);
  switch (baseline) {
    case "zero":
      return new Float32Array(perImage);
    case "mean": {
      const means = tf.tidy(() => tf.mean(inputs, [0, 1, 2]).dataSync());
      return Float32Array.from({ length: perImage }, (_, k) => means[k % channels]);
    }
    case "blur": {
      const sigma = blurSigma ?? Math.max(1, Math.max(height, width) / 45);
      const blurred = tf.tidy(() => gaussianBlur(inputs as tf.Tensor4D, sigma));
      const values = (await blurred.data()) as Float32Array;
      blurred.dispose();
      return values.length === n * perImage ? values : Float32Array.from(values);
    }
    default:
      throw new InterpError("invalid-input", `unknown baseline ${String(baseline)}: use "zero", "mean", "blur", a number or a tensor`);
  }
}

/** Trapezoid area under `curve` over `fractions` (which run from 0 to 1). */
export function auc(curve: ArrayLike<number>, fractions: ArrayLike<number>): number {
  let area = 0;
  for (let k = 1; k < curve.length; k++) area += ((curve[k] + curve[k - 1]) / 2) * (fractions[k] - fractions[k - 1]);
  return area;
}

function meanCurve(curves: number[][]): number[] {
  return curves[0].map((_, k) => curves.reduce((s, c) => s + c[k], 0) / curves.length);
}
