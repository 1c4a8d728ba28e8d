// Guided Backprop and Grad-CAM beyond chains of layers: residual Keras models (and a chain of layers
// the chain reader does not take: BatchNorm, depthwise, ReLU6) against Keras/TensorFlow float64 on
// the same .keras files (test/reference/interp/generate_attribution_dag.py: guided ReLU/ReLU6 by
// tf.custom_gradient; Grad-CAM by GradientTape at the layer's output and tf.image.resize); a tfjs
// graph model (a residual block written as a GraphDef) against closed forms computed here from the
// node values tfjs' own executor gives; and the invariant that without ReLUs Guided Backprop is the
// gradient.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { loadModel, type LoadedModel } from "../../../src/core/data";
import { gradCam, gradient, guidedBackprop, guidedGradCam } from "../../../src/core/interp/attribution";
import { noLeak, testTf } from "../../support/tf";
import { apply, init, nextSeed } from "./graph-models";
import { assertClose, interpReference } from "./reference";

interface Case {
  file: string;
  shape: [number, number, number, number];
  input: number[];
  targets: number[];
  logits: number[];
  gradient: number[];
  guidedBackprop: number[];
  gradCam: Record<string, number[]>;
}
const ref = interpReference<{ cases: Record<string, Case> }>("attribution-dag");

before(() => testTf());

for (const [name, c] of Object.entries(ref.cases)) {
  test(`${name}: Guided Backprop = TensorFlow's guided-ReLU gradient on the same weights; Grad-CAM at ${Object.keys(c.gradCam).join(", ")} = TensorFlow's`, async () => {
    const model: LoadedModel = await loadModel(c.file);
    const x = tf.tensor4d(c.input, c.shape);
    const plain = await gradient(model, x, { target: c.targets });
    assertClose(plain.values, c.gradient, 1e-6, `${name}: the gradient (the fixture read alike)`);
    const guided = await noLeak(() => guidedBackprop(model, x, { target: c.targets }));
    assert.equal(guided.method, "guided-backprop");
    assertClose(guided.values, c.guidedBackprop, 1e-6, `${name}: guided backprop`);
    assert.ok(plain.values.some((v, k) => Math.abs(v - guided.values[k]) > 1e-2 * Math.max(...c.gradient.map(Math.abs))), "the guided rule changed the map");
    for (const [layer, expected] of Object.entries(c.gradCam)) {
      const cam = await noLeak(() => gradCam(model, x, { layer, target: c.targets }));
      assert.deepEqual([cam.settings.layer, cam.shape], [layer, [c.shape[0], c.shape[1], c.shape[2], 1]]);
      assertClose(cam.values, expected, 1e-6, `${name}: grad-cam at ${layer}`);
    }
    x.dispose();
  });
}

test("Grad-CAM's default: the last conv layer's output, or where a residual block's branches join (after its activation)", async () => {
  const x = tf.randomNormal([1, 12, 12, 3], 0, 1, "float32", nextSeed());
  assert.equal((await gradCam(await loadModel("test/reference/models/keras/residual.keras"), x)).settings.layer, "block_out");
  assert.equal((await gradCam(await loadModel("test/reference/models/keras/cnn.keras"), x)).settings.layer, "pointwise");
  // The digits ResNet imported from ONNX (example 09): its last block's output ReLU.
  const resnet = await loadModel("examples/digits/models/resnet.onnx");
  assert.equal((await gradCam(resnet, tf.randomUniform([1, 8, 8, 1], 0, 1, "float32", 3))).settings.layer, "layer2/layer2.0/relu_1/Relu");
  await assert.rejects(gradCam(resnet, tf.zeros([1, 8, 8, 1]), { layer: "fc" }), /spatial output/);
  x.dispose();
});

