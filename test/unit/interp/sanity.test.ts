// Sanity checks: the Sobel control's closed form, randomised copies that never touch the user's
// model, and sanityCheck's plumbing (a control identical to the method must score 1 on every measure).
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { loadModel, type LoadedModel } from "../../../src/core/data";
import { type AttributionResult, gradient } from "../../../src/core/interp/attribution";
import { cloneModel, randomizableLayers, randomizedCopy, sanityCheck, sobelMagnitude } from "../../../src/core/interp/sanity";
import { summarize } from "../../../src/core/interp/sanity/sanity-check";
import { testTf } from "../../support/tf";
import { interpReference } from "./reference";

let cnn: LoadedModel;
let x: tf.Tensor4D;
before(async () => {
  await testTf();
  cnn = await loadModel("examples/digits/models/cnn");
  const inputs = interpReference<{ inputs: number[][] }>("attribution").inputs;
  x = tf.tensor4d(inputs.flat(), [inputs.length, 8, 8, 1]);
});

test("Sobel magnitude: 0 on a flat image, 4 beside a unit step (both directions), replicated borders", () => {
  const flat = Array.from({ length: 5 }, () => new Array(6).fill(0.7));
  assert.ok(sobelMagnitude(flat).flat().every((v) => Math.abs(v) < 1e-12));
  const vertical = Array.from({ length: 5 }, () => [0, 0, 0, 1, 1, 1]);
  assert.deepEqual(sobelMagnitude(vertical), Array.from({ length: 5 }, () => [0, 0, 4, 4, 0, 0]));
  const horizontal = [0, 0, 1, 1, 1].map((v) => new Array(4).fill(v));
  assert.deepEqual(sobelMagnitude(horizontal), [0, 4, 4, 0, 0].map((v) => new Array(4).fill(v)));
  // A bright corner pixel, seen from its right neighbour (0, 1) with replicated borders:
  // Gx = (0 + 0 + 0) − (1 + 2·1 + 0) = −3, Gy = (0 + 0 + 0) − (1 + 0 + 0) = −1 (row −1 replicates row 0).
  const dot = [[1, 0, 0], [0, 0, 0], [0, 0, 0]];
  assert.ok(Math.abs(sobelMagnitude(dot)[0][1] - Math.hypot(3, 1)) < 1e-12);
});

test("randomised copies: seeded Glorot-uniform kernels and zero biases in the named layers only; the original untouched", async () => {
  const model = cnn.model as tf.LayersModel;
  assert.deepEqual(randomizableLayers(model), ["logits", "dense", "conv2", "conv1"]);
  const weightsOf = (m: tf.LayersModel, layer: string) => m.getLayer(layer).getWeights().map((w) => Array.from(w.dataSync()));
  const before = ["logits", "dense", "conv2", "conv1"].map((l) => weightsOf(model, l));
  const a = await randomizedCopy(model, ["dense"], 3);
  const b = await randomizedCopy(model, ["dense"], 3);
  const c = await randomizedCopy(model, ["logits", "dense"], 3);
  const [kernel, bias] = weightsOf(a, "dense");
  const limit = Math.sqrt(6 / (288 + 64));
  assert.ok(kernel.every((v) => Math.abs(v) <= limit));
  const sd = Math.sqrt(kernel.reduce((s, v) => s + v * v, 0) / kernel.length);
  assert.ok(Math.abs(sd - limit / Math.sqrt(3)) < 0.02 * limit, `sd ${sd}`);
  assert.ok(bias.every((v) => v === 0));
  assert.deepEqual(weightsOf(b, "dense"), weightsOf(a, "dense"), "same seed, same weights");
  assert.deepEqual(weightsOf(c, "dense"), weightsOf(a, "dense"), "a layer's draws do not depend on which other layers are randomised");
  assert.deepEqual(weightsOf(a, "conv1"), before[3], "other layers keep their weights");
  assert.notDeepEqual(weightsOf(await randomizedCopy(model, ["dense"], 4), "dense")[0], kernel);
  assert.deepEqual(["logits", "dense", "conv2", "conv1"].map((l) => weightsOf(model, l)), before, "the user's model is unchanged");
  const clone = await cloneModel(model);
  const probe = tf.ones([1, 8, 8, 1]);
  assert.deepEqual(await (clone.predict(probe) as tf.Tensor).data(), await (model.predict(probe) as tf.Tensor).data());
  tf.dispose([probe]);
  [a, b, c, clone].forEach((m) => m.dispose());
  await assert.rejects(randomizedCopy(model, ["nope"], 0), /no layer named nope/);
});

