// The selectivity regulariser: its per-batch SI is the class selectivity index that selectivity.ts
// computes (itself checked against numpy), on dense and conv activations and with classes missing
// from the batch; its gradient matches finite differences; and training with it moves selectivity
// the way α says, through model.fit (the user's own model is what gets trained) and a custom loop.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { classSelectivity, layerClassSelectivity, selectivityRegularizer, unitSelectivity } from "../../../src/core/interp";
import { createRng } from "../../../src/core/stats/rng";
import { noLeak, testTf } from "../../support/tf";
import { assertClose } from "./reference";

before(testTf);

const rng = createRng(5);
const uniform = (n: number) => Float32Array.from({ length: n }, () => rng.next());

test("unit SI of a batch is selectivity.ts's index, for dense and conv activations", () => {
  const labels = Int32Array.from({ length: 30 }, (_, i) => i % 4);
  const dense = uniform(30 * 5);
  const si = tf.tidy(() => unitSelectivity(tf.tensor2d(dense, [30, 5]), tf.tensor1d(labels), 4).dataSync());
  assertClose(si, classSelectivity({ data: dense, shape: [30, 5] }, labels).index, 1e-5, "dense");
  const conv = uniform(30 * 3 * 2 * 6);
  const siConv = tf.tidy(() => unitSelectivity(tf.tensor4d(conv, [30, 3, 2, 6]), tf.tensor1d(labels), 4).dataSync());
  assertClose(siConv, classSelectivity({ data: conv, shape: [30, 3, 2, 6] }, labels).index, 1e-5, "conv (spatial mean first)");
});

test("classes missing from a batch are left out of μ_−max; one class alone gives 0", () => {
  // Classes 0, 2 and 5 of 6 present: the index over the present classes only.
  const present = [0, 2, 5];
  const labels = Int32Array.from({ length: 12 }, (_, i) => present[i % 3]);
  const acts = uniform(12 * 4);
  const si = tf.tidy(() => unitSelectivity(tf.tensor2d(acts, [12, 4]), tf.tensor1d(labels), 6).dataSync());
  const renumbered = labels.map((c) => present.indexOf(c));
  assertClose(si, classSelectivity({ data: acts, shape: [12, 4] }, renumbered).index, 1e-5, "present classes only");
  const alone = tf.tidy(() => unitSelectivity(tf.tensor2d(acts, [12, 4]), tf.zeros([12]), 6).dataSync());
  assert.deepEqual(Array.from(alone), [0, 0, 0, 0]);
});

test("the gradient of mean SI matches central finite differences", () => {
  const labels = tf.tensor1d(Int32Array.from({ length: 9 }, (_, i) => i % 3));
  const acts = Array.from(uniform(9 * 2), (v) => 0.2 + v);
  const f = (a: tf.Tensor) => tf.mean(unitSelectivity(a, labels, 3));
  const grad = tf.tidy(() => tf.grad(f)(tf.tensor2d(acts, [9, 2])).dataSync());
  const h = 1e-2;
  const numeric = acts.map((_, k) =>
    tf.tidy(() => {
      const at = (d: number) => f(tf.tensor2d(acts.map((v, j) => (j === k ? v + d : v)), [9, 2])).dataSync()[0];
      return (at(h) - at(-h)) / (2 * h);
    }),
  );
  assertClose(grad, numeric, 2e-3, "∂ mean SI / ∂ activation");
  labels.dispose();
});

/** Two-layer ReLU net on 4 Gaussian blobs in 6 dimensions. */
function blobs(seed: number) {
  const r = createRng(seed);
  const centres = Array.from({ length: 4 }, () => Array.from({ length: 6 }, () => 2 * r.normal()));
  const labels = Int32Array.from({ length: 128 }, (_, i) => i % 4);
  const x = tf.tensor2d(Array.from(labels, (c) => centres[c].map((m) => m + r.normal())), [128, 6]);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ name: "hidden", inputShape: [6], units: 16, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dense({ name: "out", units: 4, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
  return { x, labels, model };
}

test("training with α > 0 raises the layer's selectivity and α < 0 lowers it, through model.fit on the user's model", async () => {
  const meanSi = async (alpha: number) => {
    const { x, labels, model } = blobs(3);
    const reg = selectivityRegularizer(model, ["hidden"], alpha);
    assert.equal(reg.model.outputs.length, 2);
    reg.compile({ optimizer: tf.train.adam(0.01), loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    const y = reg.targets(labels);
    const history = await reg.model.fit(x, y, { epochs: 15, batchSize: 64, shuffle: false, verbose: 0 });
    assert.ok(history.history.out_acc, "metrics are kept for the model's own output");
    // The user's model was trained (shared layers): it now classifies the blobs.
    const accuracy = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1).dataSync()).filter((p, i) => p === labels[i]).length / labels.length;
    const si = (await layerClassSelectivity(model, x, labels, { layer: "hidden" })).summary.mean;
    tf.dispose([x, ...y]);
    return { si, accuracy };
  };
  const [lower, none, higher] = [await meanSi(-1), await meanSi(0), await meanSi(1)];
  assert.ok(none.accuracy > 0.9, `accuracy ${none.accuracy}`);
  assert.ok(lower.si < none.si - 0.05 && higher.si > none.si + 0.05, `SI at α = −1, 0, 1: ${lower.si}, ${none.si}, ${higher.si}`);
});

test("custom loop: loss = base + penalty, penalty = −α · batch SI, and no tensor is left behind", async () => {
  const { x, labels, model } = blobs(4);
  const reg = selectivityRegularizer(model, ["hidden"], -2);
  const y = tf.tensor1d(labels, "float32");
  const optimizer = tf.train.adam(0.01);
  // The first step makes Adam's moment variables; later steps must leave nothing behind.
  tf.dispose(optimizer.minimize(() => reg.loss(x, y), true) ?? undefined);
  await noLeak(async () => {
    for (let step = 0; step < 3; step++) tf.dispose(optimizer.minimize(() => reg.loss(x, y), true) ?? undefined);
  });
  const [output, hidden] = reg.model.predict(x) as tf.Tensor[];
  const si = reg.batchSelectivity([hidden], y).dataSync()[0];
  assert.ok(Math.abs(reg.penalty([hidden], y).dataSync()[0] - 2 * si) < 1e-6, "−α · SI with α = −2");
  const base = tf.tidy(() => tf.mean(tf.metrics.categoricalCrossentropy(tf.oneHot(tf.tensor1d(labels), 4), output)).dataSync()[0]);
  assert.ok(Math.abs(reg.loss(x, y).dataSync()[0] - (base + 2 * si)) < 1e-5);
  assert.throws(() => selectivityRegularizer(model, ["out"], 1), /activation softmax: class selectivity is defined on post-ReLU/);
  tf.dispose([x, y, output, hidden]);
});
