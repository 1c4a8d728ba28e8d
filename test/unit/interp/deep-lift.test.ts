// DeepLift (rescale rule, Captum's semantics) against references that are not its own output:
// TensorFlow Python in float64 on the digits CNN (test/reference/interp/generate_deeplift.py: the
// baseline run first, then tf.custom_gradient rescaled ReLUs and Captum's max-pool rule through
// MaxPoolGrad); Captum's own small fixtures (tests/attr/test_deeplift_basic.py, neuron/test_neuron_deeplift.py,
// helpers/basic_models.py), rebuilt as tfjs layers models with their published expected
// attributions; closed forms (a single nonlinearity per input is exact; a linear model with BatchNorm
// gives (x − x₀) ⊙ its effective weights, multiplied out by hand); and the summation-to-delta
// invariant Σ attributions = f(x) − f(x₀) on the digits MLP and CNN (ReLU, max pooling) and on DAGs.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { loadModel, type LoadedModel } from "../../../src/core/data";
import { deepLift, gradient } from "../../../src/core/interp/attribution";
import { sanityCheck } from "../../../src/core/interp/sanity";
import { noLeak, testTf } from "../../support/tf";
import { models } from "./graph-models";
import { assertClose, interpReference } from "./reference";

before(async () => {
  await testTf();
});

/** A Sequential model of `layers` with fixed weights: per layer that has weights, each weight's values row-major. */
function fixed(layers: tf.layers.Layer[], weights: number[][][]): tf.Sequential {
  const model = tf.sequential({ layers });
  model.layers.filter((layer) => layer.weights.length > 0).forEach((layer, k) => layer.setWeights(layer.weights.map((w, j) => tf.tensor(weights[k][j], w.shape as number[]))));
  return model;
}

// Captum's ReLUDeepLiftModel: f(x1, x2) = 2·relu(x1) + 2·relu(x2 − 1.5), here one input [x1, x2].
const reluDeepLiftModel = () =>
  fixed(
    [tf.layers.dense({ units: 2, activation: "relu", inputShape: [2] }), tf.layers.dense({ units: 1, useBias: false })],
    [
      [
        [1, 0, 0, 1],
        [0, -1.5],
      ],
      [[2, 2]],
    ],
  );

test("Captum's ReLUDeepLiftModel: x = (1, 2), baseline 0 gives (2, 1) and delta 0; the multipliers are (2, 0.5)", async () => {
  const model = reluDeepLiftModel();
  const x = tf.tensor2d([[1, 2]]);
  const result = await noLeak(() => deepLift(model, x, { target: 0 }));
  assert.equal(result.method, "deeplift");
  assertClose(result.values, [2, 1], 1e-6, "attributions");
  assert.ok(result.completeness!.maxAbsGap < 1e-6);
  const multipliers = await deepLift(model, x, { target: 0, multiplyByInputs: false });
  assertClose(multipliers.values, [2, 0.5], 1e-6, "multipliers");
  assert.equal(multipliers.completeness, undefined, "multipliers do not sum to the difference");
  // test_relu_deeplift_batch: four copies of the example, explained together.
  const batch = await deepLift(model, tf.tensor2d([1, 2, 1, 2, 1, 2, 1, 2], [4, 2]), { target: 0, baseline: tf.zeros([4, 2]) });
  assertClose(batch.values, [2, 1, 2, 1, 2, 1, 2, 1], 1e-6, "batch");
});

test("Captum's TanhDeepLiftModel: one tanh per input, so each attribution is exactly 2·Δtanh (delta 0)", async () => {
  const model = fixed(
    [tf.layers.dense({ units: 2, activation: "tanh", inputShape: [2] }), tf.layers.dense({ units: 1, useBias: false })],
    [
      [
        [1, 0, 0, 1],
        [0, -1.5],
      ],
      [[2, 2]],
    ],
  );
  const result = await deepLift(model, tf.tensor2d([[-1, -2]]), { target: 0 });
  assertClose(result.values, [2 * Math.tanh(-1), 2 * (Math.tanh(-3.5) - Math.tanh(-1.5))], 1e-6, "tanh");
  assert.ok(result.completeness!.maxAbsGap < 1e-5);
});

