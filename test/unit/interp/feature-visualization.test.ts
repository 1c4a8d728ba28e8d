import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { loadModel } from "../../../src/core/data";
import { InterpError } from "../../../src/core/interp/activations";
import { featurePenalty, featureVisualization, scaleMatrix } from "../../../src/core/interp/feature-visualization";
import { createRng } from "../../../src/core/stats/rng";
import { testTf } from "../../support/tf";
import { writeGraphModel } from "../data/graph-model";

const noTransforms = { jitter: 0 };

/** [3, 3, 1] → flatten → dense(2, linear, no bias) with seeded weights W [9, 2] (`rows`: W as nested rows). */
function linearModel() {
  const rng = createRng(5);
  const W = Array.from({ length: 18 }, () => rng.normal());
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [3, 3, 1] }), tf.layers.dense({ units: 2, useBias: false, name: "dense" })] });
  model.layers[1].setWeights([tf.tensor2d(W, [9, 2])]);
  const column = (u: number) => Array.from({ length: 9 }, (_, i) => W[i * 2 + u]);
  return { model, column, rows: Array.from({ length: 9 }, (_, i) => W.slice(i * 2, i * 2 + 2)) };
}

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string) => {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
};

test("a linear unit with an L2 penalty: the optimum is w / (2·l2) in closed form, for units and random directions at once", async () => {
  const { model, column } = linearModel();
  const before = tf.memory().numTensors;
  const l2 = 0.5;
  const fv = await featureVisualization(model, { layer: "dense", unit: [0, 1], steps: 300, learningRate: 0.05, regularizers: { l2, ...noTransforms }, range: null, randomDirections: 2, seed: 1 });
  assert.equal(tf.memory().numTensors, before, "no tensors left behind");
  assert.deepEqual(fv.shape, [3, 3, 1]);
  for (const [u, f] of fv.features.entries()) {
    assert.equal(f.unit, u);
    close(f.image, column(u).map((w) => w / (2 * l2)), 2e-3, `unit ${u}`);
    // The activation at the optimum is |w|² / (2·l2).
    assert.ok(Math.abs(f.activation - column(u).reduce((s, w) => s + w * w, 0) / (2 * l2)) < 1e-2);
  }
  for (const r of fv.random) {
    const wr = column(0).map((w0, i) => (w0 * r.direction[0] + column(1)[i] * r.direction[1]) / (2 * l2));
    close(r.image, wr, 2e-3, "random direction");
    assert.ok(Math.abs(Math.hypot(...r.direction) - 1) < 1e-12);
  }
});

