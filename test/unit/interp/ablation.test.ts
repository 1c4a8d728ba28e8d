import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import {
  type Ablation, type AblationSite, ablate, ablateEachUnit, ablationSite, cumulativeAblation, orthonormalBasis, projectOut, splitAt,
} from "../../../src/core/interp/ablation";
import { InterpError, layerActivations } from "../../../src/core/interp/activations";
import { layerGradients } from "../../../src/core/interp/representations/tcav";
import { classSelectivity } from "../../../src/core/interp/selectivity";
import { createRng, type Rng } from "../../../src/core/stats/rng";

const rng = createRng(42);
const randn = (...shape: number[]) => normals(rng, shape);
const normals = (r: Rng, shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal()), shape);

/** x[8] → "h" dense(6, relu) → "h2" dense(5, relu) → "out" dense(3, softmax), seeded weights. */
function mlp(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [8], units: 6, activation: "relu", name: "h" }),
      tf.layers.dense({ units: 5, activation: "relu", name: "h2" }),
      tf.layers.dense({ units: 3, activation: "softmax", name: "out" }),
    ],
  });
  // Its own seeded stream: the same weights whichever tests ran before.
  const weights = createRng(7);
  tf.tidy(() => model.layers.forEach((layer) => layer.setWeights(layer.getWeights().map((w) => normals(weights, w.shape).add(0.2)))));
  return model;
}

/** The same shape with a linear (not ReLU) first hidden layer, whose activations go negative. */
function mlpWithLinearHidden(): tf.Sequential {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [8], units: 6, name: "h" }), tf.layers.dense({ units: 3, activation: "softmax", name: "out" })],
  });
  const weights = createRng(8);
  tf.tidy(() => model.layers.forEach((layer) => layer.setWeights(layer.getWeights().map((w) => normals(weights, w.shape)))));
  return model;
}

const N = 120;
const X = randn(N, 8);
/** Labels the model mostly gets right (its own argmax, with every 5th flipped), so accuracy is neither 0 nor 1. */
function labelsFor(model: tf.LayersModel, x: tf.Tensor): number[] {
  const predicted = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1).arraySync() as number[]);
  return predicted.map((p, i) => (i % 5 === 0 ? (p + 1) % 3 : p));
}

/** Accuracy of a full forward pass of `model`, computed on the host. */
function fullAccuracy(model: tf.LayersModel, x: tf.Tensor, labels: number[]): number {
  const predicted = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1).arraySync() as number[]);
  return predicted.filter((p, i) => p === labels[i]).length / labels.length;
}

/** Runs `fn` with layer `name`'s kernel replaced by `edit(kernel)` (host arrays), then restores it. */
function withKernel<T>(model: tf.LayersModel, name: string, edit: (k: number[][]) => number[][], fn: () => T): T {
  const layer = model.getLayer(name);
  // getWeights() returns the live variables: keep copies to restore from.
  const original = layer.getWeights().map((w) => w.clone());
  const kernel = tf.tensor2d(edit(original[0].arraySync() as number[][]));
  layer.setWeights([kernel, ...original.slice(1)]);
  try {
    return fn();
  } finally {
    layer.setWeights(original);
    tf.dispose([kernel, ...original]);
  }
}

/** The default (low-rank where possible) site and an `edited` one agree on accuracies and outputs. */
async function sameAcrossRoutes(site: AblationSite, plain: AblationSite, ablations: Ablation[]): Promise<void> {
  assert.deepEqual(await site.accuracy(ablations), await plain.accuracy(ablations));
  for (const ablation of ablations) {
    const [a, b] = [site.outputs(ablation), plain.outputs(ablation)];
    assert.ok(maxAbsDiff(a, b) < 1e-5, JSON.stringify(ablation));
    tf.dispose([a, b]);
  }
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);
}

test("ablating nothing gives the model's own accuracy (full forward)", async () => {
  const model = mlp();
  const labels = labelsFor(model, X);
  const before = tf.memory().numTensors;
  const result = await ablate(model, X, labels, { layer: "h", ablations: [{ units: [] }, { directions: [[1, 0, 0, 0, 0, 0]] }] });
  assert.equal(tf.memory().numTensors, before);
  const expected = fullAccuracy(model, X, labels);
  assert.ok(expected > 0.5 && expected < 1);
  assert.equal(result.baseline, expected);
  assert.equal(result.accuracy[0], expected);
  // The heads built for ablation call the later layers again; the model's own activations stay unambiguous.
  assert.deepEqual((await layerActivations(model, X, { layer: "h2" })).shape, [N, 5]);
  model.dispose();
});

