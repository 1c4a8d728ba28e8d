// A randomised model that no longer depends on its input gives all-zero maps, whose similarity is
// undefined: the report, the charts and the verdict must say the control is degenerate instead of
// summarising what is left (issue 13: MobileNetV2's cascade reported "n = 0" and nothing else).
// The model is built so that re-initialising its convolution switches every unit off: BatchNorm's
// trained running mean (10) is far above anything a Glorot-initialised 1x1 kernel can produce from
// inputs in [0.6, 1] (at most √2), so the ReLU after it is 0 everywhere and the logits are the bias.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import * as charts from "../../../src/core/charts";
import { randomizationBlocks, randomizedCopy, sanityCheck, type SanityReport } from "../../../src/core/interp/sanity";
import { verdict } from "../../../src/core/verdict";
import { testTf } from "../../support/tf";

function deadAfterRandomisation(): tf.LayersModel {
  const input = tf.input({ shape: [6, 6, 1] });
  const conv = tf.layers.conv2d({ filters: 2, kernelSize: 1, useBias: false, name: "conv" }).apply(input) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ name: "bn" }).apply(conv) as tf.SymbolicTensor;
  const relu = tf.layers.activation({ activation: "relu" }).apply(bn) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(relu) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 3, name: "logits" }).apply(pooled) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits });
  model.getLayer("conv").setWeights([tf.tensor4d([20, 15], [1, 1, 1, 2])]);
  model.getLayer("bn").setWeights([tf.ones([2]), tf.zeros([2]), tf.fill([2], 10), tf.ones([2])]);
  model.getLayer("logits").setWeights([tf.tensor2d([1, -1, 0.5, -0.5, 2, 1], [2, 3]), tf.tensor1d([0.1, -0.2, 0.3])]);
  return model;
}

let report: SanityReport;
before(async () => {
  await testTf();
  const model = deadAfterRandomisation();
  const x = tf.tidy(() => tf.randomUniform([4, 6, 6, 1], 0.6, 1, "float32", 1));
  report = await sanityCheck("gradient", model, x, { cascading: false, edgeDetector: false });
  tf.dispose(x);
  model.dispose();
});

