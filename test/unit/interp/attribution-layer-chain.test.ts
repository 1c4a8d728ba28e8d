// The gradient-lean layer chain must compute exactly what the layers compute: outputs and input
// gradients against tf.grad through model.apply (the layers' own fused path), for each layer kind;
// and its TensorFlow graph (gradient-graph.ts, a hand-written backward pass) must agree with it.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { layerChain } from "../../../src/core/interp/layer-chain";
import { gradient } from "../../../src/core/interp/attribution";
import { scoredModel, targetScores, targetScoreSum } from "../../../src/core/interp/attribution/scores";
import { testTf } from "../../support/tf";
import { assertClose } from "./reference";

before(() => testTf());

let seed = 1;
const init = () => ({ kernelInitializer: tf.initializers.glorotNormal({ seed: seed++ }), biasInitializer: tf.initializers.randomNormal({ seed: seed++ }) });

function models(): Record<string, tf.Sequential> {
  return {
    conv: tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [9, 9, 2], filters: 4, kernelSize: 3, strides: 2, padding: "same", activation: "relu", ...init() }),
        tf.layers.conv2d({ filters: 3, kernelSize: 2, padding: "valid", activation: "tanh", ...init() }),
        tf.layers.averagePooling2d({ poolSize: 2, strides: 1 }),
        tf.layers.maxPooling2d({ poolSize: 2, padding: "same" }),
        tf.layers.flatten(),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: 5, activation: "softplus", ...init() }),
        tf.layers.dense({ units: 3, activation: "softmax", ...init() }),
      ],
    }),
    mlp: tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [9, 9, 2] }),
        tf.layers.dense({ units: 7, activation: "sigmoid", ...init() }),
        tf.layers.dense({ units: 6, activation: "relu", useBias: false, ...init() }),
        tf.layers.dense({ units: 3, ...init() }),
        tf.layers.activation({ activation: "softmax" }),
      ],
    }),
  };
}

test("the chain equals model.apply, and its input gradients equal those through the fused layers", () => {
  const x = tf.randomNormal([4, 9, 9, 2], 0, 1, "float32", 5);
  for (const [name, model] of Object.entries(models())) {
    const chain = layerChain(model, model.layers.length, false)!;
    assert.ok(chain, `${name}: supported`);
    assertClose(chain(x).dataSync(), (model.apply(x) as tf.Tensor).dataSync(), 1e-6, `${name} output`);
    // The fused layers' gradient needs Conv2DBackpropFilter, which the wasm backend lacks (the chain does not).
    if (!tf.getKernel("Conv2DBackpropFilter", tf.getBackend()) && name === "conv") continue;
    const viaChain = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(chain(z), tf.tensor1d([0.3, -1, 2]))))(x);
    const viaLayers = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(model.apply(z) as tf.Tensor, tf.tensor1d([0.3, -1, 2]))))(x);
    assertClose(viaChain.dataSync(), viaLayers.dataSync(), 1e-5, `${name} gradient`);
  }
});

test("logits: a final softmax Activation is dropped and a softmax Dense is made linear, matching log-probabilities up to a constant", async () => {
  const x = tf.randomNormal([3, 9, 9, 2], 0, 1, "float32", 6);
  for (const [name, model] of Object.entries(models())) {
    const g = await gradient(model, x, { target: 1 });
    assert.equal(g.output, "logits", name);
    // softmax(logits) = the model's output, so logits − log p is constant across classes.
    const logp = (await tf.log(model.apply(x) as tf.Tensor).data()) as Float32Array;
    const shift = g.scores.map((s, i) => s - logp[i * 3 + 1]);
    const chain = layerChain(model, name === "mlp" ? model.layers.length - 1 : model.layers.length, name === "conv")!;
    const logits = chain(x).dataSync();
    for (let i = 0; i < 3; i++) for (let c = 0; c < 3; c++) assert.ok(Math.abs(logits[i * 3 + c] - logp[i * 3 + c] - shift[i]) < 1e-4);
  }
});