for (const strategy of ["auto", "edited"] as const) {
  test(`zero-ablating unit j equals zeroing its outgoing weights (outputs and accuracy, every unit; strategy ${strategy})`, async () => {
    const model = mlp();
    const labels = labelsFor(model, X);
    const before = tf.memory().numTensors;
    const site = await ablationSite(model, X, labels, { layer: "h", batchSize: 50, strategy });
    const each = await ablateEachUnit(model, X, labels, { layer: "h", maxBatchElements: 200, strategy });
    for (let j = 0; j < 6; j++) {
      const zeroRow = (k: number[][]) => k.map((row, r) => (r === j ? row.map(() => 0) : row));
      const ablated = site.outputs({ units: [j] });
      const naive = withKernel(model, "h2", zeroRow, () => model.predict(X) as tf.Tensor);
      assert.ok(maxAbsDiff(ablated, naive) < 1e-6, `unit ${j}`);
      assert.equal(each.accuracy[j], withKernel(model, "h2", zeroRow, () => fullAccuracy(model, X, labels)), `unit ${j} accuracy`);
      tf.dispose([ablated, naive]);
    }
    // Mixed groups (single units of both modes, sets, subspaces) agree between the two strategies.
    const mixed = [{ units: [1] }, { units: [2], mode: "mean" as const }, { units: [0, 4] }, { units: [3], mode: "mean" as const }, { directions: [[1, 1, 0, 0, 0, 0]] }, { units: [] }];
    const other = await ablate(model, X, labels, { layer: "h", ablations: mixed, strategy: strategy === "auto" ? "edited" : "auto" });
    assert.deepEqual(await site.accuracy(mixed), other.accuracy);
    site.dispose();
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
  });
}

test("mean-ablating unit j equals zeroing its outgoing weights and adding mean_j · W[j] to the next bias", async () => {
  const model = mlp();
  const labels = labelsFor(model, X);
  const h = await layerActivations(model, X, { layer: "h" });
  const j = 2;
  let meanJ = 0;
  for (let i = 0; i < N; i++) meanJ += h.data[i * 6 + j] / N;
  const site = await ablationSite(model, X, labels, { layer: "h" });
  const ablated = site.outputs({ units: [j], mode: "mean" });
  const edited = await ablationSite(model, X, labels, { layer: "h", strategy: "edited" });
  const plain = edited.outputs({ units: [j], mode: "mean" });
  assert.ok(maxAbsDiff(ablated, plain) < 1e-5);
  plain.dispose();
  edited.dispose();
  const layer = model.getLayer("h2");
  const [kernel, bias] = layer.getWeights().map((w) => w.clone());
  const k = kernel.arraySync() as number[][];
  const b = (bias.arraySync() as number[]).map((v, c) => v + meanJ * k[j][c]);
  const weights = [tf.tensor2d(k.map((row, r) => (r === j ? row.map(() => 0) : row))), tf.tensor1d(b)];
  layer.setWeights(weights);
  const naive = model.predict(X) as tf.Tensor;
  layer.setWeights([kernel, bias]);
  assert.ok(maxAbsDiff(ablated, naive) < 1e-5);
  tf.dispose([ablated, naive, kernel, bias, ...weights]);
  site.dispose();
  model.dispose();
});