test("sanityCheck: every control, per-example numbers and summaries; a control equal to the method scores 1; no leaks", async () => {
  const model = cnn.model as tf.LayersModel;
  const before = tf.memory().numTensors;
  const report = await sanityCheck("gradient", cnn, x, { labelRandomised: model });
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
  assert.deepEqual(report.controls.map((c) => c.id), [
    "cascading-1", "cascading-2", "cascading-3", "cascading-4",
    "independent-logits", "independent-dense", "independent-conv2", "independent-conv1",
    "label-randomised", "edge-detector",
  ]);
  assert.equal(report.n, 6);
  assert.deepEqual(report.controls[3].layers, ["logits", "dense", "conv2", "conv1"]);
  // The "label-randomised" control here is the trained model itself: identical maps.
  const same = report.controls.find((c) => c.id === "label-randomised")!;
  for (const measure of ["spearman", "spearmanAbs", "ssim", "hog"] as const) {
    same.similarity[measure].forEach((v) => assert.ok(Math.abs(v - 1) < 1e-9, `${measure}: ${v}`));
    assert.equal(same.summary[measure].n, 6);
  }
  // The method's own maps are the plain gradient maps of the predicted class.
  const g = await gradient(cnn, x);
  assert.deepEqual(report.targets, Array.from(g.targets));
  assert.ok(Math.abs(report.maps[2][3][4] - g.values[2 * 64 + 3 * 8 + 4]) < 1e-7);
  // Fully randomised weights change the maps: the mean |rank correlation| falls well below 1.
  const full = report.controls.find((c) => c.id === "cascading-4")!;
  assert.ok(full.summary.spearmanAbs.mean < 0.9, `cascading-4 spearmanAbs ${full.summary.spearmanAbs.mean}`);
  // The edge detector's maps are Sobel of the inputs.
  assert.deepEqual(report.controls.at(-1)!.maps[0], sobelMagnitude(report.images[0]));
  // Cascading steps randomise from the top: the first step re-initialises the logits layer only.
  assert.deepEqual(report.controls.find((c) => c.id === "cascading-1")!.layers, ["logits"]);
});

test("sanityCheck takes a custom explainer and is reproducible by seed", async () => {
  const calls: number[][] = [];
  const explain = async (m: Parameters<typeof gradient>[0], input: tf.Tensor, targets: Int32Array): Promise<AttributionResult> => {
    calls.push(Array.from(targets));
    return gradient(m, input, { target: targets });
  };
  const small = x.slice(0, 3);
  const a = await sanityCheck(explain, cnn, small, { independent: false, edgeDetector: false }, { seed: 9 });
  const b = await sanityCheck("gradient", cnn, small, { independent: false, edgeDetector: false }, { seed: 9 });
  assert.deepEqual(a.controls.map((c) => c.similarity), b.controls.map((c) => c.similarity));
  assert.ok(calls.every((t) => t.join() === calls[0].join()), "every control explains the trained model's classes");
  small.dispose();
});

test("summaries skip undefined values", () => {
  assert.deepEqual(summarize([1, NaN, 3, 2]), { n: 3, undefined: 1, mean: 2, median: 2, sd: 1, min: 1, max: 3 });
  assert.equal(summarize([NaN]).n, 0);
  assert.equal(summarize([NaN]).undefined, 1, "and count them");
});
