// Network dissection of the digits CNN's conv2 (32 units) on the 450 test digits against the four
// procedural concepts, with the shuffled-masks control: the bit-packed IoU counting of dissect.ts
// against a plain per-pixel loop over the same thresholded maps, same permutations, same IoUs asserted.
// The random-direction baseline is off in both, so the figures compare the counting alone.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { loadTensorFlow } from "../../src/core/backend";
import { digitsModelPath, loadDigits, loadModel } from "../../src/core/data";
import { digitConcepts, dissectActivations, layerActivations } from "../../src/core/interp";
import { createRng } from "../../src/core/stats";
import { medianMs, type Benchmark } from "./harness";

const PERMUTATIONS = 200;

/** IoU of every unit with every concept, masks paired with images by `order`, one pixel at a time. */
function naiveIous(above: Uint8Array[], masks: Uint8Array[], n: number, pixels: number, order: ArrayLike<number>): number[][] {
  return above.map((m) =>
    masks.map((l) => {
      let inter = 0, union = 0;
      for (let i = 0; i < n; i++) {
        for (let p = 0; p < pixels; p++) {
          const a = m[i * pixels + p], b = l[order[i] * pixels + p];
          inter += a & b;
          union += a | b;
        }
      }
      return union ? inter / union : 0;
    }),
  );
}

export const benchmarks: Benchmark[] = [
  {
    id: "dissection.digits-cnn-conv2",
    async run() {
      const { backend } = await loadTensorFlow();
      const digits = loadDigits();
      const loaded = await loadModel(digitsModelPath("cnn"));
      if (loaded.kind !== "layers") throw new Error("the digits CNN should be a layers model");
      const images = digits.test.images;
      const n = images.shape[0];
      const concepts = digitConcepts(images);
      const acts = await layerActivations(loaded.model, images, { layer: "conv2" });
      const options = { permutations: PERMUTATIONS, randomDirections: 0, seed: 1 };
      const ours = await medianMs(() => dissectActivations(acts, concepts, options), 3, 1);
      const result = await dissectActivations(acts, concepts, options);
      // The same thresholded, upsampled maps as bytes, for the per-pixel loop.
      const units = acts.shape[3];
      const above = tf.tidy(() => {
        const up = tf.image.resizeBilinear(tf.tensor4d(acts.data, acts.shape as [number, number, number, number]), [8, 8], false, true);
        const bits = tf.greater(up, tf.tensor1d(result.units.map((u) => u.threshold))).dataSync();
        return Array.from({ length: units }, (_, k) => Uint8Array.from({ length: n * 64 }, (__, j) => bits[j * units + k]));
      });
      const identity = Int32Array.from({ length: n }, (_, i) => i);
      naiveIous(above, concepts.masks, n, 64, identity).forEach((row, k) => row.forEach((v, c) => assert.ok(Math.abs(v - result.units[k].iou[c]) < 1e-12)));
      const naive = await medianMs(() => {
        const rng = createRng(1);
        for (let r = 0; r < PERMUTATIONS; r++) naiveIous(above, concepts.masks, n, 64, rng.permutation(n));
      }, 3, 1);
      digits.dispose();
      loaded.model.dispose();
      return {
        subject: { name: "dissectActivations (bit-packed)", value: ours, unit: "ms" },
        baseline: { name: "per-pixel IoU loop, same maps", value: naive, unit: "ms" },
        note: `${units} units × 4 concepts × ${n} digits, ${PERMUTATIONS} permutations; IoUs identical; backend ${backend}`,
      };
    },
  },
];