test("after ablations, heads and TCAV gradients, model.dispose() still frees every weight", async () => {
  const before = tf.memory().numTensors;
  const model = mlp();
  const labels = labelsFor(model, X);
  await ablate(model, X, labels, { layer: "h", ablations: [{ units: [0] }] });
  await cumulativeAblation(model, X, labels, { layer: "h", randomOrders: 2, steps: [0, 1] });
  await layerGradients(model, X, { layer: "h", classIndex: 0 });
  splitAt(model, model.getLayer("h2"), { logits: true }).dispose();
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("projection: idempotent, removes exactly span(U), equals h − U(UᵀU)⁻¹Uᵀh", () => {
  const U = [[1, 2, 0, -1], [0, 1, 1, 1]];
  const h = tf.tensor2d([[1, 0, 2, 3], [-1, 4, 0.5, 2], [0, 0, 0, 1]]);
  const before = tf.memory().numTensors;
  const once = projectOut(h, U);
  const twice = projectOut(once, U);
  assert.equal(tf.memory().numTensors, before + 2);
  assert.ok(maxAbsDiff(once, twice) < 1e-6, "idempotent");
  const rows = once.arraySync() as number[][];
  for (const row of rows) for (const u of U) assert.ok(Math.abs(row.reduce((s, v, i) => s + v * u[i], 0)) < 1e-5, "orthogonal to U");
  // Closed form with an explicit 2×2 inverse, in float64.
  const G = [[0, 0], [0, 0]];
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) G[a][b] = U[a].reduce((s, v, i) => s + v * U[b][i], 0);
  const det = G[0][0] * G[1][1] - G[0][1] * G[1][0];
  const inv = [[G[1][1] / det, -G[0][1] / det], [-G[1][0] / det, G[0][0] / det]];
  (h.arraySync() as number[][]).forEach((x, r) => {
    const ux = U.map((u) => u.reduce((s, v, i) => s + v * x[i], 0));
    const c = [inv[0][0] * ux[0] + inv[0][1] * ux[1], inv[1][0] * ux[0] + inv[1][1] * ux[1]];
    x.forEach((v, i) => assert.ok(Math.abs(rows[r][i] - (v - c[0] * U[0][i] - c[1] * U[1][i])) < 1e-5));
  });
  tf.dispose([h, once, twice]);
  assert.throws(() => orthonormalBasis([[1, 2], [2, 4]]), (e: InterpError) => e.kind === "invalid-input");
  assert.throws(() => orthonormalBasis([[1, 2, 3]], 2), (e: InterpError) => e.kind === "shape-mismatch");
});

test("subspace ablation: e_j equals zeroing unit j; a general direction q equals next kernel (I − qqᵀ)W", async () => {
  const model = mlp();
  const labels = labelsFor(model, X);
  const site = await ablationSite(model, X, labels, { layer: "h" });
  const axis = site.outputs({ directions: [[0, 0, 0, 1, 0, 0]] });
  const zeroed = site.outputs({ units: [3] });
  assert.ok(maxAbsDiff(axis, zeroed) < 1e-6);
  const q0 = [1, -1, 2, 0, 0.5, 1];
  const norm = Math.hypot(...q0);
  const q = q0.map((v) => v / norm);
  const projected = site.outputs({ directions: [q0] });
  const naive = withKernel(model, "h2", (k) => k.map((_, r) => k[0].map((__, c) => k[r][c] - q[r] * q.reduce((s, qi, i) => s + qi * k[i][c], 0))), () => model.predict(X) as tf.Tensor);
  assert.ok(maxAbsDiff(projected, naive) < 1e-5);
  assert.equal((await site.accuracy([{ directions: [q0] }]))[0], withKernel(model, "h2", (k) => k.map((_, r) => k[0].map((__, c) => k[r][c] - q[r] * q.reduce((s, qi, i) => s + qi * k[i][c], 0))), () => fullAccuracy(model, X, labels)));
  tf.dispose([axis, zeroed, projected, naive]);
  site.dispose();
  model.dispose();
});

test("conv channels: zero-ablating channel c equals zeroing the next conv's input channel c", async () => {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 4, kernelSize: 3, activation: "relu", name: "c1" }),
      tf.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: "same", activation: "relu", name: "c2" }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, name: "out" }),
    ],
  });
  for (const layer of model.layers) layer.setWeights(layer.getWeights().map((w) => tf.tidy(() => randn(...w.shape).mul(0.5))));
  const x = randn(40, 6, 6, 1);
  const labels = labelsFor(model, x);
  const before = tf.memory().numTensors;
  const site = await ablationSite(model, x, labels, { layer: "c1", maxBatchElements: 1000 });
  const ablated = site.outputs({ units: [1] });
  const accuracy = await site.accuracy([{ units: [1] }]);
  // The conv low-rank route (changed channels through a sliced kernel) against edited copies through the whole head.
  const plain = await ablationSite(model, x, labels, { layer: "c1", strategy: "edited" });
  const mixed = [{ units: [0] }, { units: [1] }, { units: [2] }, { units: [3], mode: "mean" as const }, { units: [0], mode: "mean" as const }, { units: [1, 3] }, { directions: [[1, -1, 0.5, 0]] }];
  await sameAcrossRoutes(site, plain, mixed);
  plain.dispose();
  site.dispose();
  const c2 = model.getLayer("c2");
  const [kernel, bias] = c2.getWeights().map((w) => w.clone());
  const mask = tf.tensor4d([1, 0, 1, 1], [1, 1, 4, 1]);
  const edited = kernel.mul(mask);
  c2.setWeights([edited, bias]);
  const naive = model.predict(x) as tf.Tensor;
  assert.ok(maxAbsDiff(ablated, naive) < 1e-5);
  assert.equal(accuracy[0], fullAccuracy(model, x, labels));
  c2.setWeights([kernel, bias]);
  tf.dispose([ablated, naive, mask, edited, kernel, bias]);
  assert.equal(tf.memory().numTensors, before);
  x.dispose();
  model.dispose();
});