test("a model with a layer the chain does not know falls back to the layers and gives the same gradient", async () => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [5], units: 4, activation: "relu", ...init() }),
      tf.layers.batchNormalization({ gammaInitializer: "ones", movingVarianceInitializer: tf.initializers.constant({ value: 4 }) }),
      tf.layers.dense({ units: 2, ...init() }),
    ],
  });
  assert.equal(layerChain(model, 3, false), undefined);
  const x = tf.randomNormal([6, 5], 0, 1, "float32", 7);
  const g = await gradient(model, x, { target: 0 });
  const want = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(model.apply(z) as tf.Tensor, tf.tensor1d([1, 0]))))(x);
  assertClose(g.values, want.dataSync(), 1e-6, "fallback gradient");
});

test("the graph route (tfjs-node) gives the chain's scores, input gradients and IG, for every step kind, and sees new weights", async (t) => {
  if (tf.getBackend() !== "tensorflow") return t.skip(`the graph route needs tfjs-node; backend is ${tf.getBackend()}`);
  const softmaxInside = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [6], units: 5, ...init() }),
      tf.layers.activation({ activation: "softmax" }),
      tf.layers.dense({ units: 4, activation: "tanh", ...init() }),
      tf.layers.dense({ units: 3, ...init() }),
    ],
  });
  const cases: [string, tf.LayersModel, tf.Tensor][] = [
    ...Object.entries(models()).map(([name, model]): [string, tf.LayersModel, tf.Tensor] => [name, model, tf.randomNormal([5, 9, 9, 2], 0, 1, "float32", 8)]),
    ["softmax inside", softmaxInside, tf.randomNormal([5, 6], 0, 1, "float32", 9)],
  ];
  const targets = tf.tensor1d([0, 2, 1, 1, 0], "int32");
  for (const [name, model, x] of cases) {
    const scored = scoredModel(model);
    const check = (what: string) => {
      const viaGraph = scored.graph!.targetGradient(x, targets);
      assert.ok(viaGraph, `${name}: the graph route ran`);
      const tape = tf.grad((z: tf.Tensor) => targetScoreSum(scored.scores(z), targets))(x);
      assertClose(viaGraph.grad.dataSync(), tape.dataSync(), 1e-5, `${name} ${what} gradient`);
      assertClose(viaGraph.value.dataSync(), targetScores(scored.scores(x), targets).dataSync(), 1e-5, `${name} ${what} target scores`);
      assertClose(scored.graph!.scores(x)!.dataSync(), scored.scores(x).dataSync(), 1e-5, `${name} ${what} scores`);
      // IG's quadrature sum in one run: against the same sum of gradients through the tape, with a per-example baseline.
      const baseline = tf.mul(x, 0.25);
      const [nodes, weights] = [[0.1, 0.5, 0.9], [0.3, 0.4, 0.3]];
      const sum = scored.graph!.pathGradientSum(x, baseline, targets, nodes, weights);
      assert.ok(sum, `${name}: the IG graph route ran`);
      const delta = tf.sub(x, baseline);
      const tapeSum = nodes
        .map((alpha, k) => tf.mul(tf.grad((z: tf.Tensor) => targetScoreSum(scored.scores(z), targets))(tf.add(baseline, tf.mul(delta, alpha))), weights[k]))
        .reduce((total, g) => tf.add(total, g));
      assertClose(sum.dataSync(), tapeSum.dataSync(), 1e-5, `${name} ${what} IG sum`);
    };
    check("initial");
    // Weights are inputs of the graph, read at every call: retrained weights are seen at once.
    const layer = model.layers.find((l) => l.getWeights().length > 0)!;
    layer.setWeights(layer.getWeights().map((w) => tf.mul(w, -1.5)));
    check("after setWeights");
  }
});

test("off tfjs-node the graph routes answer undefined and attribution takes the tape route", async () => {
  const model = models().mlp;
  const x = tf.randomNormal([3, 9, 9, 2], 0, 1, "float32", 10);
  const before = tf.getBackend();
  const onTensorFlow = (await gradient(model, x, { target: 1 })).values;
  await tf.setBackend("cpu");
  try {
    assert.equal(scoredModel(model).graph!.targetGradient(x, tf.tensor1d([1, 1, 1], "int32")), undefined);
    assert.equal(scoredModel(model).graph!.scores(x), undefined);
    assertClose((await gradient(model, x, { target: 1 })).values, onTensorFlow, 1e-5, "cpu gradient");
  } finally {
    await tf.setBackend(before);
  }
});