test("a graph model's node x·W: the same closed-form optimum, equal to the layers model on the same weights, through model.execute and op by op", async () => {
  const { model, column, rows } = linearModel();
  const l2 = 0.5;
  const options = { unit: [0, 1], steps: 300, learningRate: 0.05, regularizers: { l2, ...noTransforms }, range: null, randomDirections: 2, seed: 1 };
  const dir = mkdtempSync(join(tmpdir(), "falsify-fv-graph-"));
  const previous = tf.getBackend();
  let graph: tf.GraphModel | undefined;
  try {
    // The graph fixture of the node-activation tests: Placeholder x [n, 3, 3, 1], Reshape, MatMul y = x·W.
    writeGraphModel(dir, rows, [3, 3, 1]);
    // tfjs-node when it loads (scores through model.execute), then cpu (the node's ops one by one, as on wasm).
    const first = (await testTf()).backend;
    const loaded = await loadModel(join(dir, "model.json"));
    assert.equal(loaded.kind, "graph");
    graph = loaded.model as tf.GraphModel;
    for (const backend of new Set([first, "cpu"])) {
      assert.ok(await tf.setBackend(backend));
      const layers = await featureVisualization(model, { ...options, layer: "dense" });
      const before = tf.memory().numTensors;
      const fv = await featureVisualization(graph, { ...options, layer: "y" });
      assert.equal(tf.memory().numTensors, before, `${backend}: no tensors left behind`);
      assert.equal(fv.layer, "y");
      assert.deepEqual(fv.shape, [3, 3, 1]);
      for (const [u, f] of fv.features.entries()) close(f.image, column(u).map((w) => w / (2 * l2)), 2e-3, `${backend}: unit ${u}`);
      // Same seed, same noise and random directions: the layers model's images, activations and traces on this backend.
      assert.deepEqual(fv.random.map((r) => r.direction), layers.random.map((r) => r.direction));
      for (const [i, f] of [...fv.features, ...fv.random].entries()) {
        const same = [...layers.features, ...layers.random][i];
        assert.equal(f.unit, same.unit);
        close(f.image, same.image, 1e-5, `${backend}: image ${i}`);
        close(f.trace, same.trace, 1e-4, `${backend}: trace ${i}`);
        assert.ok(Math.abs(f.activation - same.activation) < 1e-4);
      }
    }
  } finally {
    graph?.dispose();
    await tf.setBackend(previous);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a conv unit's spatial mean with an L2 penalty: optimum from the kernel's transposed convolution", async () => {
  const rng = createRng(9);
  const K = Array.from({ length: 9 * 2 }, () => rng.normal()); // [3, 3, 1, 2]
  const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [5, 5, 1], filters: 2, kernelSize: 3, padding: "valid", name: "conv" })] });
  model.layers[0].setWeights([tf.tensor4d(K, [3, 3, 1, 2]), tf.tensor1d([0.3, -0.2])]);
  const l2 = 0.25, unit = 1;
  // score = (1/9) Σ_{i,j ∈ 0..2} Σ_{a,b} K[a,b,0,u] x[i+a, j+b] + bias, so ∂score/∂x[p,q] = (1/9) Σ_{i,j} K[p−i, q−j].
  const g = new Float64Array(25);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) g[(i + a) * 5 + (j + b)] += K[(a * 3 + b) * 2 + unit] / 9;
  const fv = await featureVisualization(model, { layer: "conv", unit, steps: 300, learningRate: 0.05, regularizers: { l2, ...noTransforms }, range: null, randomDirections: 0 });
  close(fv.features[0].image, Array.from(g, (v) => v / (2 * l2)), 2e-3, "conv optimum");
  assert.equal(fv.random.length, 0);
});

test("in a box, a linear unit's optimum is the box corner sign(w); the activation trace never decreases", async () => {
  const { model, column } = linearModel();
  const fv = await featureVisualization(model, { layer: "dense", unit: 0, steps: 200, regularizers: noTransforms, randomDirections: 0, seed: 3 });
  assert.deepEqual(Array.from(fv.features[0].image), column(0).map((w) => (w > 0 ? 1 : 0)));
  const trace = fv.features[0].trace;
  assert.equal(trace.length, 200);
  for (let i = 1; i < trace.length; i++) assert.ok(trace[i] >= trace[i - 1] - 1e-5, `step ${i}: ${trace[i - 1]} → ${trace[i]}`);
  assert.ok(Math.abs(fv.features[0].activation - column(0).reduce((s, w) => s + Math.max(w, 0), 0)) < 1e-5);
  // A negated unit finds what the unit dislikes: the opposite corner.
  const low = await featureVisualization(model, { layer: "dense", direction: [-1, 0], steps: 200, regularizers: noTransforms, randomDirections: 0 });
  assert.deepEqual(Array.from(low.features[0].image), column(0).map((w) => (w < 0 ? 1 : 0)));
});

