// Deletion and insertion curves: closed forms on a linear model (removing pixel p moves the score by
// exactly w_p (x_p − b_p)), the random orders' expectation (1 − t) f(x) + t f(b), the blurred canvas
// against scipy, ties that never fall back to top-left-first, results independent of batching, a
// graph model, and the paired test that tells a faithful map from an anti-faithful one.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { loadModel } from "../../../src/core/data";
import { integratedGradients } from "../../../src/core/interp/attribution";
import { auc, deletionCurve, gaussianBlur, insertionCurve } from "../../../src/core/interp/faithfulness";
import { type Progress, setTaskHost, TaskInterrupted } from "../../../src/core/progress";
import { createRng } from "../../../src/core/stats/rng";
import { noLeak, testTf } from "../../support/tf";
import { writeGraphModel } from "../data/graph-model";
import { assertClose, interpReference } from "./reference";

before(testTf);

// A linear score on 4x4 one-channel images: f(x)[c] = Σ_p W[p][c] x_p.
const rng = createRng(11);
const P = 16;
const W = Array.from({ length: P }, () => [rng.normal(), rng.normal()]);
const linear = (x: tf.Tensor) => tf.matMul(tf.reshape(x, [-1, P]), tf.tensor2d(W));
const N = 8;
const xs = Array.from({ length: N * P }, () => rng.next());
const inputs = () => tf.tensor4d(xs, [N, 4, 4, 1]);
const f = (image: ArrayLike<number>) => W.reduce((s, w, p) => s + w[0] * image[p], 0);
const mapOf = (values: number[]) => Array.from({ length: 4 }, (_, r) => values.slice(r * 4, r * 4 + 4));
/** Contributions c_p = w_p (x_p − b_p) of input i, as its map. */
const contributions = (i: number, b: ArrayLike<number>) => Array.from({ length: P }, (_, p) => W[p][0] * (xs[i * P + p] - b[p]));

test("auc is the trapezoid over the fraction axis", () => {
  assert.equal(auc([1, 0], [0, 1]), 0.5);
  assert.equal(auc([1, 1, 0], [0, 0.5, 1]), 0.75);
});

test("deletion on a linear model: each point is f(x) minus the top contributions, the random orders average (1 − t) f(x)", async () => {
  const x = inputs();
  const zero = new Array(P).fill(0);
  const maps = Array.from({ length: N }, (_, i) => mapOf(contributions(i, zero)));
  const r = await noLeak(() => deletionCurve(linear, x, maps, { target: 0, steps: P, randomOrders: 400, edgeDetector: false }));
  assert.deepEqual(r.fractions, Array.from({ length: P + 1 }, (_, k) => k / P));
  for (let i = 0; i < N; i++) {
    const sorted = contributions(i, zero).sort((a, b) => b - a);
    const expected = sorted.reduce((curve, c) => [...curve, curve[curve.length - 1] - c], [f(xs.slice(i * P, (i + 1) * P))]);
    assertClose(r.method.curves[i], expected, 1e-5, `input ${i}`);
    assert.ok(Math.abs(r.method.auc[i] - auc(expected, r.fractions)) < 1e-5);
  }
  // E[score after removing a random fraction t] = (1 − t) f(x) for a linear f and a zero baseline.
  const fx = Array.from({ length: N }, (_, i) => f(xs.slice(i * P, (i + 1) * P)));
  const meanF = fx.reduce((a, b) => a + b, 0) / N;
  const scale = W.reduce((s, w) => s + Math.abs(w[0]), 0) / N;
  r.fractions.forEach((t, k) => assert.ok(Math.abs(r.random.mean[k] - (1 - t) * meanF) < 0.05 * scale, `t = ${t}: ${r.random.mean[k]} vs ${(1 - t) * meanF}`));
  r.fractions.forEach((_, k) => assert.ok(r.random.lower[k] <= r.random.mean[k] && r.random.mean[k] <= r.random.upper[k]));
  assert.equal(r.tests.vsRandom.verdict, "supported", r.tests.vsRandom.reason);
  // The same maps negated: the least relevant pixels go first, and the test says the map is worse than random.
  const anti = await deletionCurve(linear, x, maps.map((m) => m.map((row) => row.map((v) => -v))), { target: 0, steps: P, edgeDetector: false });
  assert.equal(anti.tests.vsRandom.verdict, "falsified", anti.tests.vsRandom.reason);
  x.dispose();
});

test("insertion into a tensor or mean baseline: f(b) plus the top contributions, and independent of the batch size", async () => {
  const x = inputs();
  const b = Array.from({ length: P }, (_, p) => (p % 3) / 4);
  const baseline = tf.tensor3d(b, [4, 4, 1]);
  const maps = Array.from({ length: N }, (_, i) => mapOf(contributions(i, b)));
  const r = await noLeak(() => insertionCurve(linear, x, maps, { target: 0, steps: 4, baseline, randomOrders: 3 }));
  for (let i = 0; i < N; i++) {
    const sorted = contributions(i, b).sort((p, q) => q - p);
    const expected = [0, 4, 8, 12, 16].map((cut) => f(b) + sorted.slice(0, cut).reduce((s, c) => s + c, 0));
    assertClose(r.method.curves[i], expected, 1e-5, `input ${i}`);
  }
  assert.equal(r.tests.vsRandom.verdict, "supported");
  const again = await insertionCurve(linear, x, maps, { target: 0, steps: 4, baseline, randomOrders: 3, batchSize: 5 });
  assert.deepEqual(again, r, "batches of 5 images give the same curves");
  // The per-channel mean of the inputs as the baseline.
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  const m = await insertionCurve(linear, x, maps, { target: 0, steps: 1, baseline: "mean", randomOrders: 3, edgeDetector: false });
  assertClose(m.method.curves.map((c) => c[0]), new Array(N).fill(f(new Array(P).fill(mean))), 1e-5, "start at f(mean image)");
  tf.dispose([x, baseline]);
});