test("without ReLUs (tanh, sigmoid, ELU, leaky ReLU, a residual Add), Guided Backprop is the gradient", async () => {
  const input = tf.input({ shape: [6, 6, 2] });
  const a = apply(tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: "same", activation: "tanh", ...init() }), input);
  const b = apply(tf.layers.leakyReLU({ alpha: 0.2 }), apply(tf.layers.conv2d({ filters: 3, kernelSize: 1, ...init() }), input));
  const joined = apply(tf.layers.activation({ activation: "elu" }), apply(tf.layers.add(), [a, b]));
  const out = apply(tf.layers.dense({ units: 4, activation: "sigmoid", ...init() }), apply(tf.layers.flatten(), joined));
  const model = tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 3, ...init() }), out) });
  const x = tf.randomNormal([3, 6, 6, 2], 0, 1, "float32", nextSeed());
  const [guided, plain] = [await guidedBackprop(model, x, { target: [0, 1, 2] }), await gradient(model, x, { target: [0, 1, 2] })];
  assertClose(guided.values, plain.values, 1e-5, "guided = gradient");
  x.dispose();
  model.dispose();
});

/**
 * A tfjs graph model of one residual block, as tensorflowjs_converter writes one (unfused ops):
 * x [n, 6, 6, 2] → Conv2D 3x3 SAME (k1) → BiasAdd → Relu ("branch"), + Conv2D 1x1 (k2) from x → AddV2
 * → Relu6 ("block_out") → Mean over h, w → MatMul (W [4, 3]) → Softmax.
 */
async function residualGraphModel(k1: number[], b1: number[], k2: number[], W: number[]): Promise<tf.GraphModel> {
  const dim = (...sizes: number[]) => ({ dim: sizes.map((size) => ({ size: String(size) })) });
  const s = (text: string) => ({ s: Buffer.from(text).toString("base64") });
  const float = { T: { type: "DT_FLOAT" } };
  const conv = { ...float, strides: { list: { i: ["1", "1", "1", "1"] } }, dilations: { list: { i: ["1", "1", "1", "1"] } }, data_format: s("NHWC") };
  const constant = (name: string, shape: number[], dtype = "DT_FLOAT") => ({ name, op: "Const", attr: { dtype: { type: dtype }, value: { tensor: { dtype, tensorShape: dim(...shape) } } } });
  const node = [
    { name: "x", op: "Placeholder", attr: { dtype: { type: "DT_FLOAT" }, shape: { shape: dim(-1, 6, 6, 2) } } },
    constant("k1", [3, 3, 2, 4]),
    constant("b1", [4]),
    constant("k2", [1, 1, 2, 4]),
    constant("W", [4, 3]),
    constant("axes", [2], "DT_INT32"),
    { name: "conv", op: "Conv2D", input: ["x", "k1"], attr: { ...conv, padding: s("SAME") } },
    { name: "bias", op: "BiasAdd", input: ["conv", "b1"], attr: { ...float, data_format: s("NHWC") } },
    { name: "branch", op: "Relu", input: ["bias"], attr: float },
    { name: "skip", op: "Conv2D", input: ["x", "k2"], attr: { ...conv, padding: s("VALID") } },
    { name: "add", op: "AddV2", input: ["branch", "skip"], attr: float },
    { name: "block_out", op: "Relu6", input: ["add"], attr: float },
    { name: "pooled", op: "Mean", input: ["block_out", "axes"], attr: { ...float, Tidx: { type: "DT_INT32" }, keep_dims: { b: false } } },
    { name: "logits", op: "MatMul", input: ["pooled", "W"], attr: { ...float, transpose_a: { b: false }, transpose_b: { b: false } } },
    { name: "probabilities", op: "Softmax", input: ["logits"], attr: float },
  ];
  const weightSpecs: tf.io.WeightsManifestEntry[] = [
    { name: "k1", shape: [3, 3, 2, 4], dtype: "float32" },
    { name: "b1", shape: [4], dtype: "float32" },
    { name: "k2", shape: [1, 1, 2, 4], dtype: "float32" },
    { name: "W", shape: [4, 3], dtype: "float32" },
    { name: "axes", shape: [2], dtype: "int32" },
  ];
  const weightData = Buffer.concat([...[k1, b1, k2, W].map((v) => Buffer.from(new Float32Array(v).buffer)), Buffer.from(new Int32Array([1, 2]).buffer)]);
  const data = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength);
  return tf.loadGraphModel(tf.io.fromMemory({ modelTopology: { node, versions: { producer: 1 } }, weightSpecs, weightData: data, format: "graph-model" }));
}

