// Guided Backprop, Grad-CAM, Guided Grad-CAM, occlusion and DeepLift for 100 test digits on the example
// CNN, each against the plain gradient of the same images measured alternately in the same run (the
// cost of the method's extra work: a rewritten backward pass, a split at conv2, 17 forward passes
// per image for 2x2 occlusion, DeepLift's baseline rows and rescale rules run op by op).
import * as tf from "@tensorflow/tfjs";
import { loadTensorFlow } from "../../src/core/backend";
import { loadDigits, loadModel } from "../../src/core/data";
import { deepLift, gradCam, gradient, guidedBackprop, guidedGradCam, occlusion } from "../../src/core/interp/attribution";
import { type Benchmark, interleavedMedians, type Measurement } from "./harness";

const RUNS = 7;

export const benchmarks: Benchmark[] = [
  {
    id: "attribution.methods",
    async run() {
      const { backend } = await loadTensorFlow();
      const digits = loadDigits();
      const model = await loadModel("examples/digits/models/cnn/model.json");
      const x = digits.test.images.slice(0, 100);
      const methods = [
        ["Guided Backprop", () => guidedBackprop(model, x)],
        ["Grad-CAM (conv2)", () => gradCam(model, x, { layer: "conv2" })],
        ["Guided Grad-CAM (conv2)", () => guidedGradCam(model, x, { layer: "conv2" })],
        ["occlusion (2x2, stride 2)", () => occlusion(model, x, { window: [2, 2] })],
        ["DeepLift (rescale, baseline 0)", () => deepLift(model, x)],
      ] as const;
      const rows: Measurement[] = [];
      try {
        for (const [name, run] of methods) {
          const [subject, baseline] = await interleavedMedians(run, () => gradient(model, x), RUNS);
          rows.push({ subject: { name: `${name}, 100 digits (median)`, value: subject, unit: "ms" }, baseline: { name: "gradient, same digits", value: baseline, unit: "ms" }, note: `${backend}; ${RUNS} interleaved runs` });
        }
      } finally {
        tf.dispose(x);
        digits.dispose();
      }
      return rows;
    },
  },
];