test("a control whose model lost its input is reported degenerate: why, for which examples, and every similarity undefined", () => {
  const dead = report.controls.find((c) => c.id === "independent-conv")!;
  assert.ok(dead, report.controls.map((c) => c.id).join());
  assert.deepEqual(dead.mapStatus, ["zero", "zero", "zero", "zero"]);
  assert.equal(dead.degenerate?.reason, "constant-output");
  assert.deepEqual(dead.degenerate?.examples, [0, 1, 2, 3]);
  assert.match(dead.degenerate!.message, /independent randomisation: conv is degenerate: its model's output is the same for every input, so 4 of 4 maps are all zero/);
  for (const measure of ["spearman", "spearmanAbs", "ssim", "hog"] as const) {
    assert.ok(dead.similarity[measure].every(Number.isNaN), `${measure} is undefined, not a number about a zero map`);
    assert.equal(dead.summary[measure].n, 0);
    assert.equal(dead.summary[measure].undefined, 4);
  }
  assert.deepEqual(report.degenerate.map((d) => d.control), ["independent-conv"], "the report lists it up front");
  assert.deepEqual(report.mapStatus, ["ok", "ok", "ok", "ok"], "the trained model's own maps are fine");
  // A control that still depends on the input is not flagged.
  const logits = report.controls.find((c) => c.id === "independent-logits")!;
  assert.equal(logits.degenerate, undefined);
  assert.equal(logits.summary.spearmanAbs.undefined, 0);
});

test("the charts show the degenerate control as such", () => {
  const similarity = charts.sanitySimilarity(report) as { layer: { mark: { type: string }; data: { values: { control: string; text?: string; mean?: number }[] } }[] };
  const text = similarity.layer.find((layer) => layer.mark.type === "text");
  assert.deepEqual(text?.data.values, [{ control: "independent randomisation: conv", text: "⚠ 4 of 4 undefined (degenerate: constant output)" }]);
  assert.ok(!similarity.layer[1].data.values.some((row) => row.control === "independent randomisation: conv"), "no mean of nothing");
  const grid = charts.sanityGrid(report) as { concat: { title: { text: string[] } }[] };
  const panel = grid.concat.find((p) => p.title.text[0] === "independent: conv");
  assert.deepEqual(panel?.title.text, ["independent: conv", "⚠ degenerate: constant output, zero map"]);
});

test("a verdict on the degenerate control's similarities is inconclusive and names the undefined values", () => {
  const dead = report.controls.find((c) => c.id === "independent-conv")!;
  const v = verdict({ id: "H1", test: { kind: "paired-permutation", alternative: "less", minEffect: 0.1 } }, dead.similarity.spearmanAbs, [0.5, 0.6, 0.55, 0.7]);
  assert.equal(v.verdict, "inconclusive");
  assert.deepEqual(v.undefinedValues, { observed: 4, baseline: 0 });
});

test("BatchNorm: gamma 1 and beta 0 in the randomised block, running statistics kept (Adebayo et al.) or re-estimated on a calibration batch", async () => {
  const model = deadAfterRandomisation();
  const x = tf.tidy(() => tf.randomUniform([5, 6, 6, 1], 0.6, 1, "float32", 2));
  const weights = (m: tf.LayersModel) => m.getLayer("bn").getWeights().map((w) => Array.from(w.dataSync()));
  // A copy's variables are renamed (bn/gamma_1): gamma must still come out as 1, not 0.
  const kept = await randomizedCopy(model, ["conv", "bn"], 0);
  assert.deepEqual(weights(kept), [[1, 1], [0, 0], [10, 10], [1, 1]]);
  const recalibrated = await randomizedCopy(model, ["conv", "bn"], 0, { batchNorm: "recalibrate", calibration: x });
  const [gamma, beta, mean, variance] = weights(recalibrated);
  assert.deepEqual([gamma, beta], [[1, 1], [0, 0]]);
  // The reference: the re-initialised conv's outputs on the calibration batch, averaged in plain JS.
  const kernel = recalibrated.getLayer("conv").getWeights()[0].dataSync();
  const pixels = Array.from(x.dataSync());
  for (const c of [0, 1]) {
    const z = pixels.map((p) => p * kernel[c]);
    const m = z.reduce((s, v) => s + v, 0) / z.length;
    const v = z.reduce((s, value) => s + (value - m) ** 2, 0) / z.length;
    assert.ok(Math.abs(mean[c] - m) < 1e-5 && Math.abs(variance[c] - v) < 1e-5, `channel ${c}: ${mean[c]}, ${variance[c]} vs ${m}, ${v}`);
  }
  // Recalibrated, the randomised block is no longer dead: the control is informative again.
  const report = await sanityCheck("gradient", model, x, { cascading: false, edgeDetector: false }, { batchNorm: "recalibrate" });
  assert.deepEqual(report.degenerate, []);
  [kept, recalibrated, model].forEach((m) => m.dispose());
  tf.dispose(x);
});

test("blocks: each weighted layer with its BatchNorm by default; by name pattern; explicit; in forward order", () => {
  const model = deadAfterRandomisation();
  assert.deepEqual(randomizationBlocks(model), [{ name: "conv", layers: ["conv", "bn"] }, { name: "logits", layers: ["logits"] }]);
  assert.deepEqual(randomizationBlocks(model, /^(conv|bn)/), [{ name: "conv", layers: ["conv"] }, { name: "bn", layers: ["bn"] }, { name: "logits", layers: ["logits"] }]);
  assert.deepEqual(randomizationBlocks(model, (layer) => (layer.name === "logits" ? "head" : "body")), [{ name: "body", layers: ["conv", "bn"] }, { name: "head", layers: ["logits"] }]);
  assert.deepEqual(randomizationBlocks(model, [{ name: "head", layers: ["logits"] }, { name: "stem", layers: ["bn", "conv"] }]), [{ name: "stem", layers: ["conv", "bn"] }, { name: "head", layers: ["logits"] }]);
  assert.throws(() => randomizationBlocks(model, [{ name: "a", layers: ["conv"] }, { name: "b", layers: ["conv"] }]), /layer conv is in two blocks/);
  assert.throws(() => randomizationBlocks(model, [{ name: "a", layers: ["nope"] }]), /block a: no layer named nope/);
  model.dispose();
});

test("the cascade goes by block, top down; each control names its blocks and their layers", () => {
  assert.deepEqual(
    report.controls.map((c) => [c.id, c.blocks, c.layers]),
    [
      ["independent-logits", ["logits"], ["logits"]],
      ["independent-conv", ["conv"], ["bn", "conv"]],
    ],
  );
});
