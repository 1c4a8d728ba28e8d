import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { InterpError } from "../../../src/core/interp/activations";
import { classSelectivity, layerClassSelectivity } from "../../../src/core/interp/selectivity";
import { digitsMlpInputs } from "./activations-digits";

const reference = JSON.parse(readFileSync(join(__dirname, "../../reference/interp/selectivity.json"), "utf8"));

/** [n, units] activations from a per-example function. */
function acts(n: number, units: number, f: (i: number, u: number) => number) {
  const data = new Float32Array(n * units);
  for (let i = 0; i < n; i++) for (let u = 0; u < units; u++) data[i * units + u] = f(i, u);
  return { data, shape: [n, units] };
}

test("invariants: one-class unit ≈ 1, dead unit = 0, equal class means = 0", () => {
  const labels = Array.from({ length: 40 }, (_, i) => i % 4);
  const a = acts(40, 3, (i, u) => (u === 0 ? (labels[i] === 2 ? 1 + (i % 3) : 0) : u === 1 ? 0 : 0.5 + (i % 8 < 4 ? 0.25 : -0.25)));
  const si = classSelectivity(a, labels);
  assert.ok(si.index[0] > 1 - 1e-6 && si.index[0] <= 1, `one-class unit: ${si.index[0]}`);
  assert.equal(si.preferredClass[0], 2);
  assert.equal(si.index[1], 0);
  assert.ok(Math.abs(si.index[2]) < 1e-9, `equal means: ${si.index[2]}`);
  assert.equal(si.summary.deadUnits, 1);
  assert.equal(si.summary.units, 3);
});

test("closed forms: class means [4, 1, 3] give (4 − 2)/(4 + 2) = 1/3; [3, 1] give 1/2", () => {
  const labels = [0, 0, 1, 1, 2, 2];
  const three = classSelectivity(acts(6, 1, (i) => [3, 5, 0, 2, 3, 3][i]), labels);
  assert.ok(Math.abs(three.index[0] - 1 / 3) < 1e-7);
  assert.deepEqual(three.classMeans[0], [4, 1, 3]);
  const two = classSelectivity(acts(4, 1, (i) => [3, 3, 1, 1][i]), [0, 0, 1, 1]);
  assert.ok(Math.abs(two.index[0] - 0.5) < 1e-7);
});

test("a tensor and nested arrays give what { data, shape } gives (dense and conv maps); anything else is refused", () => {
  const labels = [0, 0, 1, 1, 2, 2];
  const dense = [[3, 0], [5, 1], [0, 0], [2, 0], [3, 4], [3, 2]];
  const expected = classSelectivity({ data: dense.flat(), shape: [6, 2] }, labels);
  assert.ok(Math.abs(expected.index[0] - 1 / 3) < 1e-7);
  const tensor = tf.tensor2d(dense);
  assert.deepEqual(classSelectivity(tensor, labels), expected);
  tensor.dispose();
  assert.deepEqual(classSelectivity(dense, labels), expected);
  // Conv maps [n, 1, 2, units]: the unit's spatial mean.
  const maps = dense.map(([a, b]) => [[[a, b], [a, b]]]);
  assert.deepEqual(classSelectivity(maps, labels).index, expected.index);
  assert.throws(() => classSelectivity([[1, 2], [3]], [0, 1]), (e: unknown) => e instanceof InterpError && e.kind === "shape-mismatch" && /activations\[1\] has 1 entries/.test(e.message));
  assert.throws(() => classSelectivity([1, 2, 3], [0, 1, 2]), (e: unknown) => e instanceof InterpError && /\[n, units\]/.test(e.message));
  assert.throws(() => classSelectivity("activations" as never, [0, 1]), (e: unknown) => e instanceof InterpError && e.kind === "invalid-input");
});

test("matches an independent numpy computation (dense and conv maps)", () => {
  for (const c of reference.cases) {
    const si = classSelectivity({ data: Float32Array.from(c.activations), shape: c.shape }, c.labels, { epsilon: reference.epsilon });
    assert.equal(si.index.length, c.index.length);
    c.index.forEach((expected: number, u: number) => assert.ok(Math.abs(si.index[u] - expected) < 1e-9, `${c.name} unit ${u}: ${si.index[u]} vs ${expected}`));
    assert.deepEqual(si.preferredClass, c.preferred);
    const sorted = [...c.index].sort((x: number, y: number) => x - y);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    assert.ok(Math.abs(si.summary.median - median) < 1e-9);
    assert.equal(si.summary.histogram.reduce((s, b) => s + b.count, 0), c.index.length);
  }
});

test("non-post-ReLU activations are an error unless rectified; empty classes are an error", () => {
  const negative = acts(4, 1, (i) => [1, -1, 2, 0][i]);
  assert.throws(() => classSelectivity(negative, [0, 0, 1, 1]), (e: InterpError) => e.kind === "negative-activations");
  const rectified = classSelectivity(negative, [0, 0, 1, 1], { rectify: true });
  assert.ok(Math.abs(rectified.index[0] - (1 - 0.5) / (1 + 0.5)) < 1e-7);
  assert.throws(() => classSelectivity(acts(2, 1, () => 1), [0, 2]), (e: InterpError) => e.kind === "invalid-input" && /1/.test(e.message));
  assert.throws(() => classSelectivity(acts(2, 1, () => 1), [0, 0]), (e: InterpError) => e.kind === "invalid-input" && /at least 2/.test(e.message));
});

test("on a model: a hidden unit wired to one class input is selective, a dead one is 0, no tensors leak", async () => {
  // Inputs are one-hot classes (3 classes); hidden unit 0 copies class 1, unit 1 is dead (weights −1), unit 2 sums all.
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [3], units: 3, activation: "relu", useBias: false, name: "h" }), tf.layers.dense({ units: 3 })],
  });
  model.layers[0].setWeights([tf.tensor2d([[0, -1, 1], [1, -1, 1], [0, -1, 1]])]);
  const labels = Array.from({ length: 30 }, (_, i) => i % 3);
  const x = tf.oneHot(tf.tensor1d(labels, "int32"), 3).toFloat();
  const before = tf.memory().numTensors;
  const si = await layerClassSelectivity(model, x, labels, { layer: "h", batchSize: 7 });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(si.layer, "h");
  assert.ok(si.index[0] > 1 - 1e-6);
  assert.equal(si.index[1], 0);
  assert.ok(Math.abs(si.index[2]) < 1e-7);
  x.dispose();
  model.dispose();
});

test("the shipped digits MLP: per-unit SI of both hidden layers matches numpy's (activations computed in numpy from weights.bin)", async () => {
  const { model, x, labels } = await digitsMlpInputs(reference.digits_mlp);
  for (const layer of ["dense1", "dense2"]) {
    const si = await layerClassSelectivity(model, x, labels, { layer, batchSize: 128 });
    const expected = reference.digits_mlp.layers[layer];
    expected.index.forEach((e: number, u: number) => assert.ok(Math.abs(si.index[u] - e) < 1e-5, `${layer} unit ${u}: ${si.index[u]} vs ${e}`));
    assert.deepEqual(si.preferredClass, expected.preferred);
  }
  x.dispose();
  model.dispose();
});