// Captum's ReLULinearModel (DeepExplain's test net): l3(relu([l1(x1), l2(x2)])), here one input [x1, x2].
test("Captum's ReLULinearModel: x1 = (−10, 1, −5), x2 = (3, 3, 1), baseline 0 gives x1 → 0 and x2 → (6, 9, 0); multipliers (2, 3, 0)", async () => {
  // l1 = (3, 1, 0) on x1 and l2 = (2, 3, 0) on x2 as the two columns of one kernel [6, 2]; l3 = (1, 1).
  const model = fixed([tf.layers.dense({ units: 2, activation: "relu", useBias: false, inputShape: [6] }), tf.layers.dense({ units: 1, useBias: false })], [[[3, 0, 1, 0, 0, 0, 0, 2, 0, 3, 0, 0]], [[1, 1]]]);
  const x = tf.tensor2d([[-10, 1, -5, 3, 3, 1]]);
  assertClose((await deepLift(model, x, { target: 0 })).values, [0, 0, 0, 6, 9, 0], 1e-6, "attributions");
  assertClose((await deepLift(model, x, { target: 0, multiplyByInputs: false })).values, [0, 0, 0, 2, 3, 0], 1e-6, "multipliers");
});

/** Captum's ReLULinearModel as a tfjs graph model (what tensorflowjs_converter writes): MatMul, Relu, MatMul. */
function writeReluLinearGraphModel(dir: string): void {
  const dim = (...sizes: number[]) => ({ dim: sizes.map((size) => ({ size: String(size) })) });
  const constant = (name: string, shape: number[]) => ({ name, op: "Const", attr: { dtype: { type: "DT_FLOAT" }, value: { tensor: { dtype: "DT_FLOAT", tensorShape: dim(...shape) } } } });
  const matMul = (name: string, inputs: string[]) => ({ name, op: "MatMul", input: inputs, attr: { T: { type: "DT_FLOAT" }, transpose_a: { b: false }, transpose_b: { b: false } } });
  const node = [
    { name: "x", op: "Placeholder", attr: { dtype: { type: "DT_FLOAT" }, shape: { shape: dim(-1, 6) } } },
    constant("W1", [6, 2]),
    constant("W2", [2, 1]),
    matMul("h", ["x", "W1"]),
    { name: "r", op: "Relu", input: ["h"], attr: { T: { type: "DT_FLOAT" } } },
    matMul("y", ["r", "W2"]),
  ];
  const weights = [
    { name: "W1", shape: [6, 2], dtype: "float32" },
    { name: "W2", shape: [2, 1], dtype: "float32" },
  ];
  writeFileSync(join(dir, "model.json"), JSON.stringify({ format: "graph-model", modelTopology: { node, versions: { producer: 1 } }, weightsManifest: [{ paths: ["shard.bin"], weights }] }));
  writeFileSync(join(dir, "shard.bin"), Buffer.from(new Float32Array([3, 0, 1, 0, 0, 0, 0, 2, 0, 3, 0, 0, 1, 1]).buffer));
}

