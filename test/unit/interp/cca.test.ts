import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { InterpError, layerActivations } from "../../../src/core/interp/activations";
import { createRng } from "../../../src/core/stats/rng";
import { cca, meanCca, pwcca, svcca } from "../../../src/core/interp/representations/cca";
import { digitsMlpInputs } from "./activations-digits";
import { assertClose, interpReference } from "./reference";

const reference = interpReference("cca");
const { x: X, y: Y, z: Z } = reference.synthetic as Record<string, number[][]>;
const pairs: Record<string, [number[][], number[][]]> = { x_y: [X, Y], y_x: [Y, X], x_z: [X, Z], y_z: [Y, Z] };

const matmul = (a: number[][], m: number[][]) => a.map((row) => m[0].map((_, j) => row.reduce((s, v, k) => s + v * m[k][j], 0)));

/** Every method's similarity, correlations, kept dimensions and weights against numpy's covariance formulation. */
function assertMatches(actual: (method: "mean" | "svcca-0.99" | "svcca-0.9" | "pwcca") => ReturnType<typeof cca>, expected: any, what: string, tol: number): void {
  const mean = actual("mean");
  assertClose(mean.correlations, expected.mean.correlations, tol, `${what} mean CCA correlations`);
  assert.ok(Math.abs(mean.similarity - expected.mean.similarity) < tol, `${what} mean CCA: ${mean.similarity} vs ${expected.mean.similarity}`);
  for (const [key, method] of [["svcca_0.99", "svcca-0.99"], ["svcca_0.9", "svcca-0.9"]] as const) {
    const r = actual(method);
    assert.deepEqual([r.dimensions.x, r.dimensions.y], expected[key].dimensions, `${what} ${key} kept dimensions`);
    assertClose(r.correlations, expected[key].correlations, tol, `${what} ${key} correlations`);
    assert.ok(Math.abs(r.similarity - expected[key].similarity) < tol, `${what} ${key}: ${r.similarity} vs ${expected[key].similarity}`);
  }
  const pw = actual("pwcca");
  assert.equal(pw.weightedSide, expected.pwcca.side, `${what} PWCCA side`);
  assertClose(pw.weights!, expected.pwcca.weights, tol, `${what} PWCCA weights`);
  assert.ok(Math.abs(pw.similarity - expected.pwcca.similarity) < tol, `${what} PWCCA: ${pw.similarity} vs ${expected.pwcca.similarity}`);
}

const run = (a: Parameters<typeof cca>[0], b: Parameters<typeof cca>[1]) => (method: "mean" | "svcca-0.99" | "svcca-0.9" | "pwcca") =>
  method.startsWith("svcca") ? cca(a, b, { method: "svcca", varianceKept: Number(method.slice(6)) }) : cca(a, b, { method: method as "mean" | "pwcca" });

test("mean CCA, SVCCA and PWCCA match numpy's covariance formulation (a dead unit, both weighted sides)", () => {
  for (const [pair, [a, b]] of Object.entries(pairs)) assertMatches(run(a, b), reference.synthetic.values[pair], pair, 1e-9);
});

test("the shipped digits MLP: dense1 vs dense2 (dead ReLU units) matches numpy's, and no tensors leak", async () => {
  const fixture = reference.digits_mlp;
  const { model, x } = await digitsMlpInputs(fixture);
  const before = tf.memory().numTensors;
  const a = await layerActivations(model, x, { layer: "dense1" });
  const b = await layerActivations(model, x, { layer: "dense2" });
  // tfjs computes the activations in float32: agreement is to float32's precision, not float64's.
  assertMatches(run(a, b), fixture.dense1_dense2, "dense1/dense2", 2e-4);
  assert.equal(tf.memory().numTensors, before);
  x.dispose();
  model.dispose();
});

