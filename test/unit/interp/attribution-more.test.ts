// Guided Backprop, Grad-CAM, Guided Grad-CAM and occlusion on the digits CNN against TensorFlow
// (Python, float64, test/reference/interp/generate_attribution_more.py: guided ReLU by
// tf.custom_gradient, Grad-CAM by GradientTape at the layer and tf.image.resize, occlusion as numpy
// loops of Captum's definition); Guided Grad-CAM as the product it is defined to be; refusals; and
// that sanityCheck takes the new methods.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { loadModel, type LoadedModel } from "../../../src/core/data";
import { gradCam, gradient, guidedBackprop, guidedGradCam, occlusion } from "../../../src/core/interp/attribution";
import { sanityCheck } from "../../../src/core/interp/sanity";
import { noLeak, testTf } from "../../support/tf";
import { assertClose, interpReference } from "./reference";

const ref = interpReference<{
  inputs: number[][];
  targets: number[];
  guidedBackprop: number[][];
  gradCam: Record<"conv1" | "conv2", number[][]>;
  occlusion: { window: [number, number]; strides: [number, number]; baseline: number; values: number[][] }[];
}>("attribution-more");
let cnn: LoadedModel;
let x: tf.Tensor4D;

before(async () => {
  await testTf();
  cnn = await loadModel("examples/digits/models/cnn/model.json");
  x = tf.tensor4d(ref.inputs.flat(), [ref.inputs.length, 8, 8, 1]);
});

test("Guided Backprop matches TensorFlow's guided-ReLU gradient, and differs from the plain gradient", async () => {
  const result = await noLeak(() => guidedBackprop(cnn, x));
  assert.equal(result.method, "guided-backprop");
  assert.deepEqual(Array.from(result.targets), ref.targets);
  assert.deepEqual(result.shape, [6, 8, 8, 1]);
  assertClose(result.values, ref.guidedBackprop.flat(), 1e-4, "guided backprop");
  const plain = await gradient(cnn, x);
  assert.ok(plain.values.some((v, k) => Math.abs(v - result.values[k]) > 1e-3), "the guided rule changed something");
});

for (const layer of ["conv1", "conv2"] as const) {
  test(`Grad-CAM at ${layer} (upsampled to 8x8) matches TensorFlow`, async () => {
    const result = await noLeak(() => gradCam(cnn, x, { layer }));
    assert.deepEqual([result.method, result.settings.layer, result.shape], ["grad-cam", layer, [6, 8, 8, 1]]);
    assertClose(result.values, ref.gradCam[layer].flat(), 1e-4, `grad-cam ${layer}`);
  });
}

test("Grad-CAM's default layer is the last conv layer (conv2, not the pooling after it)", async () => {
  const result = await gradCam(cnn, x.slice(0, 1));
  assert.equal(result.settings.layer, "conv2");
});

test("Guided Grad-CAM is Guided Backprop times Grad-CAM, pixel by pixel", async () => {
  const [cam, guided, both] = [await gradCam(cnn, x, { layer: "conv2" }), await guidedBackprop(cnn, x), await noLeak(() => guidedGradCam(cnn, x, { layer: "conv2" }))];
  assert.equal(both.method, "guided-grad-cam");
  assertClose(both.values, Array.from(guided.values, (v, k) => v * cam.values[k]), 1e-6, "guided grad-cam");
});

for (const { window, strides, baseline, values } of ref.occlusion) {
  test(`occlusion ${window.join("x")} window, stride ${strides.join("x")}, baseline ${baseline}: Captum's definition in numpy`, async () => {
    // A small batch size splits one image's windows across passes.
    const result = await noLeak(() => occlusion(cnn, x, { window, strides, baseline, batchSize: 7 }));
    assert.equal(result.method, "occlusion");
    assertClose(result.values, values.flat(), 1e-4, "occlusion");
  });
}

test("occlusion takes a baseline tensor of one example's shape, and refuses bad windows", async () => {
  const zeros = tf.zeros([8, 8, 1]);
  const [a, b] = [await occlusion(cnn, x.slice(0, 2), { baseline: zeros }), await occlusion(cnn, x.slice(0, 2), { baseline: 0 })];
  assert.deepEqual(a.values, b.values);
  await assert.rejects(occlusion(cnn, x, { window: [9, 1] }), /window height must be an integer in 1..8/);
  await assert.rejects(occlusion(cnn, x, { baseline: tf.zeros([4, 4]) }), /one example's shape/);
  zeros.dispose();
});

test("the modified-backward methods refuse a model they cannot see the ReLUs of: a score function, a layer the readers do not know", async () => {
  const scores = (input: tf.Tensor) => tf.sum(input, [1, 2, 3]);
  await assert.rejects(guidedBackprop(scores, x), /needs a model whose ops Falsify can read/);
  await assert.rejects(gradCam(scores, x), /needs the model's layers or nodes/);
  const input = tf.input({ shape: [8, 8, 1] });
  const normed = tf.layers.layerNormalization({}).apply(tf.layers.conv2d({ filters: 2, kernelSize: 3, activation: "relu" }).apply(input)) as tf.SymbolicTensor;
  const unknown = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3 }).apply(tf.layers.flatten().apply(normed)) as tf.SymbolicTensor });
  // The kind methodScoreboard lists as not applicable.
  await assert.rejects(guidedBackprop(unknown, x), { kind: "unsupported-model", message: /a layer the readers do not know/ });
  unknown.dispose();
});

test("sanityCheck takes the new methods", async () => {
  const report = await sanityCheck("grad-cam", cnn, x.slice(0, 2), { independent: false, edgeDetector: false }, { methodOptions: { layer: "conv2" } });
  assert.equal(report.method, "grad-cam");
  assert.ok(report.controls.length > 0);
});
