import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { InterpError, layerActivations } from "../../../src/core/interp/activations";
import { cka, debiasedCka, linearCka, rbfCka } from "../../../src/core/interp/representations/cka";
import { digitsMlpInputs } from "./activations-digits";

const reference = JSON.parse(readFileSync(join(__dirname, "../../reference/interp/cka.json"), "utf8"));
const X: number[][] = reference.x, Y: number[][] = reference.y, Z: number[][] = reference.z;

type Variant = { name: string; fn: (a: number[][], b: number[][]) => number };
const variants: Variant[] = [
  { name: "linear", fn: linearCka },
  { name: "rbf_median_1", fn: (a, b) => rbfCka(a, b) },
  { name: "rbf_median_0.5", fn: (a, b) => rbfCka(a, b, { medianFactor: 0.5 }) },
  { name: "rbf_sigma_3", fn: (a, b) => rbfCka(a, b, { sigma: 3 }) },
  { name: "debiased_linear", fn: debiasedCka },
  { name: "debiased_rbf_median_1", fn: (a, b) => debiasedCka(a, b, { kernel: "rbf" }) },
];

const matmul = (a: number[][], m: number[][]) => a.map((row) => m[0].map((_, j) => row.reduce((s, v, k) => s + v * m[k][j], 0)));
/** The Householder reflection I − 2vvᵀ/‖v‖²: orthogonal by construction. */
function householder(v: number[]): number[][] {
  const nn = v.reduce((s, x) => s + x * x, 0);
  return v.map((vi, i) => v.map((vj, j) => (i === j ? 1 : 0) - (2 * vi * vj) / nn));
}

test("values match Kornblith et al.'s numpy formulation (U-centering for the debiased one)", () => {
  const pairs: Record<string, [number[][], number[][]]> = { x_y: [X, Y], x_z: [X, Z], y_z: [Y, Z] };
  for (const [pair, [a, b]] of Object.entries(pairs)) {
    for (const v of variants) {
      const expected = reference.values[pair][v.name];
      const actual = v.fn(a, b);
      assert.ok(Math.abs(actual - expected) < 2e-6, `${v.name} ${pair}: ${actual} vs ${expected}`);
    }
  }
});

test("CKA(X, X) = 1 for every variant, and no tensors leak", () => {
  const before = tf.memory().numTensors;
  for (const v of variants) assert.ok(Math.abs(v.fn(X, X) - 1) < 1e-6, v.name);
  assert.equal(tf.memory().numTensors, before);
});

test("invariant to orthogonal transforms and isotropic scaling, not to a general invertible linear map", () => {
  const Q = matmul(householder([1, -2, 0.5, 3, 0, 1, -1, 2, 0.3, 1]), householder([0, 1, 1, -1, 2, 0, 0.5, 0, 1, 1]));
  const rotated = matmul(X, Q).map((row) => row.map((v) => 3.7 * v));
  for (const v of variants.filter((v) => v.name !== "rbf_sigma_3")) {
    assert.ok(Math.abs(v.fn(rotated, Y) - v.fn(X, Y)) < 1e-5, `${v.name}: ${v.fn(rotated, Y)} vs ${v.fn(X, Y)}`);
  }
  // A fixed σ is not scale-free: only the orthogonal part leaves it unchanged.
  const sigma = variants.find((v) => v.name === "rbf_sigma_3")!;
  assert.ok(Math.abs(sigma.fn(matmul(X, Q), Y) - sigma.fn(X, Y)) < 1e-5);
  // An invertible but anisotropic map (diagonal stretch plus a shear) changes linear CKA.
  const A = X[0].map((_, i) => X[0].map((__, j) => (i === j ? [10, 0.1, 1, 5, 0.2, 1, 3, 0.5, 1, 2][i] : j === i + 1 ? 0.7 : 0)));
  const stretched = matmul(X, A);
  assert.ok(Math.abs(linearCka(stretched, Y) - linearCka(X, Y)) > 0.05, `${linearCka(stretched, Y)} vs ${linearCka(X, Y)}`);
});

test("debiased CKA removes the bias between unrelated representations at small n", () => {
  // Z is independent of X: biased linear CKA is well above 0 at n = 64, debiased is near 0.
  assert.ok(linearCka(X, Z) > 0.1);
  assert.ok(Math.abs(debiasedCka(X, Z)) < 0.05);
});

test("accepts tensors, activations of any rank and arrays alike; errors are typed", () => {
  const t = tf.tensor2d(X);
  const conv = { data: Float32Array.from(X.flat()), shape: [X.length, 5, 2] };
  assert.ok(Math.abs(linearCka(t, Y) - linearCka(X, Y)) < 1e-6);
  assert.ok(Math.abs(linearCka(conv, Y) - linearCka(X, Y)) < 1e-6);
  t.dispose();
  assert.throws(() => linearCka(X, Y.slice(1)), (e: InterpError) => e.kind === "shape-mismatch");
  assert.throws(() => cka(X, Y, { maxExamples: 10 }), (e: InterpError) => e.kind === "too-large");
  assert.throws(() => linearCka(X, X.map(() => [1, 2])), (e: InterpError) => e.kind === "invalid-input");
  assert.throws(() => debiasedCka(X.slice(0, 3), Y.slice(0, 3)), (e: InterpError) => e.kind === "invalid-input");
});

test("the shipped digits MLP: CKA between its hidden layers matches numpy's", async () => {
  const fixture = JSON.parse(readFileSync(join(__dirname, "../../reference/interp/selectivity.json"), "utf8")).digits_mlp;
  const { model, x } = await digitsMlpInputs(fixture);
  const a = await layerActivations(model, x, { layer: "dense1" });
  const b = await layerActivations(model, x, { layer: "dense2" });
  const expected = fixture.cka_dense1_dense2;
  assert.ok(Math.abs(linearCka(a, b) - expected.linear) < 1e-5);
  assert.ok(Math.abs(debiasedCka(a, b) - expected.debiased_linear) < 1e-5);
  assert.ok(Math.abs(rbfCka(a, b) - expected.rbf_median_1) < 1e-5);
  x.dispose();
  model.dispose();
});
