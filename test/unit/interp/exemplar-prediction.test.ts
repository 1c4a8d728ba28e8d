import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { loadModel, readDigitsTable } from "../../../src/core/data";
import { InterpError } from "../../../src/core/interp/activations";
import { exemplarPrediction, nearestExemplarAccuracy } from "../../../src/core/interp/exemplar-prediction";
import { createRng } from "../../../src/core/stats/rng";

test("nearest-exemplar accuracy by hand: scores from Pearson correlations, pairs ordered, ties half", () => {
  // top = [1, 2, 3] and bottom = [3, 2, 1]: a query's correlation with top is +r and with bottom −r, score 2r.
  const queries = [
    [0, 1, 2], // r = 1 → score 2
    [2, 1, 0], // r = −1 → −2
    [5, 5, 5], // constant → correlation 0 → score 0
    [1, 0, 1], // r = 0 → 0
  ];
  const r = nearestExemplarAccuracy({ top: [[1, 2, 3]], bottom: [[3, 2, 1]], queries, activations: [4, 1, 2, 2] });
  // Pairs with different activations: (0,1) right, (0,2) right, (0,3) right, (1,2) right, (1,3) right; (2,3) tied activations: skipped.
  assert.deepEqual(r, { accuracy: 1, pairs: 5 });
  const tie = nearestExemplarAccuracy({ top: [[1, 2, 3]], bottom: [[3, 2, 1]], queries, activations: [4, 1, 3, 2] });
  // (2,3): scores 0 and 0 tie → half.
  assert.deepEqual(tie, { accuracy: 5.5 / 6, pairs: 6 });
});

test("a query's distance from the unit's pattern predicts perfectly; swapping the references gives 1 − accuracy", () => {
  const rng = createRng(3);
  const d = 30;
  const p = Array.from({ length: d }, () => rng.normal());
  const z = Array.from({ length: d }, () => rng.normal());
  // Make z orthogonal to p after centring, so corr(p + t·z, p) = 1/√(1 + t²·|z|²/|p|²), falling with t.
  const centre = (v: number[]) => v.map((x) => x - v.reduce((a, b) => a + b, 0) / v.length);
  const pc = centre(p), zc0 = centre(z);
  const proj = zc0.reduce((s, v, i) => s + v * pc[i], 0) / pc.reduce((s, v) => s + v * v, 0);
  const zc = zc0.map((v, i) => v - proj * pc[i]);
  const t = Array.from({ length: 12 }, (_, i) => i * 0.3);
  const queries = t.map((ti) => pc.map((v, i) => v + ti * zc[i]));
  const activations = t.map((ti) => -ti);
  const right = nearestExemplarAccuracy({ top: [pc], bottom: [pc.map((v) => -v)], queries, activations });
  assert.deepEqual(right, { accuracy: 1, pairs: 66 });
  // Random references: accuracy a, and 1 − a with the roles swapped (no ties in score).
  const refs = Array.from({ length: 4 }, () => Array.from({ length: d }, () => rng.normal()));
  const noisy = queries.map((q) => q.map((v) => v + rng.normal()));
  const a = nearestExemplarAccuracy({ top: refs.slice(0, 2), bottom: refs.slice(2), queries: noisy, activations });
  const b = nearestExemplarAccuracy({ top: refs.slice(2), bottom: refs.slice(0, 2), queries: noisy, activations });
  assert.ok(Math.abs(a.accuracy + b.accuracy - 1) < 1e-12, `${a.accuracy} + ${b.accuracy}`);
});

test("the digits CNN: natural vs synthetic references per unit, a dead unit reported undefined, seeded, no tensors left", async () => {
  const loaded = await loadModel("examples/digits/models/cnn/model.json");
  if (loaded.kind !== "layers") throw new Error("the digits CNN should be a layers model");
  const table = readDigitsTable("examples/digits/digits.csv.gz");
  const images = tf.tensor4d(table.pixels.subarray(0, 120 * 64), [120, 8, 8, 1]);
  const before = tf.memory().numTensors;
  // conv2's unit 20 is dead on the digits (0 on every image).
  const options = { layer: "conv2", units: [3, 20, 4], k: 3, featureVisualization: { steps: 12 }, seed: 1 };
  const r = await exemplarPrediction(loaded.model, images, options);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(r.heldOut.length, 60);
  assert.equal(new Set(r.heldOut).size, 60);
  const [u3, u20, u4] = r.units;
  assert.equal(u20.natural, null);
  assert.match(u20.undefinedBecause!, /same activation/);
  for (const u of [u3, u4]) {
    assert.ok(u.natural! >= 0 && u.natural! <= 1 && u.synthetic! >= 0 && u.synthetic! <= 1);
    assert.ok(u.pairs > 0 && u.pairs <= (60 * 59) / 2);
    // Natural references come from the reference half, most activating first.
    assert.ok(u.top.every((i) => !r.heldOut.includes(i)) && u.bottom.every((i) => !r.heldOut.includes(i)));
  }
  assert.equal(r.comparison.units, 2);
  assert.ok(Math.abs(r.natural - (u3.natural! + u4.natural!) / 2) < 1e-12);
  assert.equal(r.syntheticReferences.features.length, 3 * 2 * 3);
  assert.deepEqual((await exemplarPrediction(loaded.model, images, options)).units, r.units, "seeded");
  await assert.rejects(exemplarPrediction(loaded.model, images, { ...options, units: [20] }), (e: unknown) => e instanceof InterpError && /no unit/.test(e.message));
  await assert.rejects(exemplarPrediction(loaded.model, images, { ...options, k: 40 }), (e: unknown) => e instanceof InterpError && e.kind === "invalid-input");
  images.dispose();
  loaded.model.dispose();
});