test("Captum's ReLULinearModel as a tfjs graph model gives the same published attributions", async () => {
  const dir = mkdtempSync(join(tmpdir(), "falsify-deeplift-"));
  try {
    writeReluLinearGraphModel(dir);
    const loaded = await loadModel(join(dir, "model.json"));
    assert.equal(loaded.kind, "graph");
    const result = await deepLift(loaded, tf.tensor2d([[-10, 1, -5, 3, 3, 1]]), { target: 0 });
    assertClose(result.values, [0, 0, 0, 6, 9, 0], 1e-6, "graph model");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Captum's LinearMaxPoolLinearModel: inputs 1, baselines (1, 2, 3, 9) and (4, 8, 6, 7) give (0, 0, 0, −8) and (0, −7, 0, 0), delta 0", async () => {
  // lin1 = identity (a 1x1 conv), a max pool over the 4 values, lin2 = 1: inputs [n, 1, 4, 1].
  const model = fixed(
    [tf.layers.conv2d({ filters: 1, kernelSize: 1, useBias: false, inputShape: [1, 4, 1] }), tf.layers.maxPooling2d({ poolSize: [1, 4] }), tf.layers.flatten(), tf.layers.dense({ units: 1, useBias: false })],
    [[[1]], [[1]]],
  );
  const [x, baseline] = [tf.ones([2, 1, 4, 1]), tf.tensor4d([1, 2, 3, 9, 4, 8, 6, 7], [2, 1, 4, 1])];
  const result = await noLeak(() => deepLift(model, x, { target: 0, baseline }));
  assertClose(result.values, [0, 0, 0, -8, 0, -7, 0, 0], 1e-6, "max pool");
  assert.ok(result.completeness!.maxAbsGap < 1e-6);
});

test("a linear model with BatchNorm: DeepLift is (x − x₀) ⊙ the product of its weights, whatever the baseline", async () => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 3, inputShape: [4], kernelInitializer: tf.initializers.randomNormal({ seed: 1 }), biasInitializer: tf.initializers.randomNormal({ seed: 2 }) }),
      tf.layers.batchNormalization({}),
      tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.randomNormal({ seed: 3 }) }),
    ],
  });
  const bn = model.layers[1];
  bn.setWeights(bn.weights.map((_, k) => tf.tensor1d(k === 2 ? [0.3, -0.2, 0.1] : k === 3 ? [0.5, 1.5, 2.5] : [1.2, 0.7, -0.4])));
  const [w1] = model.layers[0].getWeights().map((w) => w.arraySync() as number[][]);
  const [gamma, , , variance] = bn.getWeights().map((w) => w.arraySync() as number[]);
  const [w2] = model.layers[2].getWeights().map((w) => w.arraySync() as number[][]);
  const epsilon = (bn.getConfig() as { epsilon: number }).epsilon;
  const effective = (i: number, c: number) => w1[i].reduce((s, w, j) => s + w * (gamma[j] / Math.sqrt(variance[j] + epsilon)) * w2[j][c], 0);
  const xs = [
    [0.5, -1, 2, 0.1],
    [1, 1, -3, 0],
  ];
  const base = [0.2, 0.3, -0.1, 1];
  const result = await deepLift(model, tf.tensor2d(xs), { target: [0, 1], baseline: tf.tensor1d(base) });
  const expected = xs.flatMap((row, n) => row.map((v, i) => (v - base[i]) * effective(i, n)));
  assertClose(result.values, expected, 1e-5, "linear");
});

test("the digits CNN matches TensorFlow's float64 DeepLift (custom-gradient ReLUs and max pool), zero and mean-image baselines", async () => {
  const ref = interpReference<{ inputs: number[][]; targets: number[]; baselines: Record<"zero" | "mean", { baseline: number[]; values: number[][] }> }>("deeplift");
  const cnn = await loadModel("examples/digits/models/cnn/model.json");
  const x = tf.tensor4d(ref.inputs.flat(), [ref.inputs.length, 8, 8, 1]);
  for (const [name, { baseline, values }] of Object.entries(ref.baselines)) {
    const b = tf.tensor3d(baseline, [8, 8, 1]);
    const result = await noLeak(() => deepLift(cnn, x, { baseline: b }));
    assert.deepEqual(Array.from(result.targets), ref.targets);
    assertClose(result.values, values.flat(), 1e-4, `${name} baseline`);
  }
});

