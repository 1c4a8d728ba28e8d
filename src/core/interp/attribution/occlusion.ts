// Occlusion (Zeiler & Fergus 2014), with Captum's semantics: a window slides over the image (all
// channels at once) in steps of `strides`; each position is replaced by the baseline and the drop in
// the target score, f(x) − f(x occluded), is credited to every pixel under the window. A pixel's
// attribution is the mean of the drops of the windows that covered it. Window starts are 0, s, 2s, …
// up to the last one that starts before h − window (Captum's ceil((h − window) / s) + 1 shifts); a
// window past the edge is cut. Forward passes only, so it takes every model; every occluded copy of
// every image goes through the model in passes as large as the memory budget allows.
import * as tf from "@tensorflow/tfjs";
import { withTask } from "../../progress";
import { InterpError } from "../activations";
import { rowsPerPass } from "./batches";
import type { GradientOptions } from "./gradient";
import type { AttributionResult } from "./result";
import { checkInput, type Explainable, forwardScores, resolveTargets, scoredModel, targetScores } from "./scores";

export interface OcclusionOptions extends GradientOptions {
  /** Window [height, width] in pixels. Default [2, 2]. */
  window?: [number, number];
  /** Steps between window starts. Default: the window (no overlap). */
  strides?: [number, number];
  /** What an occluded pixel becomes: a number (default 0) or a tensor of one example's shape. */
  baseline?: number | tf.Tensor;
}

/** Occlusion maps of images `x` [n, h, w, c]: the input's shape, like `gradient`'s. */
export async function occlusion(model: Explainable, x: tf.Tensor, options: OcclusionOptions = {}): Promise<AttributionResult> {
  if (x.rank !== 4) throw new InterpError("invalid-input", `occlusion needs images [n, h, w, c], got [${x.shape.join(", ")}]`);
  const [n, height, width, channels] = x.shape;
  const window = options.window ?? [2, 2];
  const strides = options.strides ?? window;
  for (const [name, v, max] of [["window height", window[0], height], ["window width", window[1], width], ["stride", strides[0], height], ["stride", strides[1], width]] as const) {
    if (!(Number.isInteger(v) && v >= 1 && v <= max)) throw new InterpError("invalid-input", `occlusion ${name} must be an integer in 1..${max}, got ${v}`);
  }
  const scored = scoredModel(model, options.output);
  checkInput(scored, x);
  const targets = resolveTargets(scored, x, options.target);
  const perImage = height * width * channels;
  const baseline = await baselineValues(options.baseline ?? 0, perImage, x.shape.slice(1));
  const starts = (size: number, w: number, s: number) => Array.from({ length: Math.ceil((size - w) / s) + 1 }, (_, k) => k * s);
  const windows = starts(height, window[0], strides[0]).flatMap((r) => starts(width, window[1], strides[1]).map((c) => [r, c] as const));
  // Coverage (windows per pixel) is the same for every image.
  const covered = new Float32Array(height * width);
  const pixelsOf = ([r0, c0]: readonly [number, number]) => {
    const out: number[] = [];
    for (let r = r0; r < Math.min(height, r0 + window[0]); r++) for (let c = c0; c < Math.min(width, c0 + window[1]); c++) out.push(r * width + c);
    return out;
  };
  const windowPixels = windows.map(pixelsOf);
  for (const pixels of windowPixels) for (const p of pixels) covered[p]++;

  const pixels = (await x.data()) as Float32Array;
  const values = new Float32Array(n * perImage);
  const scores = new Float32Array(n);
  const perBatch = rowsPerPass(scored, x.shape.slice(1), options);
  // One row per (image, window), plus each image unoccluded first.
  const rows = n * (windows.length + 1);
  await withTask("occlusion", rows, "evaluations", async (task) => {
    for (let start = 0; start < rows; start += perBatch) {
      task.check();
      const size = Math.min(perBatch, rows - start);
      const batch = new Float32Array(size * perImage);
      const rowTargets = new Int32Array(size);
      for (let k = 0; k < size; k++) {
        const [i, w] = [Math.floor((start + k) / (windows.length + 1)), (start + k) % (windows.length + 1)];
        rowTargets[k] = targets[i];
        batch.set(pixels.subarray(i * perImage, (i + 1) * perImage), k * perImage);
        if (w > 0) for (const p of windowPixels[w - 1]) for (let ch = 0; ch < channels; ch++) batch[k * perImage + p * channels + ch] = baseline[p * channels + ch];
      }
      const rowScores = tf.tidy(() => targetScores(forwardScores(scored, tf.tensor(batch, [size, height, width, channels])), tf.tensor1d(rowTargets, "int32")).dataSync());
      for (let k = 0; k < size; k++) {
        const [i, w] = [Math.floor((start + k) / (windows.length + 1)), (start + k) % (windows.length + 1)];
        if (w === 0) {
          scores[i] = rowScores[k];
          continue;
        }
        // The unoccluded row of image i always comes before its windows, in this batch or an earlier one.
        const drop = scores[i] - rowScores[k];
        for (const p of windowPixels[w - 1]) for (let ch = 0; ch < channels; ch++) values[i * perImage + p * channels + ch] += drop / covered[p];
      }
      task.advance(size);
      await tf.nextFrame();
    }
  });
  return { method: "occlusion", values, shape: x.shape, targets, scores, output: scored.output, settings: { window: window.join("x"), strides: strides.join("x"), baseline: typeof options.baseline === "object" ? "tensor" : (options.baseline ?? 0) } };
}

async function baselineValues(baseline: number | tf.Tensor, perImage: number, shape: number[]): Promise<Float32Array> {
  if (typeof baseline === "number") return new Float32Array(perImage).fill(baseline);
  if (baseline.size !== perImage) throw new InterpError("shape-mismatch", `the occlusion baseline has shape [${baseline.shape.join(", ")}]; it must be one example's shape [${shape.join(", ")}]`);
  return (await baseline.data()) as Float32Array;
}
