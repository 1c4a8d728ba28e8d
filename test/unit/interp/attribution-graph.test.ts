// The graph route on any model (../graph: a model read as primitive ops, written as one TensorFlow
// graph with a hand-written backward pass) against the reference it replaces: tf.grad through the
// model itself (model.apply for layers models, model.execute for graph models). Op by op (small
// models that each exercise a few layer kinds, residual and concatenated branches included) and end
// to end (a pretrained MobileNetV2 as a layers model and as a graph model).
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { LazySession } from "../../../src/core/native/session";
import { canRunGraphs } from "../../../src/core/native/session";
import { integratedGradients } from "../../../src/core/interp/attribution";
import { type ScoredModel, scoredModel, targetScoreSum, targetScores } from "../../../src/core/interp/attribution/scores";
import { irFromLayers } from "../../../src/core/interp/graph/from-layers";
import { irKey } from "../../../src/core/interp/graph/ir";
import { cloneModel } from "../../../src/core/interp/sanity";
import { loadNsfwModel } from "../../support/nsfw";
import { testTf } from "../../support/tf";
import { apply, init, models, nextSeed } from "./graph-models";
import { assertClose } from "./reference";

before(() => testTf());

/** The reference: the gradient of the target scores through the model's own layers (tf.grad of model.apply). */
function tapeGradient(scores: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, targets: tf.Tensor1D): tf.Tensor {
  return tf.grad((z: tf.Tensor) => targetScoreSum(scores(z), targets))(x);
}

/**
 * The graph route against the reference. Small models agree to `tol` everywhere; a deep ReLU6
 * network (`deep`) in float32 only up to rounding that flips a few activations across a kink, which
 * differs between TensorFlow's fused kernels and tfjs' ops: there the worst value may differ by 2%
 * of the largest and the mean by 1e-4 of it (TensorFlow's own float32 run of MobileNetV2 is 0.8% and
 * 9e-6 from its float64 run: test/reference/interp/mobilenet.json).
 */
function checkRoute(name: string, scored: ScoredModel, reference: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, targets: tf.Tensor1D, tol: number, deep = false): void {
  const viaGraph = scored.graph?.targetGradient(x, targets);
  assert.ok(viaGraph, `${name}: the graph route ran`);
  const [actual, expected] = [Array.from(viaGraph.grad.dataSync()), Array.from(tapeGradient(reference, x, targets).dataSync())];
  if (!deep) assertClose(actual, expected, tol, `${name}: input gradient`);
  else {
    const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const worst = expected.reduce((m, v, i) => Math.max(m, Math.abs(actual[i] - v)), 0) / scale;
    const mean = expected.reduce((sum, v, i) => sum + Math.abs(actual[i] - v), 0) / expected.length / scale;
    assert.ok(worst <= 0.02 && mean <= 1e-4, `${name}: gradient differs by ${worst.toExponential(2)} (worst) and ${mean.toExponential(2)} (mean) of the largest`);
  }
  assertClose(viaGraph.value.dataSync(), targetScores(reference(x), targets).dataSync(), tol, `${name}: target scores`);
  assertClose(scored.graph!.scores(x)!.dataSync(), reference(x).dataSync(), tol, `${name}: scores`);
}

test("graph route = tf.grad through the layers, op by op: residual Add, BatchNorm, ReLU6, depthwise, separable, concat, pooling, dense mixes", { skip: !canRunGraphs() && "needs tfjs-node" }, () => {
  for (const [name, model] of Object.entries(models())) {
    const inputShape = model.inputs[0].shape.slice(1) as number[];
    const x = tf.randomNormal([4, ...inputShape], 0.3, 1, "float32", nextSeed());
    const targets = tf.tensor1d([0, 2, 1, 2], "int32");
    // Logits: the reference is the model up to below its softmax, through its own layers.
    const scored = scoredModel(model);
    const below = model.layers.at(-1)!.getClassName() === "Softmax" ? tf.model({ inputs: model.inputs, outputs: model.layers.at(-1)!.input as tf.SymbolicTensor }) : undefined;
    const logits = below ? (z: tf.Tensor) => below.apply(z) as tf.Tensor : scored.scores;
    checkRoute(`${name} (logits)`, scored, logits, x, targets, 2e-5);
    checkRoute(`${name} (model output)`, scoredModel(model, "model-output"), (z) => model.apply(z) as tf.Tensor, x, targets, 2e-5);
    // Weights are read at every run: new weights are seen at once.
    const layer = model.layers.find((l) => l.getWeights().length > 0 && l.getClassName() !== "BatchNormalization")!;
    layer.setWeights(layer.getWeights().map((w) => tf.mul(w, -1.5)));
    checkRoute(`${name} (after setWeights)`, scoredModel(model, "model-output"), (z) => model.apply(z) as tf.Tensor, x, targets, 2e-5);
  }
});

