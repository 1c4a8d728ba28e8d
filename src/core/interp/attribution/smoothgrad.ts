// SmoothGrad (Smilkov et al. 2017): the gradient averaged over noisy copies of each input, noise
// N(0, σ²) with σ a fraction of the example's value range. The noise comes from the seeded RNG, one
// forked stream per example, so a result does not depend on batch size or on other examples.
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../../stats/rng";
import { targetGradient, type GradientOptions } from "./gradient";
import { type AttributionResult, examplesPerBatch, perChunk } from "./result";
import { checkInput, type Explainable, forwardScores, resolveTargets, scoredModel, targetScores } from "./scores";

export interface SmoothGradOptions extends Omit<GradientOptions, "batchSize"> {
  /** Noisy copies per example. Default 50. */
  samples?: number;
  /** Noise σ as a fraction of (max − min) of each example. Default 0.15 (the paper's 10–20 %). */
  sigma?: number;
  /** Seed of the noise. Default 0. */
  seed?: number;
  /** Model evaluations per batch (examples × samples). Default: as many as fit 2^19 input elements. */
  batchSize?: number;
}

/** SmoothGrad of f(x)[target]; targets are chosen on the clean inputs. */
export async function smoothGrad(model: Explainable, x: tf.Tensor, options: SmoothGradOptions = {}): Promise<AttributionResult> {
  const scored = scoredModel(model, options.output);
  checkInput(scored, x);
  const samples = options.samples ?? 50;
  const sigma = options.sigma ?? 0.15;
  const seed = options.seed ?? 0;
  const targets = resolveTargets(scored, x, options.target);
  const exampleShape = x.shape.slice(1);
  const perExample = exampleShape.reduce((a, b) => a * b, 1);
  const rng = createRng(seed);
  const values = await x.data();
  const noise = (index: number): Float32Array => {
    const stream = rng.fork(`example ${index}`);
    let lo = Infinity, hi = -Infinity;
    for (let k = index * perExample; k < (index + 1) * perExample; k++) [lo, hi] = [Math.min(lo, values[k]), Math.max(hi, values[k])];
    const scale = sigma * (hi - lo);
    const out = new Float32Array(samples * perExample);
    for (let k = 0; k < out.length; k++) out[k] = stream.normal() * scale;
    return out;
  };
  const chunk = examplesPerBatch(x, samples, options.batchSize);
  // Noise is drawn in example order before each chunk, so forks happen in the same order whatever the chunking.
  const noiseOf: Float32Array[] = Array.from({ length: x.shape[0] }, (_, i) => noise(i));
  const out = await perChunk(x, chunk, (xChunk, start, size) => {
    // [size, samples, ...] so that each example's noisy copies are contiguous.
    const eps = tf.tensor(concat(noiseOf.slice(start, start + size)), [size, samples, ...exampleShape]);
    const noisy = tf.add(tf.expandDims(xChunk, 1), eps).reshape([size * samples, ...exampleShape]);
    const t = tf.tensor1d(targets.subarray(start, start + size), "int32");
    const repeated = tf.reshape(tf.tile(tf.expandDims(t, 1), [1, samples]), [-1]) as tf.Tensor1D;
    const { grad } = targetGradient(scored, noisy, repeated);
    const clean = forwardScores(scored, xChunk);
    return { values: tf.mean(grad.reshape([size, samples, ...exampleShape]), 1), scores: targetScores(clean, t) };
  });
  return { method: "smoothgrad", values: out.values, shape: x.shape, targets, scores: out.scores, output: scored.output, settings: { samples, sigma, seed } };
}

function concat(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((s, a) => s + a.length, 0));
  arrays.reduce((offset, a) => (out.set(a, offset), offset + a.length), 0);
  return out;
}