test("conv channels before max-pool → flatten → dense: zeroing channel c equals zeroing its dense rows; other ablations agree across routes", async () => {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 4, kernelSize: 3, padding: "same", activation: "relu", name: "c" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 5, activation: "relu", name: "d" }),
      tf.layers.dense({ units: 3, name: "out" }),
    ],
  });
  const weights = createRng(21);
  tf.tidy(() => model.layers.forEach((layer) => layer.setWeights(layer.getWeights().map((w) => normals(weights, w.shape).mul(0.5)))));
  const x = randn(30, 6, 6, 1);
  const labels = labelsFor(model, x);
  const before = tf.memory().numTensors;
  const site = await ablationSite(model, x, labels, { layer: "c" });
  const plain = await ablationSite(model, x, labels, { layer: "c", strategy: "edited" });
  // Flattened channels-last [3, 3, 4]: channel c is every index p·4 + c of the dense kernel's rows.
  for (let c = 0; c < 4; c++) {
    const ablated = site.outputs({ units: [c] });
    const naive = withKernel(model, "d", (k) => k.map((row, r) => (r % 4 === c ? row.map(() => 0) : row)), () => model.predict(x) as tf.Tensor);
    assert.ok(maxAbsDiff(ablated, naive) < 1e-5, `channel ${c}`);
    tf.dispose([ablated, naive]);
  }
  const mixed = [{ units: [0] }, { units: [2] }, { units: [1, 3] }, { units: [1], mode: "mean" as const }, { directions: [[1, 0, -1, 0.5]] }, { units: [] }];
  await sameAcrossRoutes(site, plain, mixed);
  site.dispose();
  plain.dispose();
  assert.equal(tf.memory().numTensors, before);
  x.dispose();
  model.dispose();
});

test("functional graphs: a branch after the layer is kept; a skip around it is refused", async () => {
  const input = tf.input({ shape: [4] });
  const h = tf.layers.dense({ units: 3, activation: "relu", name: "h" }).apply(input) as tf.SymbolicTensor;
  const a = tf.layers.dense({ units: 2, name: "a" }).apply(h) as tf.SymbolicTensor;
  const b = tf.layers.dense({ units: 2, name: "b" }).apply(h) as tf.SymbolicTensor;
  const branched = tf.model({ inputs: input, outputs: tf.layers.add().apply([a, b]) as tf.SymbolicTensor });
  const x = randn(5, 4);
  const head = splitAt(branched, branched.getLayer("h"));
  const hx = (tf.model({ inputs: input, outputs: h }).predict(x) as tf.Tensor);
  const viaHead = head.model.predict(hx) as tf.Tensor;
  const full = branched.predict(x) as tf.Tensor;
  assert.ok(maxAbsDiff(viaHead, full) < 1e-6);
  const skip = tf.layers.dense({ units: 2, name: "skip" }).apply(input) as tf.SymbolicTensor;
  const skipped = tf.model({ inputs: input, outputs: tf.layers.add().apply([a, skip]) as tf.SymbolicTensor });
  assert.throws(() => splitAt(skipped, skipped.getLayer("h")), (e: InterpError) => e.kind === "unsplittable-model");
  const before = tf.memory().numTensors;
  await assert.rejects(ablate(skipped, x, [0, 1, 0, 1, 0], { layer: "h", ablations: [] }), (e: InterpError) => e.kind === "unsplittable-model");
  assert.equal(tf.memory().numTensors, before, "a refused split leaves nothing behind");
  tf.dispose([x, hx, viaHead, full]);
  head.dispose();
});

