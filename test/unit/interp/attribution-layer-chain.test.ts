// The gradient-lean layer chain must compute exactly what the layers compute: outputs and input
// gradients against tf.grad through model.apply (the layers' own fused path), for each layer kind.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { layerChain } from "../../../src/core/interp/attribution/layer-chain";
import { gradient } from "../../../src/core/interp/attribution";
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
