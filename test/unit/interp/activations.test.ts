import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { InterpError, labelArray, layerActivations, reduceSpatial } from "../../../src/core/interp/activations";

// x [n,3] → dense "hidden" (4, relu, known W, b) → dense "out" (2): the hidden activations have a closed form.
const W = [[1, -1, 0.5, 0], [2, 0, -1, 1], [-1, 1, 1, 0]];
const B = [0.1, -0.2, 0, 0.3];
function mlp(): tf.Sequential {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [3], units: 4, activation: "relu", name: "hidden" }), tf.layers.dense({ units: 2, name: "out" })],
  });
  model.layers[0].setWeights([tf.tensor2d(W), tf.tensor1d(B)]);
  return model;
}

function inputs(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => [Math.sin(i), Math.cos(2 * i), (i % 5) - 2]);
}

function closeArrays(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `index ${i}: ${actual[i]} vs ${expected[i]}`);
}

test("dense activations by name and by index equal relu(xW + b), across uneven batches, without leaking tensors", async () => {
  const model = mlp();
  const xs = inputs(10);
  const x = tf.tensor2d(xs);
  const expected = xs.flatMap((row) => B.map((b, j) => Math.max(0, b + row.reduce((s, v, k) => s + v * W[k][j], 0))));
  const before = tf.memory().numTensors;
  const byName = await layerActivations(model, x, { layer: "hidden", batchSize: 3 });
  const byIndex = await layerActivations(model, x, { layer: 0, batchSize: 64 });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(byName.shape, [10, 4]);
  assert.equal(byName.layer, "hidden");
  closeArrays(byName.data, expected, 1e-6);
  assert.deepEqual(Array.from(byIndex.data), Array.from(byName.data));
  const last = await layerActivations(model, x, { layer: -1 });
  assert.equal(last.layer, "out");
  tf.dispose(x);
  model.dispose();
});

test("conv maps: full maps, spatial mean and spatial max per channel, by closed form", async () => {
  // 1×1 convolution with two filters (weights 1 and −2, no bias), relu: channel c = relu(w_c · x).
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [3, 3, 1], filters: 2, kernelSize: 1, activation: "relu", useBias: false, name: "conv" }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
  });
  model.layers[0].setWeights([tf.tensor4d([[[[1, -2]]]])]);
  const images = Array.from({ length: 5 }, (_, i) => Array.from({ length: 9 }, (_, p) => Math.sin(3 * i + p)));
  const x = tf.tensor4d(images.flat(), [5, 3, 3, 1]);
  const before = tf.memory().numTensors;
  const full = await layerActivations(model, x, { layer: "conv", batchSize: 2 });
  const mean = await layerActivations(model, x, { layer: "conv", batchSize: 2, reduce: "spatial-mean" });
  const max = await layerActivations(model, x, { layer: "conv", reduce: "spatial-max" });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(full.shape, [5, 3, 3, 2]);
  assert.deepEqual(mean.shape, [5, 2]);
  closeArrays(full.data, images.flatMap((img) => img.flatMap((v) => [Math.max(0, v), Math.max(0, -2 * v)])), 1e-6);
  const channel = (img: number[], w: number) => img.map((v) => Math.max(0, w * v));
  closeArrays(mean.data, images.flatMap((img) => [1, -2].map((w) => channel(img, w).reduce((s, v) => s + v, 0) / 9)), 1e-6);
  closeArrays(max.data, images.flatMap((img) => [1, -2].map((w) => Math.max(...channel(img, w)))), 1e-6);
  tf.dispose(x);
  model.dispose();
});

test("errors are typed and actionable: unknown layer, wrong input shape, bad labels", async () => {
  const model = mlp();
  const x = tf.zeros([2, 3]);
  const wrong = tf.zeros([2, 4]);
  await assert.rejects(layerActivations(model, x, { layer: "nope" }), (e: InterpError) => e.kind === "unknown-layer" && /hidden/.test(e.message));
  await assert.rejects(layerActivations(model, wrong, { layer: 0 }), (e: InterpError) => e.kind === "shape-mismatch" && /\[n, 3\]/.test(e.message));
  await assert.rejects(layerActivations(model, x, { layer: 0, batchSize: 0 }), (e: InterpError) => e.kind === "invalid-input");
  assert.throws(() => labelArray([0, 1.5], 2), (e: InterpError) => e.kind === "invalid-input");
  assert.throws(() => labelArray([0], 2), (e: InterpError) => e.kind === "shape-mismatch");
  const t = tf.tensor1d([2, 0], "int32");
  assert.deepEqual(Array.from(labelArray(t, 2)), [2, 0]);
  tf.dispose([x, wrong, t]);
  model.dispose();
});

test("reduceSpatial leaves dense activations alone", () => {
  const t = tf.tensor2d([[1, 2]]);
  assert.equal(reduceSpatial(t, "spatial-mean"), t);
  t.dispose();
});
