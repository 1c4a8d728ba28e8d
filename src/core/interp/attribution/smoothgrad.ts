// SmoothGrad (Smilkov et al. 2017): the gradient averaged over noisy copies of each input, noise
// N(0, σ²) with σ a fraction of the example's value range. The noise comes from the seeded RNG, one
// forked stream per example, so a result does not depend on batch size or on other examples.
import * as tf from "@tensorflow/tfjs";
import { createRng, type Rng } from "../../stats/rng";
import { chunks, rowsPerPass, runPasses } from "./batches";
import { type GradientOptions, targetClasses, targetGradient, targetSlice } from "./gradient";
import type { AttributionResult } from "./result";
import { checkInput, type Explainable, forwardScores, resolveTarget, scoredModel, targetScores } from "./scores";

export interface SmoothGradOptions extends GradientOptions {
  /** Noisy copies per example. Default 50. */
  samples?: number;
  /** Noise σ as a fraction of (max − min) of each example. Default 0.15 (the paper's 10–20 %). */
  sigma?: number;
  /** Seed of the noise. Default 0. */
  seed?: number;
}

/** SmoothGrad of f(x)[target]; targets are chosen on the clean inputs. */
export async function smoothGrad(model: Explainable, x: tf.Tensor, options: SmoothGradOptions = {}): Promise<AttributionResult> {
  const scored = scoredModel(model, options.output);
  checkInput(scored, x);
  const samples = options.samples ?? 50;
  const sigma = options.sigma ?? 0.15;
  const seed = options.seed ?? 0;
  const targets = resolveTarget(scored, x, options.target);
  const exampleShape = x.shape.slice(1);
  const perExample = exampleShape.reduce((a, b) => a * b, 1);
  const rng = createRng(seed);
  const values = await x.data();
  // One stream per example, forked in example order and drawn sample after sample, so the noise does
  // not depend on how the work is split (passes go through examples and samples in order).
  const streams: { rng: Rng; scale: number }[] = [];
  const noise = (index: number, count: number): Float32Array => {
    for (let i = streams.length; i <= index; i++) {
      let lo = Infinity, hi = -Infinity;
      for (let k = i * perExample; k < (i + 1) * perExample; k++) [lo, hi] = [Math.min(lo, values[k]), Math.max(hi, values[k])];
      streams.push({ rng: rng.fork(`example ${i}`), scale: sigma * (hi - lo) });
    }
    const { rng: stream, scale } = streams[index];
    const out = new Float32Array(count * perExample);
    for (let k = 0; k < out.length; k++) out[k] = stream.normal() * scale;
    return out;
  };
  const plan = chunks(x.shape[0], samples, rowsPerPass(scored, exampleShape, options));
  const out = await runPasses(
    "smoothGrad",
    x,
    plan,
    (xChunk, { start, size, from, to }) => {
      const k = to - from;
      // [size, k, ...]: each example's noisy copies are contiguous.
      const eps = tf.tensor(concat(Array.from({ length: size }, (_, i) => noise(start + i, k))), [size, k, ...exampleShape]);
      const noisy = tf.add(tf.expandDims(xChunk, 1), eps).reshape([size * k, ...exampleShape]);
      const t = targetSlice(targets, start, size);
      const { grad } = targetGradient(scored, noisy, typeof t === "function" ? t : (tf.reshape(tf.tile(tf.expandDims(t, 1), [1, k]), [-1]) as tf.Tensor1D));
      return { sum: tf.sum(grad.reshape([size, k, ...exampleShape]), 1) };
    },
    (xChunk, start, size, { sum }) => {
      const t = targetSlice(targets, start, size);
      const scores = typeof t === "function" ? t(scored.scores(xChunk)) : targetScores(forwardScores(scored, xChunk), t);
      return { values: tf.div(sum, samples), scores };
    },
  );
  return { method: "smoothgrad", values: out.values, shape: x.shape, targets: targetClasses(targets, x.shape[0]), scores: out.scores, output: scored.output, settings: { samples, sigma, seed } };
}

function concat(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((s, a) => s + a.length, 0));
  arrays.reduce((offset, a) => (out.set(a, offset), offset + a.length), 0);
  return out;
}
