// Attribution against TensorFlow (Python, GradientTape, float64) on the same weights, closed forms
// on a linear model, IG completeness and convergence, SmoothGrad's seeding, and tensor hygiene.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { DataError, loadModel, type LoadedModel } from "../../../src/core/data";
import {
  attributionMap,
  gradient,
  gradientTimesInput,
  integratedGradients,
  quadrature,
  type QuadratureRule,
  smoothGrad,
} from "../../../src/core/interp/attribution";
import { noLeak, testTf } from "../../support/tf";
import { writeGraphModel } from "../data/graph-model";
import { assertClose, interpReference } from "./reference";

type IgCase = Record<string, number[][]> & { scoreDifference: number[] };
const ref = interpReference<{
  inputs: number[][];
  models: Record<"mlp" | "cnn", { logits: number[][]; targets: number[]; gradient: number[][]; gradientTimesInput: number[][]; ig: Record<string, IgCase> }>;
}>("attribution");
const RULES: QuadratureRule[] = ["gauss-legendre", "riemann-left", "riemann-right", "riemann-middle", "riemann-trapezoid"];
const models = {} as Record<"mlp" | "cnn", LoadedModel>;
let x: tf.Tensor4D;
let backend: string;

before(async () => {
  backend = (await testTf()).backend;
  for (const name of ["mlp", "cnn"] as const) models[name] = await loadModel(`examples/digits/models/${name}/model.json`);
  x = tf.tensor4d(ref.inputs.flat(), [ref.inputs.length, 8, 8, 1]);
});

for (const name of ["mlp", "cnn"] as const) {
  test(`${name}: gradient and gradient×input of the predicted logit match TensorFlow GradientTape`, async () => {
    const want = ref.models[name];
    const g = await noLeak(() => gradient(models[name], x));
    assert.deepEqual(Array.from(g.targets), want.targets);
    assert.equal(g.output, "logits");
    assertClose(g.scores, want.logits.map((row, i) => row[want.targets[i]]), 1e-5, "scores");
    assertClose(g.values, want.gradient.flat(), 1e-4, "gradient");
    const gx = await noLeak(() => gradientTimesInput(models[name], x, { batchSize: 4 }));
    assertClose(gx.values, want.gradientTimesInput.flat(), 1e-4, "gradient×input");
  });

  test(`${name}: Integrated Gradients with every rule matches TensorFlow at 16 steps, zero and constant baselines`, async () => {
    const want = ref.models[name];
    for (const baseline of ["0.0", "0.25"]) {
      // At α = 0 the CNN sees a constant image: max-pooling ties everywhere, and which tied input gets
      // the gradient is a kernel convention (TensorFlow's: the first). tfjs-node shares it; wasm/cpu
      // pick another, equally valid subgradient, so rules with an α = 0 node are compared there only.
      const ties = name === "cnn" && backend !== "tensorflow";
      for (const rule of RULES.filter((r) => !ties || (r !== "riemann-left" && r !== "riemann-trapezoid"))) {
        const ig = await noLeak(() => integratedGradients(models[name], x, { rule, steps: 16, baseline: Number(baseline), batchSize: 40 }));
        assertClose(ig.values, want.ig[baseline][`${rule}/16`].flat(), 1e-4, `${rule} baseline ${baseline}`);
        assertClose(ig.completeness!.scoreDifference, want.ig[baseline].scoreDifference, 1e-5, "f(x) − f(b)");
      }
    }
  });
}

test("cnn: IG completeness gap shrinks with steps; 512 Gauss–Legendre nodes match TensorFlow's and close the gap", async () => {
  const exact = ref.models.cnn.ig["0.0"];
  // The reference integral itself satisfies completeness (checks the generator, independently of our code).
  exact.exact.forEach((row, i) => assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - exact.scoreDifference[i]) < 1e-3 * Math.max(1, Math.abs(exact.scoreDifference[i]))));
  const gaps = [];
  for (const steps of [4, 16, 64, 256]) gaps.push((await integratedGradients(models.cnn, x, { steps, rule: "riemann-middle" })).completeness!.maxAbsGap);
  assert.ok(gaps[3] < gaps[0] / 10, `gaps ${gaps}`);
  // ReLU and max-pooling make the integrand piecewise smooth, so compare at the same 512 nodes.
  const ig = await integratedGradients(models.cnn, x, { steps: 512, rule: "gauss-legendre" });
  assertClose(ig.values, exact.exact.flat(), 1e-4, "IG(GL 512) vs TF(GL 512)");
  assert.ok(ig.completeness!.relativeGap < 5e-3, `relative gap ${ig.completeness!.relativeGap}`);
});

test("a baseline tensor: per-example or shared, and a wrong shape is a clear error", async () => {
  const shared = tf.fill([8, 8, 1], 0.25);
  const perExample = tf.fill(x.shape, 0.25);
  const a = await integratedGradients(models.mlp, x, { steps: 16, rule: "riemann-left", baseline: shared });
  const b = await integratedGradients(models.mlp, x, { steps: 16, rule: "riemann-left", baseline: perExample });
  assertClose(a.values, ref.models.mlp.ig["0.25"]["riemann-left/16"].flat(), 1e-4, "shared baseline");
  assertClose(b.values, a.values, 1e-6, "per-example baseline");
  const wrong = tf.zeros([8, 8]);
  await assert.rejects(integratedGradients(models.mlp, x, { baseline: wrong }), (e: DataError) => e.kind === "wrong-input-shape");
  tf.dispose([shared, perExample, wrong]);
});

