import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { InterpError } from "../../../src/core/interp/activations";
import { controlTaskLabels, probeProbabilities, probeWithControl, trainProbe } from "../../../src/core/interp/representations/probe";
import { createRng } from "../../../src/core/stats/rng";

const reference = JSON.parse(readFileSync(join(__dirname, "../../reference/interp/probe.json"), "utf8"));

test("matches scikit-learn's LogisticRegression (same split, same L2) in accuracy and probabilities, without leaking tensors", async () => {
  const before = tf.memory().numTensors;
  const probe = await trainProbe(reference.features, reference.labels, { split: { train: reference.train, test: reference.test }, l2: reference.l2 });
  assert.equal(tf.memory().numTensors, before);
  assert.ok(Math.abs(probe.testAccuracy - reference.test_accuracy) <= 0.01, `test ${probe.testAccuracy} vs sklearn ${reference.test_accuracy}`);
  assert.ok(Math.abs(probe.trainAccuracy - reference.train_accuracy) <= 0.01, `train ${probe.trainAccuracy} vs sklearn ${reference.train_accuracy}`);
  const p = probeProbabilities(probe, reference.test.map((i: number) => reference.features[i]));
  let worst = 0;
  p.forEach((row, i) => row.forEach((v, c) => (worst = Math.max(worst, Math.abs(v - reference.test_probabilities[i][c])))));
  assert.ok(worst < 1e-3, `max |p − p_sklearn| = ${worst}`);
});

test("control labels are consistent per type, seeded, and follow the real label distribution", () => {
  const rng = createRng(1);
  const types = Array.from({ length: 3000 }, () => `w${rng.int(600)}`);
  const labels = Array.from({ length: 3000 }, (_, i) => (i % 10 < 7 ? 0 : i % 10 < 9 ? 1 : 2));
  const control = controlTaskLabels(types, labels, 5);
  const byType = new Map<string, number>();
  types.forEach((t, i) => {
    if (byType.has(t)) assert.equal(control[i], byType.get(t));
    byType.set(t, control[i]);
  });
  assert.deepEqual(controlTaskLabels(types, labels, 5), control);
  assert.notDeepEqual(controlTaskLabels(types, labels, 6), control);
  // Per type, P(label 0) = 0.7: over ~600 types the share is within 5 SDs (SD ≈ 0.019).
  const shares = [...byType.values()];
  assert.ok(Math.abs(shares.filter((l) => l === 0).length / shares.length - 0.7) < 0.1);
});

test("selectivity = task − control: high for a property linearly present, near zero for one that is not", async () => {
  // 200 types × 3 tokens; the representation is the type's embedding + noise. The property is linear in
  // the embedding (sign of its first coordinate), so the probe reads it; control labels are per type.
  const rng = createRng(9);
  const embeddings = Array.from({ length: 200 }, () => Array.from({ length: 6 }, () => rng.normal()));
  const types = Array.from({ length: 600 }, (_, i) => i % 200);
  const features = types.map((t) => embeddings[t].map((v) => v + 0.1 * rng.normal()));
  const labels = types.map((t) => (embeddings[t][0] > 0 ? 1 : 0));
  const before = tf.memory().numTensors;
  const result = await probeWithControl(features, labels, { types, seed: 3, epochs: 200 });
  assert.equal(tf.memory().numTensors, before);
  assert.ok(result.task.testAccuracy > 0.9, `task ${result.task.testAccuracy}`);
  assert.ok(result.control.testAccuracy < 0.7, `control ${result.control.testAccuracy}`);
  assert.equal(result.selectivity, result.task.testAccuracy - result.control.testAccuracy);
  assert.deepEqual(result.task.test, result.control.test, "same split for task and control");
  const again = await probeWithControl(features, labels, { types, seed: 3, epochs: 200 });
  assert.equal(again.selectivity, result.selectivity, "seeded: reproducible");
  // Mini-batches follow the seed too.
  const mini = await trainProbe(features, labels, { seed: 3, epochs: 20, batchSize: 64 });
  assert.ok(mini.testAccuracy > 0.9);
});

test("bad input is a typed error", async () => {
  await assert.rejects(trainProbe([[1], [2]], [0, 1], { testFraction: 1.5 }), (e: InterpError) => e.kind === "invalid-input");
  await assert.rejects(trainProbe([[1], [2], [3]], [0, 1, 3], { numClasses: 2 }), (e: InterpError) => e.kind === "invalid-input");
  await assert.rejects(trainProbe([[1], [2]], [0, 1], { split: { train: [0], test: [5] } }), (e: InterpError) => e.kind === "invalid-input");
});