test("a tfjs graph model with a residual block: Guided Backprop and Grad-CAM (default and named node) = closed forms from the node values tfjs' executor gives", async () => {
  const random = (n: number, scale: number) => Array.from(tf.randomNormal([n], 0, scale, "float32", nextSeed()).dataSync());
  const [k1, b1, k2, W] = [random(72, 0.5), random(4, 0.3), random(8, 0.7), random(12, 1)];
  const model = await residualGraphModel(k1, b1, k2, W);
  const x = tf.randomNormal([2, 6, 6, 2], 0.5, 1, "float32", nextSeed()) as tf.Tensor4D;
  const targets = [1, 2];
  const [n, h, w] = [2, 6, 6];
  const valuesOf = (node: string) => (model.execute(x, node) as tf.Tensor).dataSync();
  const [pre, added, out] = [valuesOf("bias"), valuesOf("add"), valuesOf("block_out")];
  const at = (i: number, r: number, c: number, ch: number, channels: number) => ((i * h + r) * w + c) * channels + ch;

  // Grad-CAM at block_out: ∂y_t/∂B_k,ij = W[k, t] / (h w), so α_k = W[k, t] / (h w); the map is
  // relu(Σ_k α_k B_k) at the input's size (no resizing).
  const cam: number[] = [];
  for (let i = 0; i < n; i++) for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) {
    let sum = 0;
    for (let k = 0; k < 4; k++) sum += (W[k * 3 + targets[i]] / (h * w)) * out[at(i, r, c, k, 4)];
    cam.push(Math.max(0, sum));
  }
  for (const layer of [undefined, "block_out"]) {
    const result = await noLeak(() => gradCam(model, x, { layer, target: targets }));
    assert.equal(result.settings.layer, "block_out", "the default is where the branches join, after its activation");
    assertClose(result.values, cam, 1e-5, `grad-cam (${layer ?? "default"})`);
  }

  // Guided Backprop: the gradient at block_out is W[k, t] / (h w) everywhere; Relu6 passes relu() of
  // it where 0 < add < 6; the Add sends it down both branches; the branch's Relu passes relu() of it
  // where its input > 0, then the 3x3 convolution's adjoint; the skip its 1x1 convolution's adjoint.
  const guided = new Float64Array(n * h * w * 2);
  for (let i = 0; i < n; i++) for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) for (let o = 0; o < 4; o++) {
    const a = added[at(i, r, c, o, 4)];
    const g = a > 0 && a < 6 ? Math.max(0, W[o * 3 + targets[i]] / (h * w)) : 0;
    const gBranch = pre[at(i, r, c, o, 4)] > 0 ? g : 0;
    for (let ch = 0; ch < 2; ch++) {
      guided[at(i, r, c, ch, 2)] += g * k2[ch * 4 + o];
      for (let dr = 0; dr < 3; dr++) for (let dc = 0; dc < 3; dc++) {
        const [rr, cc] = [r + dr - 1, c + dc - 1];
        if (rr >= 0 && rr < h && cc >= 0 && cc < w) guided[at(i, rr, cc, ch, 2)] += gBranch * k1[((dr * 3 + dc) * 2 + ch) * 4 + o];
      }
    }
  }
  const result = await noLeak(() => guidedBackprop(model, x, { target: targets }));
  assert.equal(result.output, "logits");
  assertClose(result.values, guided, 1e-5, "guided backprop");
  const both = await guidedGradCam(model, x, { target: targets });
  assertClose(both.values, Array.from(guided, (v, k) => v * cam[Math.floor(k / 2)]), 1e-5, "guided grad-cam");
  tf.dispose([x]);
  model.dispose();
});