// A linear model: score_c(x) = x·W[:, c] + b_c. Gradient = W[:, c]; IG(0) = x ⊙ W[:, c] for any rule.
function linearModel(): { model: tf.LayersModel; W: number[][] } {
  const W = Array.from({ length: 6 }, (_, i) => Array.from({ length: 3 }, (_, c) => Math.sin(1 + i * 3 + c)));
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 3, name: "linear" })] });
  model.layers[0].setWeights([tf.tensor2d(W), tf.tensor1d([0.3, -0.2, 0.1])]);
  return { model, W };
}

test("linear model: gradient = weights of the target class, IG = x ⊙ w exactly with any rule (zero gap)", async () => {
  const { model, W } = linearModel();
  const xs = [[1, 2, 3, 4, 5, 6], [-1, 0.5, 0, 2, -3, 1]];
  const input = tf.tensor2d(xs);
  const g = await noLeak(() => gradient(model, input, { target: [2, 0] }));
  assert.equal(g.output, "model-output");
  assertClose(g.values, [...W.map((r) => r[2]), ...W.map((r) => r[0])], 1e-6, "gradient");
  for (const rule of RULES) {
    const ig = await integratedGradients(model, input, { target: 1, rule, steps: 3 });
    assertClose(ig.values, xs.flatMap((row) => row.map((v, i) => v * W[i][1])), 1e-5, rule);
    assert.ok(ig.completeness!.maxAbsGap < 1e-5);
  }
  input.dispose();
});

test("smooth model: Gauss–Legendre reaches a far smaller completeness gap than Riemann for the same steps", async () => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [16], units: 32, activation: "tanh", kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }),
      tf.layers.dense({ units: 4, activation: "softplus", kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }) }),
    ],
  });
  const input = tf.randomUniform([5, 16], 0, 2, "float32", 7);
  const gap = async (rule: QuadratureRule, steps: number) => (await integratedGradients(model, input, { rule, steps, target: 0 })).completeness!.maxAbsGap;
  const gl = await gap("gauss-legendre", 8);
  for (const rule of ["riemann-left", "riemann-right", "riemann-middle", "riemann-trapezoid"] as const) {
    const riemann = await gap(rule, 8);
    assert.ok(gl * 20 < riemann, `${rule}: GL gap ${gl} vs ${riemann}`);
  }
  assert.ok(gl < 1e-4, `GL gap ${gl}`);
  input.dispose();
});

test("quadrature: Gauss–Legendre integrates degree 2m − 1 exactly; weights sum to 1 for every rule", () => {
  for (const m of [1, 2, 5, 12]) {
    const { nodes, weights } = quadrature("gauss-legendre", m);
    const degree = 2 * m - 1;
    const integral = nodes.reduce((s, t, k) => s + weights[k] * t ** degree, 0);
    assert.ok(Math.abs(integral - 1 / (degree + 1)) < 1e-13, `m=${m}: ${integral}`);
  }
  for (const rule of RULES) assert.ok(Math.abs(quadrature(rule, 7).weights.reduce((a, b) => a + b, 0) - 1) < 1e-14);
  assert.deepEqual(Array.from(quadrature("riemann-trapezoid", 3).nodes), [0, 0.5, 1]);
  assert.throws(() => quadrature("riemann-left", 0), RangeError);
});

test("SmoothGrad: σ = 0 gives the gradient; seeded, batch-size independent, and the noise matters", async () => {
  const g = await gradient(models.cnn, x);
  const zero = await noLeak(() => smoothGrad(models.cnn, x, { sigma: 0, samples: 3 }));
  assertClose(zero.values, g.values, 1e-6, "σ = 0");
  const a = await noLeak(() => smoothGrad(models.cnn, x, { samples: 20, seed: 5 }));
  const b = await smoothGrad(models.cnn, x, { samples: 20, seed: 5, batchSize: 40 });
  const c = await smoothGrad(models.cnn, x, { samples: 20, seed: 6 });
  assertClose(b.values, a.values, 1e-6, "same seed, other batching");
  assert.ok(a.values.some((v, i) => Math.abs(v - c.values[i]) > 1e-4), "another seed gives other noise");
  assert.ok(a.values.some((v, i) => Math.abs(v - g.values[i]) > 1e-3), "noise changes the map");
  assert.deepEqual(a.targets, g.targets);
  // Linear model: every noisy gradient is the weight vector, so the average is too.
  const { model, W } = linearModel();
  const input = tf.tensor2d([[1, 2, 3, 4, 5, 6]]);
  assertClose((await smoothGrad(model, input, { target: 1, samples: 7 })).values, W.map((r) => r[1]), 1e-6, "linear");
  input.dispose();
});

test("wrong input shape and maps for charts", async () => {
  const flat = tf.zeros([2, 64]);
  await assert.rejects(gradient(models.cnn, flat), (e: DataError) => e instanceof DataError && e.kind === "wrong-input-shape" && /\[batch, 8, 8, 1\]/.test(e.message));
  flat.dispose();
  const g = await gradient(models.cnn, x);
  const map = attributionMap(g, 1);
  assert.equal(map.length, 8);
  assert.equal(map[0].length, 8);
  assert.equal(map[3][5], g.values[64 + 3 * 8 + 5]);
});

test("a graph model is explained through its output: gradient = W[:, target]", async () => {
  const W = [[1, 0, -1], [0.5, 2, 0], [0, 0, 1], [-2, 1, 3]];
  const dir = mkdtempSync(join(tmpdir(), "graph-"));
  writeGraphModel(dir, W);
  const model = await loadModel(dir);
  const input = tf.tensor2d([[1, 2, 3, 4]]);
  const g = await noLeak(() => gradient(model, input, { target: 2 }));
  assert.equal(g.output, "model-output");
  assertClose(g.values, W.map((row) => row[2]), 1e-6, "graph gradient");
  input.dispose();
});