test("the penalty: value and gradient against a float64 reference and its central finite differences", () => {
  const rng = createRng(2);
  const shape = [2, 4, 5, 2] as const;
  const values = Array.from({ length: 2 * 4 * 5 * 2 }, () => rng.normal());
  const weights = { l2: 0.3, totalVariation: 0.7, centre: 0.5 };
  const at = (b: number, i: number, j: number, c: number, v: ArrayLike<number>) => v[((b * 4 + i) * 5 + j) * 2 + c];
  const reference = (v: ArrayLike<number>, b: number) => {
    let l2 = 0, tv = 0;
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 5; j++)
        for (let c = 0; c < 2; c++) {
          l2 += (at(b, i, j, c, v) - 0.5) ** 2;
          if (i + 1 < 4) tv += Math.abs(at(b, i + 1, j, c, v) - at(b, i, j, c, v));
          if (j + 1 < 5) tv += Math.abs(at(b, i, j + 1, c, v) - at(b, i, j, c, v));
        }
    return 0.3 * l2 + 0.7 * tv;
  };
  const x = tf.tensor4d(values, [...shape]);
  close(featurePenalty(x, weights).dataSync(), [reference(values, 0), reference(values, 1)], 1e-4, "penalty");
  const grad = tf.grad((input: tf.Tensor) => tf.sum(featurePenalty(input as tf.Tensor4D, weights)))(x).dataSync();
  const h = 1e-4;
  const fd = values.map((_, k) => {
    const b = Math.floor(k / 40);
    const plus = [...values], minus = [...values];
    plus[k] += h;
    minus[k] -= h;
    return (reference(plus, b) - reference(minus, b)) / (2 * h);
  });
  close(grad, fd, 1e-4, "gradient");
  x.dispose();
});

test("scaleMatrix: identity at 1, rows sum to 1, a ramp's slope divides by the factor about the centre", () => {
  assert.deepEqual(Array.from(scaleMatrix(4, 1)), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  const n = 9, m = scaleMatrix(n, 1.25);
  const ramp = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    const row = m.subarray(i * n, (i + 1) * n);
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-6);
    const scaled = row.reduce((s, w, k) => s + w * ramp[k], 0);
    assert.ok(Math.abs(scaled - (4 + (i - 4) / 1.25)) < 1e-5, `row ${i}`);
  }
});

test("the digits CNN: seeded, batched over units, activation rises under jitter, scaling and blur; errors are typed", async () => {
  const loaded = await loadModel("examples/digits/models/cnn/model.json");
  if (loaded.kind !== "layers") throw new Error("the digits CNN should be a layers model");
  const options = { layer: "conv2", unit: [3, 5], steps: 32, regularizers: { jitter: 1, blur: 0.5 }, transformRobustness: { samples: 2 }, randomDirections: 2, seed: 4 } as const;
  const before = tf.memory().numTensors;
  const a = await featureVisualization(loaded.model, options);
  const b = await featureVisualization(loaded.model, options);
  assert.equal(tf.memory().numTensors, before, "no tensors left behind");
  assert.deepEqual(a, b, "the same seed gives the same images and traces");
  assert.deepEqual(a.features.map((f) => f.unit), [3, 5]);
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  for (const f of [...a.features, ...a.random]) {
    assert.equal(f.trace.length, 32);
    assert.ok(f.image.every((v) => v >= 0 && v <= 1));
    assert.ok(mean(f.trace.slice(-8)) > mean(f.trace.slice(0, 8)), `trace rises: ${f.trace.slice(0, 8)} … ${f.trace.slice(-8)}`);
  }
  const kind = (k: string) => (e: unknown) => e instanceof InterpError && e.kind === k;
  await assert.rejects(featureVisualization(loaded.model, { layer: "conv2" }), kind("invalid-input"));
  await assert.rejects(featureVisualization(loaded.model, { layer: "conv2", unit: 99 }), kind("invalid-input"));
  await assert.rejects(featureVisualization(loaded.model, { layer: "conv2", direction: [1, 2] }), kind("shape-mismatch"));
  await assert.rejects(featureVisualization(loaded.model, { layer: "conv2", unit: 0, regularizers: { jitter: 0.5 } }), kind("invalid-input"));
  loaded.model.dispose();
});

test("another seed starts from other noise and jitters otherwise", async () => {
  const { model } = linearModel();
  const options = { layer: "dense", unit: 0, steps: 5, regularizers: { jitter: 1 }, randomDirections: 1 };
  const [a, b] = [await featureVisualization(model, { ...options, seed: 1 }), await featureVisualization(model, { ...options, seed: 2 })];
  assert.notDeepEqual(a.features[0].image, b.features[0].image);
  assert.notDeepEqual(a.random[0].direction, b.random[0].direction);
});