test("closed forms: identical representations give all correlations 1; one that is a linear map of the other too", () => {
  for (const method of ["mean", "svcca", "pwcca"] as const) assert.ok(Math.abs(cca(X, X, { method }).similarity - 1) < 1e-9, method);
  // Any invertible map of the live units: CCA sees the same column space (CKA would not).
  const A = X[0].map((_, i) => X[0].map((__, j) => (i === j ? [10, 0.1, 1, 5, 0.2, 1, 3, 0.5, 1, 2, 4, 7][i] : j === i + 1 ? 0.7 : 0)));
  const mapped = matmul(X, A);
  assert.ok(Math.abs(meanCca(mapped, X) - 1) < 1e-9);
  assert.ok(Math.abs(pwcca(mapped, X) - 1) < 1e-9);
  // One shared direction among otherwise independent noise: ρ₁ = 1 exactly, the rest are the noise's.
  const shared = X.map((row, i) => [row[0], ...Z[i].slice(0, 3)]);
  const other = X.map((row, i) => [row[0], ...Z[i].slice(5, 8)]);
  assert.ok(Math.abs(cca(shared, other).correlations[0] - 1) < 1e-12);
  assert.ok(cca(shared, other).correlations[1] < 0.3);
});

test("symmetric in its arguments: swapping x and y swaps the dimensions and the weighted side, not the value", () => {
  for (const method of ["mean", "svcca", "pwcca"] as const) {
    const xy = cca(X, Y, { method }), yx = cca(Y, X, { method });
    assert.ok(Math.abs(xy.similarity - yx.similarity) < 1e-12, method);
    assert.deepEqual([xy.dimensions.x, xy.dimensions.y], [yx.dimensions.y, yx.dimensions.x]);
  }
});

test("unrelated representations sit near the chance level CCA itself has at this n (not at 0)", () => {
  // With kx + ky dimensions on n examples, independent data still give mean ρ > 0 (a bias, like biased CKA's):
  // the reason a baseline of unrelated or randomly initialised representations belongs in the chart.
  const r = meanCca(X, Z);
  assert.ok(r > 0.1 && r < 0.3, `${r}`);
  assert.ok(meanCca(X, Y) > r + 0.3);
});

test("refuses what it cannot answer, with typed errors", () => {
  const kind = (k: string) => (e: InterpError) => e instanceof InterpError && e.kind === k;
  assert.throws(() => meanCca(X, Y.slice(1)), kind("shape-mismatch"));
  // 18 examples, 11 + 8 dimensions in a 17-dimensional centered space: two correlations are 1 whatever the data.
  assert.throws(() => meanCca(X.slice(0, 18), Y.slice(0, 18)), (e: InterpError) => kind("invalid-input")(e) && /at least 2 of the canonical correlations are 1/.test(e.message));
  assert.throws(() => svcca(X, X.map(() => [1, 2, 3])), (e: InterpError) => kind("invalid-input")(e) && /no variance/.test(e.message));
  assert.throws(() => svcca(X, Y, { varianceKept: 0 }), kind("invalid-input"));
  assert.throws(() => meanCca(X, Y, { maxDimensions: 10 }), kind("too-large"));
});

test("more features than examples: the examples' Gram matrix gives the same answer as the features'", () => {
  // 50 examples of X mapped to 70 features: the same column space (rank 11), seen from a 50 × 50 Gram matrix.
  const x = X.slice(0, 50), y = Y.slice(0, 50);
  const rng = createRng(3);
  const B = X[0].map(() => Array.from({ length: 70 }, () => rng.normal()));
  const wide = matmul(x, B);
  for (const method of ["mean", "pwcca"] as const) {
    const viaExamples = cca(wide, y, { method }), viaFeatures = cca(x, y, { method });
    assert.equal(viaExamples.dimensions.x, 11);
    assertClose(viaExamples.correlations, viaFeatures.correlations, 1e-8, `${method} correlations`);
    assert.ok(Math.abs(viaExamples.similarity - viaFeatures.similarity) < 1e-8, method);
  }
});