test("the blurred canvas matches scipy.ndimage.gaussian_filter (reflect borders, truncate 3)", () => {
  const ref = interpReference<{ blur: { shape: [number, number, number, number]; sigma: number; images: number[]; blurred: number[] }[] }>("faithfulness");
  for (const { shape, sigma, images, blurred } of ref.blur) {
    const out = tf.tidy(() => gaussianBlur(tf.tensor4d(images, shape), sigma).dataSync());
    assertClose(out, blurred, 1e-5, `sigma ${sigma} on [${shape.join(", ")}]`);
  }
  assert.throws(() => tf.tidy(() => gaussianBlur(tf.zeros([1, 4, 4, 1]), 2)), /reaches 6 pixels, beyond the 4x4 image/);
});

test("ties are broken at random, not top-left first; a constant map is reported and left out of the test", async () => {
  const x = inputs();
  // Map 0 ranks nothing; the others rank by contribution.
  const maps = Array.from({ length: N }, (_, i) => (i === 0 ? mapOf(new Array(P).fill(1)) : mapOf(contributions(i, new Array(P).fill(0)))));
  const r = await deletionCurve(linear, x, maps, { target: 0, steps: P, randomOrders: 5 });
  assert.deepEqual(r.degenerate, [0]);
  assert.equal(r.tests.vsRandom.n.observed, N - 1);
  // Row-major order would remove pixel 0 first: the curve's first step would be f(x) − c_0.
  const rowMajor = f(xs.slice(0, P)) - contributions(0, new Array(P).fill(0))[0];
  const seeds = await Promise.all([1, 2, 3].map((seed) => deletionCurve(linear, x, maps, { target: 0, steps: P, randomOrders: 1, edgeDetector: false, seed })));
  assert.ok(seeds.some((s) => Math.abs(s.method.curves[0][1] - rowMajor) > 1e-6), "ties take a seeded random order");
  x.dispose();
});

test("a graph model's curves are its output's; IG on the digits CNN deletes faster than random and than the edge detector", async () => {
  const dir = mkdtempSync(join(tmpdir(), "graph-"));
  writeGraphModel(dir, W, [4, 4, 1]);
  const graph = await loadModel(dir);
  const x = inputs();
  const maps = Array.from({ length: N }, (_, i) => mapOf(contributions(i, new Array(P).fill(0))));
  const viaGraph = await deletionCurve(graph, x, maps, { target: 0, steps: 4, randomOrders: 2 });
  const viaFunction = await deletionCurve(linear, x, maps, { target: 0, steps: 4, randomOrders: 2 });
  viaGraph.method.curves.forEach((c, i) => assertClose(c, viaFunction.method.curves[i], 1e-5, `graph input ${i}`));
  x.dispose();

  const cnn = await loadModel("examples/digits/models/cnn");
  const digits = tf.tensor4d(interpReference<{ inputs: number[][] }>("attribution").inputs.flat(), [6, 8, 8, 1]);
  const ig = await integratedGradients(cnn, digits, { steps: 16 });
  const r = await noLeak(() => deletionCurve(cnn, digits, ig, { steps: 8, randomOrders: 10 }));
  assert.deepEqual(r.targets, Array.from(ig.targets), "the attributions' classes by default");
  assert.equal(r.tests.vsRandom.verdict, "supported", r.tests.vsRandom.reason);
  assert.ok(r.method.auc.every((a, i) => a < r.edgeDetector!.auc[i]), "IG removes evidence faster than the edge map on every digit");
  digits.dispose();
});

test("the curves are one progress task of every evaluation, and an interrupt stops them between batches", async () => {
  const x = inputs();
  const maps = Array.from({ length: N }, (_, i) => mapOf(contributions(i, new Array(P).fill(0))));
  const reports: Progress[] = [];
  let checks = 0;
  try {
    setTaskHost({ report: (p) => reports.push(p), interrupted: () => false });
    await deletionCurve(linear, x, maps, { target: 0, steps: 4, randomOrders: 3, batchSize: 10 });
    // 8 inputs × (the map's, the edge detector's and 3 random orders) × 5 points.
    assert.deepEqual([reports.at(-1)!.label, reports.at(-1)!.done, reports.at(-1)!.total, reports.at(-1)!.final], ["deletion curves", 200, 200, true]);
    setTaskHost({ report: () => undefined, interrupted: () => ++checks >= 3 });
    const before = tf.memory().numTensors;
    await assert.rejects(insertionCurve(linear, x, maps, { target: 0, steps: 4, randomOrders: 3, batchSize: 10 }), TaskInterrupted);
    assert.equal(checks, 3, "stopped at the third batch");
    assert.equal(tf.memory().numTensors, before);
  } finally {
    setTaskHost(undefined);
    x.dispose();
  }
});
