import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { loadModel, readDigitsTable } from "../../../src/core/data";
import { InterpError } from "../../../src/core/interp/activations";
import { exemplarsOf, topExemplars } from "../../../src/core/interp/exemplars";
import { createRng } from "../../../src/core/stats/rng";

/** 200 images × 6 units of noise; unit 0 fires for class 3 (labels cycle 0..9). */
function planted() {
  const rng = createRng(11);
  const n = 200, units = 6;
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  const data = new Float32Array(n * units);
  for (let i = 0; i < n; i++) for (let j = 0; j < units; j++) data[i * units + j] = rng.normal() + (j === 0 && labels[i] === 3 ? 4 : 0);
  return { data, shape: [n, units], labels };
}

test("top and bottom images by hand; separation and purity as defined", () => {
  const data = Float32Array.from([5, 0, 1, 0, 3, 0, 2, 0, 4, 0, 0, 0]); // 6 images × 2 units
  const e = exemplarsOf({ data, shape: [6, 2] }, { unit: 0, k: 2, labels: [1, 2, 2, 1, 1, 0], randomDirections: 10 });
  assert.deepEqual(e.top, [{ index: 0, activation: 5 }, { index: 4, activation: 4 }]);
  assert.deepEqual(e.bottom, [{ index: 5, activation: 0 }, { index: 1, activation: 1 }]);
  const mean = 15 / 6, sd = Math.sqrt([5, 1, 3, 2, 4, 0].reduce((s, v) => s + (v - mean) ** 2, 0) / 5);
  assert.ok(Math.abs(e.separation - (4.5 - mean) / sd) < 1e-12);
  assert.equal(e.purity, 1, "images 0 and 4 are both class 1");
});

test("a planted class-3 unit is pure and above random directions; a noise unit is not", () => {
  const { data, shape, labels } = planted();
  const unit = exemplarsOf({ data, shape }, { unit: 0, k: 10, labels, seed: 2 });
  assert.equal(unit.purity, 1);
  assert.ok(unit.top.every((t) => labels[t.index] === 3));
  // Random directions that lean on unit 0 select class 3 too (ties at purity 1); none does better.
  assert.ok(unit.random.purity!.every((p) => p <= unit.purity!));
  assert.ok(unit.random.purityPercentile! >= 0.9 && unit.random.separationPercentile >= 0.95, JSON.stringify([unit.random.purityPercentile, unit.random.separationPercentile]));
  assert.equal(unit.random.separation.length, 100);
  const noise = exemplarsOf({ data, shape }, { unit: 4, k: 10, labels, seed: 2 });
  assert.ok(noise.purity! <= 0.5);
  assert.ok(noise.random.purityPercentile! < 0.95 && noise.random.separationPercentile < 0.95, JSON.stringify([noise.random.purityPercentile, noise.random.separationPercentile]));
  // A direction equal to the unit's axis gives the unit's result.
  const axis = exemplarsOf({ data, shape }, { direction: [2, 0, 0, 0, 0, 0], k: 10, labels, seed: 2 });
  assert.deepEqual(axis.top.map((t) => t.index), unit.top.map((t) => t.index));
});

test("the digits CNN's dense units on 300 digits, from a model; errors are typed", async () => {
  const loaded = await loadModel("examples/digits/models/cnn/model.json");
  if (loaded.kind !== "layers") throw new Error("the digits CNN should be a layers model");
  const table = readDigitsTable("examples/digits/digits.csv.gz");
  const images = tf.tensor4d(table.pixels.subarray(0, 300 * 64), [300, 8, 8, 1]);
  const labels = table.labels.subarray(0, 300);
  const before = tf.memory().numTensors;
  const conv = await topExemplars(loaded.model, images, { layer: "conv2", unit: 3, labels, k: 9, randomDirections: 20 });
  assert.equal(conv.layer, "conv2");
  assert.equal(conv.top.length, 9);
  assert.ok(conv.top[0].activation >= conv.top[8].activation && conv.top[8].activation >= conv.bottom[0].activation);
  assert.equal(tf.memory().numTensors, before);
  const kind = (k: string) => (e: InterpError) => e instanceof InterpError && e.kind === k;
  await assert.rejects(topExemplars(loaded.model, images, { layer: "conv2" }), kind("invalid-input"));
  assert.throws(() => exemplarsOf({ data: new Float32Array(20), shape: [10, 2] }, { unit: 0, k: 2 }), (e: InterpError) => kind("invalid-input")(e) && /constant/.test(e.message));
  assert.throws(() => exemplarsOf({ data: new Float32Array(20), shape: [10, 2] }, { unit: 0, k: 6 }), kind("invalid-input"));
  images.dispose();
  loaded.model.dispose();
});