test("dilated convolutions (whose gradient tfjs' tape lacks): the graph route's gradient equals central finite differences", { skip: !canRunGraphs() && "needs tfjs-node" }, () => {
  const input = tf.input({ shape: [7, 7, 2] });
  const conv = apply(tf.layers.conv2d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: "same", activation: "tanh", ...init() }), input);
  const model = tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 2, ...init() }), apply(tf.layers.flatten(), conv)) });
  const x = tf.randomNormal([1, 7, 7, 2], 0, 1, "float32", nextSeed());
  const targets = tf.tensor1d([1], "int32");
  const grad = scoredModel(model).graph!.targetGradient(x, targets)!.grad.dataSync();
  const values = x.dataSync();
  const score = (v: Float32Array) => tf.tidy(() => (model.predict(tf.tensor(v, x.shape)) as tf.Tensor).dataSync()[1]);
  const h = 1e-2;
  for (const i of [0, 17, 48, 60, 97]) {
    const [up, down] = [Float32Array.from(values), Float32Array.from(values)];
    up[i] += h;
    down[i] -= h;
    const numeric = (score(up) - score(down)) / (2 * h);
    assert.ok(Math.abs(grad[i] - numeric) < 2e-3 * Math.max(1, Math.abs(numeric)), `x[${i}]: graph ${grad[i]} vs finite difference ${numeric}`);
  }
});

test("a model and its copy share one graph (same architecture key); a layer the readers do not know leaves no graph route", async () => {
  const model = models()["inverted residual"];
  const copy = await cloneModel(model);
  assert.equal(irKey(irFromLayers(copy)), irKey(irFromLayers(model)));
  const input = tf.input({ shape: [4] });
  const unknown = tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 2 }), apply(tf.layers.layerNormalization({}), input)) });
  assert.equal(scoredModel(unknown).graph, undefined);
  copy.dispose();
});

test("a named layer is explained as its units' spatial means, through the graph route too", { skip: !canRunGraphs() && "needs tfjs-node" }, () => {
  const model = models()["inverted residual"];
  const x = tf.randomNormal([3, 8, 8, 3], 0, 1, "float32", nextSeed());
  const targets = tf.tensor1d([1, 3, 0], "int32");
  const layer = model.layers.find((l) => l.getClassName() === "Add")!;
  const scored = scoredModel(model, layer.name);
  assert.equal(scored.output, layer.name);
  const upTo = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
  const reference = (z: tf.Tensor) => tf.mean(upTo.apply(z) as tf.Tensor, [1, 2]);
  assertClose(scored.scores(x).dataSync(), reference(x).dataSync(), 1e-6, "spatial means");
  assertClose(tf.grad((z: tf.Tensor) => targetScoreSum(scored.scores(z), targets))(x).dataSync(), tapeGradient(reference, x, targets).dataSync(), 1e-6, "their gradient");
  assert.throws(() => scoredModel(model, "no such layer"), /no layer "no such layer" in the model/);
});

// End to end on a real network: nsfwjs' MobileNetV2 graph model (a converted TensorFlow Hub
// MobileNetV2 with the converter's fused ops). Its layers-model sibling is checked against
// TensorFlow float64 in attribution-mobilenet.test.ts.
test("MobileNetV2 graph model: the graph route's gradient equals tf.grad through model.execute; its Softmax is looked through", { skip: !canRunGraphs() && "needs tfjs-node" }, async () => {
  const x = tf.randomUniform([1, 224, 224, 3], 0, 1, "float32", 5);
  const targets = tf.tensor1d([2], "int32");
  const graph = (await loadNsfwModel("mobilenet_v2_mid")).model as tf.GraphModel;
  const scored = scoredModel(graph);
  assert.equal(scored.output, "logits");
  const bias = "StatefulPartitionedCall/sequential/dense/BiasAdd";
  assertClose(scored.scores(x).dataSync(), (graph.execute(x, bias) as tf.Tensor).dataSync(), 1e-6, "logits = the node before the Softmax");
  checkRoute("MobileNetV2 graph model", scored, scored.scores, x, targets, 1e-5, true);
  tf.dispose([x, targets]);
});

test("IG's passes hold at most the memory budget's rows; the result does not depend on the split", { skip: !canRunGraphs() && "needs tfjs-node" }, async () => {
  const model = models()["inverted residual"];
  const scored = scoredModel(model);
  const rowBytes = scored.rowBytes!();
  const x = tf.randomNormal([3, 8, 8, 3], 0, 1, "float32", nextSeed());
  const rows: number[] = [];
  const run = LazySession.prototype.run;
  LazySession.prototype.run = function (inputs, outputs) {
    if (inputs.ig_x) rows.push(inputs.ig_x.shape[0] * inputs.ig_nodes.shape[0]);
    return run.call(this, inputs, outputs);
  };
  try {
    const whole = await integratedGradients(model, x, { steps: 20, target: 1 });
    assert.deepEqual(rows, [60], "everything fits: one pass of 3 examples × 20 steps");
    rows.length = 0;
    const split = await integratedGradients(model, x, { steps: 20, target: 1, memoryBudget: 7.5 * rowBytes });
    assert.ok(Math.max(...rows) <= 7, `no pass above the budget's 7 rows: ${rows.join(", ")}`);
    assert.equal(rows.reduce((a, b) => a + b, 0), 60, "every step of every example once");
    assertClose(split.values, whole.values, 1e-6, "split = whole");
    assertClose(split.scores, whole.scores, 1e-6, "scores");
  } finally {
    LazySession.prototype.run = run;
  }
});
