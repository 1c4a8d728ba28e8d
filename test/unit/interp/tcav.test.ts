import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { InterpError } from "../../../src/core/interp/activations";
import { conceptActivationVector, layerGradients, tcav, tcavScore } from "../../../src/core/interp/representations/tcav";
import { createRng } from "../../../src/core/stats/rng";
import { studentTTest } from "../../../src/core/stats/t-test";

const rng = createRng(11);
const normals = (rows: number, cols: number) => Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));

// x[4] → "h" dense(4, relu, identity) → "h2" dense(6, relu) → "out" dense(3, softmax). Row 0 of h2's
// kernel and column 0 of out's kernel are positive, so class 0's logit rises along h's unit 0.
const W2 = normals(4, 6).map((row, i) => row.map((v) => (i === 0 ? Math.abs(v) + 0.5 : v)));
const B2 = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
const W3 = normals(6, 3).map((row) => row.map((v, k) => (k === 0 ? Math.abs(v) + 0.2 : v)));
const B3 = [0, 0.1, -0.1];
function model(): tf.Sequential {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [4], units: 4, activation: "relu", name: "h" }),
      tf.layers.dense({ units: 6, activation: "relu", name: "h2" }),
      tf.layers.dense({ units: 3, activation: "softmax", name: "out" }),
    ],
  });
  m.layers[0].setWeights([tf.eye(4), tf.zeros([4])]);
  m.layers[1].setWeights([tf.tensor2d(W2), tf.tensor1d(B2)]);
  m.layers[2].setWeights([tf.tensor2d(W3), tf.tensor1d(B3)]);
  return m;
}

/** The class-k logit as a function of h, in float64 on the host (independent of tfjs). */
function logit(h: number[], k: number): number {
  const h2 = B2.map((b, j) => Math.max(0, b + h.reduce((s, v, i) => s + v * W2[i][j], 0)));
  return B3[k] + h2.reduce((s, v, j) => s + v * W3[j][k], 0);
}

test("the CAV recovers a planted concept direction", async () => {
  const u = [0.6, -0.8, 0, 0, 0];
  const random = normals(80, 5);
  const concept = normals(80, 5).map((row) => row.map((v, i) => v + 3 * u[i]));
  const cav = await conceptActivationVector(concept, random, { seed: 1 });
  const cos = cav.vector.reduce((s, v, i) => s + v * u[i], 0);
  assert.ok(cos > 0.9, `cos(CAV, u) = ${cos}`);
  assert.ok(Math.abs(Math.hypot(...cav.vector) - 1) < 1e-9);
  assert.ok(cav.accuracy > 0.85, `held-out accuracy ${cav.accuracy} (Bayes: 0.93)`);
});

test("TCAV score = fraction of positive directional derivatives, checked by finite differences of the logit", async () => {
  const m = model();
  const xs = normals(60, 4).map((row) => row.map((v) => Math.abs(v)));
  const x = tf.tensor2d(xs);
  const before = tf.memory().numTensors;
  const gradients = await layerGradients(m, x, { layer: "h", classIndex: 0, batchSize: 16 });
  assert.equal(tf.memory().numTensors, before);
  for (const v of [[1, 0, 0, 0], [0.2, -1, 0.5, 0.3], [-0.5, 0.5, 0.5, -0.5]]) {
    let positive = 0, counted = 0;
    for (const h of xs) {
      const eps = 1e-4;
      const fd = (logit(h.map((hi, i) => hi + eps * v[i]), 0) - logit(h.map((hi, i) => hi - eps * v[i]), 0)) / (2 * eps);
      counted++;
      if (fd > 0) positive++;
    }
    assert.equal(tcavScore(gradients, v), positive / counted, `direction ${v}`);
  }
  assert.equal(tcavScore(gradients, [1, 0, 0, 0]), 1, "class 0's logit rises along unit 0 everywhere");
  // The gradient itself matches the finite difference (the logit, not the softmax probability).
  const g0 = Array.from(gradients.data.subarray(0, 4));
  g0.forEach((g, i) => {
    const e = [0, 0, 0, 0];
    e[i] = 1e-4;
    const fd = (logit(xs[0].map((h, j) => h + e[j]), 0) - logit(xs[0].map((h, j) => h - e[j]), 0)) / 2e-4;
    assert.ok(Math.abs(g - fd) < 1e-3, `∂logit/∂h${i}: ${g} vs ${fd}`);
  });
  assert.throws(() => tcavScore(gradients, [1, 0]), (e: InterpError) => e.kind === "shape-mismatch");
  await assert.rejects(layerGradients(m, x, { layer: "h", classIndex: 3 }), (e: InterpError) => e.kind === "invalid-input");
  x.dispose();
  m.dispose();
});

test("tcav(): a planted concept beats random CAVs by a t-test; results are seeded", async () => {
  const m = model();
  const positive = (rows: number, shift: number[]) => normals(rows, 4).map((row) => row.map((v, i) => Math.abs(v) + shift[i]));
  const concept = tf.tensor2d(positive(30, [2, 0, 0, 0]));
  const random = tf.tensor2d(positive(200, [0, 0, 0, 0]));
  const classInputs = tf.tensor2d(positive(50, [0, 0, 0, 0]));
  const before = tf.memory().numTensors;
  const options = { layer: "h", classIndex: 0, concept, random, classInputs, runs: 6, seed: 2, epochs: 150 };
  const result = await tcav(m, options);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(result.conceptScores.length, 6);
  assert.equal(result.randomScores.length, 6);
  assert.ok(result.conceptMean > 0.9, `concept mean ${result.conceptMean}`);
  assert.ok(result.conceptMean > result.randomMean);
  const expected = studentTTest(result.conceptScores, result.randomScores);
  assert.equal(result.test.p, expected.p);
  assert.equal(result.test.alternative, "two-sided");
  assert.ok(result.test.p < 0.05, `p = ${result.test.p}`);
  const again = await tcav(m, options);
  assert.deepEqual(again.randomScores, result.randomScores);
  await assert.rejects(tcav(m, { ...options, setSize: 150 }), (e: InterpError) => e.kind === "invalid-input");
  tf.dispose([concept, random, classInputs]);
  m.dispose();
});
