// Feature visualisation of all 32 units of the digits CNN's conv2 (64 steps, jitter and blur): one
// batched run against the same optimisation one unit at a time, same seed and settings. The images
// differ only by their noise (each batch draws its own), so the mean final activations are reported
// side by side as a check that both did the same work.
import assert from "node:assert/strict";
import { loadTensorFlow } from "../../src/core/backend";
import { digitsModelPath, loadModel } from "../../src/core/data";
import { featureVisualization } from "../../src/core/interp";
import { medianMs, type Benchmark } from "./harness";

const UNITS = 32;
const STEPS = 64;

export const benchmarks: Benchmark[] = [
  {
    id: "featureVisualization.digits-cnn-conv2",
    async run() {
      const { backend } = await loadTensorFlow();
      const loaded = await loadModel(digitsModelPath("cnn"));
      if (loaded.kind !== "layers") throw new Error("the digits CNN should be a layers model");
      const settings = { layer: "conv2", steps: STEPS, regularizers: { jitter: 1, blur: 0.5 }, randomDirections: 0, seed: 1 };
      const units = Array.from({ length: UNITS }, (_, u) => u);
      let batched: Awaited<ReturnType<typeof featureVisualization>> | undefined;
      const ours = await medianMs(async () => (batched = await featureVisualization(loaded.model, { ...settings, unit: units })), 3, 1);
      const single: number[] = [];
      const baseline = await medianMs(async () => {
        single.length = 0;
        for (const unit of units) single.push((await featureVisualization(loaded.model, { ...settings, unit })).features[0].activation);
      }, 1, 0);
      assert.equal(single.length, UNITS);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      loaded.model.dispose();
      return {
        subject: { name: `featureVisualization, ${UNITS} units in one batch`, value: ours, unit: "ms" },
        baseline: { name: "the same, one unit per call", value: baseline, unit: "ms" },
        note: `${STEPS} steps, jitter 1, blur 0.5; mean final activation ${mean(batched!.features.map((f) => f.activation)).toFixed(3)} batched vs ${mean(single).toFixed(3)} one by one; backend ${backend}`,
      };
    },
  },
];