test("logits head: drops the final softmax, sharing the weights' values", () => {
  const model = mlp();
  const h = tf.tidy(() => randn(7, 6).relu());
  const head = splitAt(model, model.getLayer("h"), { logits: true });
  const logits = head.model.predict(h) as tf.Tensor;
  const h2 = tf.tidy(() => model.getLayer("h2").apply(h) as tf.Tensor);
  const [k, b] = model.getLayer("out").getWeights();
  const expected = tf.tidy(() => h2.matMul(k).add(b));
  assert.ok(maxAbsDiff(logits, expected) < 1e-5);
  const before = tf.memory().numTensors;
  head.dispose();
  assert.equal(tf.memory().numTensors, before - 2, "the linear copy's kernel and bias are freed");
  tf.dispose([h, logits, h2, expected]);
  model.dispose();
});

test("cumulative curves: endpoints by closed form, selectivity order by default, seeded random band", async () => {
  const model = mlp();
  const labels = labelsFor(model, X);
  const before = tf.memory().numTensors;
  const result = await cumulativeAblation(model, X, labels, { layer: "h", randomOrders: 8, seed: 3 });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(result.unitsAblated, [0, 1, 2, 3, 4, 5, 6]);
  const baseline = fullAccuracy(model, X, labels);
  const allZero = withKernel(model, "h2", (k) => k.map((row) => row.map(() => 0)), () => fullAccuracy(model, X, labels));
  for (const curve of [...result.curves.map((c) => c.accuracy), ...result.randomCurves]) {
    assert.equal(curve[0], baseline);
    assert.equal(curve[6], allZero);
  }
  const si = classSelectivity(await layerActivations(model, X, { layer: "h" }), labels).index;
  const high = result.curves[0].units;
  assert.equal(result.curves[0].order, "class selectivity, high first");
  for (let i = 1; i < high.length; i++) assert.ok(si[high[i - 1]] >= si[high[i]]);
  // Step 2 of the selectivity order by the naive route (outgoing weights of its first two units zeroed).
  const firstTwo = new Set(high.slice(0, 2));
  assert.equal(result.curves[0].accuracy[2], withKernel(model, "h2", (k) => k.map((row, r) => (firstTwo.has(r) ? row.map(() => 0) : row)), () => fullAccuracy(model, X, labels)));
  assert.equal(result.random.orders, 8);
  for (let s = 0; s < 7; s++) {
    const values = result.randomCurves.map((c) => c[s]);
    assert.ok(Math.abs(result.random.mean[s] - values.reduce((a, v) => a + v, 0) / 8) < 1e-12);
    assert.ok(result.random.lower[s] >= Math.min(...values) && result.random.upper[s] <= Math.max(...values));
    assert.ok(result.random.lower[s] <= result.random.mean[s] + 1e-12 && result.random.mean[s] <= result.random.upper[s] + 1e-12);
  }
  const again = await cumulativeAblation(model, X, labels, { layer: "h", randomOrders: 8, seed: 3, steps: [0, 3] });
  assert.deepEqual(again.randomCurves.map((c) => c[1]), result.randomCurves.map((c) => c[3]), "same seed, same orders");
  const other = await cumulativeAblation(model, X, labels, { layer: "h", randomOrders: 8, seed: 4, orders: [{ name: "given", units: [5, 4, 3, 2, 1, 0] }] });
  assert.notDeepEqual(other.randomCurves, result.randomCurves);
  assert.equal(other.curves[0].order, "given");
  await assert.rejects(cumulativeAblation(model, X, labels, { layer: "h", steps: [7] }), (e: InterpError) => e.kind === "invalid-input");
  // A linear hidden layer is not post-ReLU: the default (selectivity) order says to pass orders.
  const linear = mlpWithLinearHidden();
  await assert.rejects(cumulativeAblation(linear, X, labels, { layer: "h", randomOrders: 2 }), (e: InterpError) => e.kind === "negative-activations" && /pass `orders`/.test(e.message));
  linear.dispose();
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
});