test("summation to delta on the digits MLP and CNN (ReLU, max pooling): Σ attributions = f(x) − f(baseline), zero and mean-image baselines", async () => {
  const ref = interpReference<{ inputs: number[][] }>("attribution-more");
  const x = tf.tensor4d(ref.inputs.flat(), [ref.inputs.length, 8, 8, 1]);
  const mean = tf.mean(x, 0);
  for (const name of ["mlp", "cnn"]) {
    const model: LoadedModel = await loadModel(`examples/digits/models/${name}/model.json`);
    for (const baseline of [0, mean]) {
      const result = await noLeak(() => deepLift(model, x, { baseline, batchSize: 4 }));
      const c = result.completeness!;
      assert.ok(c.relativeGap < 1e-4, `${name}, baseline ${typeof baseline}: relative gap ${c.relativeGap} (max ${c.maxAbsGap})`);
      assert.ok(c.scoreDifference.some((d) => Math.abs(d) > 1), "the differences explained are not trivial");
    }
    // Not the gradient times input: the rescale rule changed the multipliers.
    const [dl, grad] = [await deepLift(model, x), await gradient(model, x)];
    assert.ok(dl.values.some((v, k) => Math.abs(v - grad.values[k] * x.dataSync()[k]) > 1e-3), `${name}: DeepLift differs from gradient × input`);
  }
});

test("DAGs and BatchNorm: summation to delta on an inverted residual (BatchNorm, ReLU6, depthwise, Add) and on concatenated branches (max and average pooling, ELU, sigmoid, tanh)", async () => {
  const dags = models();
  for (const name of ["inverted residual", "concatenated branches"]) {
    const model = dags[name];
    const shape = model.inputs[0].shape.slice(1) as number[];
    const x = tf.randomNormal([3, ...shape], 0, 1, "float32", 5);
    const baseline = tf.randomNormal(shape, 0, 0.5, "float32", 6);
    const result = await noLeak(() => deepLift(model, x, { target: 1, baseline }));
    assert.ok(result.completeness!.relativeGap < 1e-4, `${name}: relative gap ${result.completeness!.relativeGap}`);
  }
});

test("a named layer's unit and a target function are explained too, with summation to delta", async () => {
  const cnn = await loadModel("examples/digits/models/cnn/model.json");
  const x = tf.randomUniform([3, 8, 8, 1], 0, 1, "float32", 1);
  // conv2's channel 2, scored by its spatial mean; then logit 1 − logit 7 as a function of the scores.
  const named = await deepLift(cnn, x, { output: "conv2", target: 2 });
  const contrast = await deepLift(cnn, x, { target: (s: tf.Tensor) => tf.sub(s.gather([1], 1).squeeze([1]), s.gather([7], 1).squeeze([1])) });
  for (const result of [named, contrast]) assert.ok(result.completeness!.relativeGap < 1e-4, `${result.output}: gap ${result.completeness!.relativeGap}`);
  assert.equal(named.output, "conv2");
  assert.deepEqual(Array.from(contrast.targets), [-1, -1, -1]);
});

test("refusals say what DeepLift takes: a product of two input-dependent tensors, a softmax inside the scores, a score function", async () => {
  const dags = models();
  await assert.rejects(deepLift(dags["dense mix"], tf.ones([1, 5])), /no rule for a product of two input-dependent tensors/);
  const cnn = await loadModel("examples/digits/models/cnn/model.json");
  await assert.rejects(deepLift(cnn, tf.ones([1, 8, 8, 1]), { output: "model-output" }), /Use output: "logits"/);
  await assert.rejects(deepLift((input: tf.Tensor) => tf.sum(input, [1, 2, 3]), tf.ones([1, 8, 8, 1])), /needs a model it can read op by op/);
  await assert.rejects(deepLift(cnn, tf.ones([2, 8, 8, 1]), { baseline: tf.zeros([4, 4]) }), /baseline's shape \[4, 4\]/);
});

test("sanityCheck takes DeepLift", async () => {
  const cnn = await loadModel("examples/digits/models/cnn/model.json");
  const report = await sanityCheck("deeplift", cnn, tf.randomUniform([2, 8, 8, 1], 0, 1, "float32", 3), { independent: false, edgeDetector: false });
  assert.equal(report.method, "deeplift");
  assert.ok(report.controls.length > 0);
});
