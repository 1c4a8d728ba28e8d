// ONNX import: every op form and three small networks against ONNX Runtime's outputs (committed by
// test/reference/models/generate_onnx.py), gradients against finite differences of the forward pass
// and against the same network written by hand in tfjs ops, intermediate nodes and an ablated unit
// against ONNX Runtime on edited copies of the model, refusal of unsupported ops, and the toolkit's
// randomisation on module names.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { DataError, loadModel, type OnnxSource } from "../../../src/core/data";
import { readOnnx } from "../../../src/core/data/onnx";
import { ablationSite, layerActivations, randomizableLayers, randomizedCopy } from "../../../src/core/interp";
import { testTf } from "../../support/tf";
import { fixturePath, ONNX_REFERENCE, type OnnxCase, toTfjsLayout } from "./onnx-reference";

before(async () => {
  await testTf();
});

const cases = ONNX_REFERENCE.cases;

/** max |a − b| / (1 + |b|): float32 agreement for values of any size. */
function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  return worst;
}

/** An NHWC tensor's values in NCHW order (as ONNX Runtime returns them); other ranks as they are. */
function onnxOrder(t: tf.Tensor): Float32Array {
  return tf.tidy(() => (t.rank === 4 ? tf.transpose(t, [0, 3, 1, 2]) : t).dataSync() as Float32Array);
}

async function imported(c: OnnxCase) {
  const loaded = await loadModel(fixturePath(c.file));
  assert.ok(loaded.kind === "layers" && loaded.source?.format === "onnx");
  return { ...loaded, source: loaded.source as OnnxSource };
}

test("every op form and network matches ONNX Runtime to float32 precision", async () => {
  for (const [name, c] of Object.entries(cases)) {
    const { model } = await imported(c);
    const x = toTfjsLayout(c.input, c.inputShape);
    const y = model.predict(x) as tf.Tensor;
    const shape = y.rank === 4 ? [y.shape[0], y.shape[3], y.shape[1], y.shape[2]] : y.shape;
    assert.deepEqual(shape, c.outputShape, `${name}: output shape`);
    const error = maxRelativeError(onnxOrder(y), c.output);
    assert.ok(error < 2e-6, `${name}: max relative error ${error}`);
    tf.dispose([x, y]);
    model.dispose();
  }
});

test("an image model takes NHWC input and names its parameter layers after the exporter's modules", async () => {
  const { model, inputShape, source } = await imported(cases.resnet);
  assert.deepEqual(inputShape, [null, 16, 16, 3]);
  assert.deepEqual(source?.onnxInputShape, [null, 3, 16, 16]);
  assert.deepEqual(randomizableLayers(model), [
    "fc", "layer2.0.downsample.1", "layer2.0.bn2", "layer2.0.downsample.0", "layer2.0.conv2", "layer2.0.bn1", "layer2.0.conv1",
    "layer1.0.bn2", "layer1.0.conv2", "layer1.0.bn1", "layer1.0.conv1", "bn1", "conv1",
  ]);
  assert.equal(source?.nodeLayers["/layer1/layer1.0/relu_1/Relu"], "layer1/layer1.0/relu_1/Relu");
  // A parameter named only by the exporter's scope (constant-folded: onnx::Conv_71) still gets its module's name.
  const mobile = await imported(cases.mobilenet);
  assert.ok(mobile.model.layers.some((l) => l.name === "features.1.conv.1.0" && l.getClassName() === "DepthwiseConv2D"));
  model.dispose();
  mobile.model.dispose();
});

test("an intermediate node's activations and an ablated channel match ONNX Runtime on edited models", async () => {
  for (const name of ["resnet", "mobilenet"]) {
    const c = cases[name] as OnnxCase & { intermediate: { node: string; values: number[] }; ablation: { node: string; channel: number; output: number[] } };
    const { model, source } = await imported(c);
    const x = toTfjsLayout(c.input, c.inputShape);
    const layer = source!.nodeLayers[c.intermediate.node];
    const acts = await layerActivations(model, x, { layer });
    const error = maxRelativeError(onnxOrder(tf.tensor(acts.data, acts.shape)), c.intermediate.values);
    assert.ok(error < 2e-6, `${name}: activations of ${c.intermediate.node}, error ${error}`);
    const site = await ablationSite(model, x, [0, 0], { layer: source!.nodeLayers[c.ablation.node] });
    const out = site.outputs({ units: [c.ablation.channel] });
    const ablated = maxRelativeError(await out.data(), c.ablation.output);
    assert.ok(ablated < 2e-6, `${name}: output with channel ${c.ablation.channel} of ${c.ablation.node} zeroed, error ${ablated}`);
    tf.dispose([x, out]);
    site.dispose();
    model.dispose();
  }
});

/** ∂ Σ_examples output[target] / ∂x through the imported model. */
function inputGradient(model: tf.LayersModel | ((x: tf.Tensor) => tf.Tensor), x: tf.Tensor, target: number): tf.Tensor {
  const f = typeof model === "function" ? model : (t: tf.Tensor) => model.apply(t) as tf.Tensor;
  return tf.grad((t: tf.Tensor) => tf.sum(tf.gather(f(t), [target], 1)))(x);
}

test("input gradients of every op form and network agree with central finite differences of the forward pass", async () => {
  // The objective weighs every output by a fixed random number. One input value moves at a time: a
  // small step crosses no ReLU or max-pool kink, so the difference is exact up to float32 rounding.
  for (const [name, c] of Object.entries(cases)) {
    const { model } = await imported(c);
    const x = toTfjsLayout(c.input, c.inputShape);
    const outputShape = (model.outputs[0].shape as number[]).map((d, i) => (i === 0 ? x.shape[0] : d));
    const weights = tf.randomUniform(outputShape, -1, 1, "float32", 7);
    const objective = (t: tf.Tensor) => tf.sum(tf.mul(model.apply(t) as tf.Tensor, weights));
    const g = tf.grad(objective)(x).dataSync();
    const values = x.dataSync();
    const f = (i: number, step: number) =>
      tf.tidy(() => {
        const moved = Float32Array.from(values);
        moved[i] += step;
        return objective(tf.tensor(moved, x.shape)).dataSync()[0];
      });
    const eps = 1e-3;
    const largest = Array.from(g.keys()).sort((a, b) => Math.abs(g[b]) - Math.abs(g[a])).slice(0, 3);
    for (const i of [...largest, values.length - 2]) {
      const fd = (f(i, eps) - f(i, -eps)) / (2 * eps);
      assert.ok(Math.abs(fd - g[i]) < 2e-3 + 1e-2 * Math.abs(g[i]), `${name}: input ${i}: finite difference ${fd} vs gradient ${g[i]}`);
    }
    tf.dispose([x, weights]);
    model.dispose();
  }
});

/** The ResNet fixture written directly in tfjs ops (NHWC) from the file's parameters: an independent forward pass. */
function handWrittenResnet(path: string): (x: tf.Tensor) => tf.Tensor {
  const params = readOnnx(readFileSync(path), path).initializers;
  const p = (name: string) => tf.tensor(params.get(name)!.values, params.get(name)!.dims);
  const conv = (x: tf.Tensor, m: string, stride: number, pad: number) =>
    tf.conv2d(tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]) as tf.Tensor4D, tf.transpose(p(`${m}.weight`), [2, 3, 1, 0]) as tf.Tensor4D, stride, "valid");
  const bn = (x: tf.Tensor, m: string) => tf.batchNorm(x, p(`${m}.running_mean`), p(`${m}.running_var`), p(`${m}.bias`), p(`${m}.weight`), 1e-5);
  const block = (x: tf.Tensor, m: string, stride: number, downsample: boolean) => {
    const h = bn(conv(tf.relu(bn(conv(x, `${m}.conv1`, stride, 1), `${m}.bn1`)), `${m}.conv2`, 1, 1), `${m}.bn2`);
    const skip = downsample ? bn(conv(x, `${m}.downsample.0`, stride, 0), `${m}.downsample.1`) : x;
    return tf.relu(tf.add(h, skip));
  };
  return (x) => {
    const stem = tf.relu(bn(conv(x, "conv1", 1, 1), "bn1"));
    // Max pool 3x3/2 with one pixel of padding; after a ReLU, zero padding never wins the max.
    let h: tf.Tensor = tf.maxPool(tf.pad(stem, [[0, 0], [1, 1], [1, 1], [0, 0]]) as tf.Tensor4D, 3, 2, "valid");
    h = block(block(h, "layer1.0", 1, false), "layer2.0", 2, true);
    return tf.add(tf.matMul(tf.mean(h, [1, 2]), p("fc.weight"), false, true), p("fc.bias"));
  };
}

test("the imported ResNet's gradients equal those of the same network written in tfjs ops", async () => {
  const c = cases.resnet;
  const { model } = await imported(c);
  const native = handWrittenResnet(fixturePath(c.file));
  const x = toTfjsLayout(c.input, c.inputShape);
  const reference = tf.tidy(() => native(x));
  assert.ok(maxRelativeError(onnxOrder(reference), c.output) < 2e-6, "the hand-written network reproduces ONNX Runtime");
  for (const target of [0, 7]) {
    const [a, b] = [inputGradient(model, x, target), inputGradient(native, x, target)];
    const error = maxRelativeError(await a.data(), await b.data());
    assert.ok(error < 1e-5, `class ${target}: gradient error ${error}`);
    tf.dispose([a, b]);
  }
  tf.dispose([x, reference]);
  model.dispose();
});

test("randomizedCopy re-initialises a block by its module names and keeps the rest, including the ONNX kernels", async () => {
  const c = cases.resnet;
  const { model } = await imported(c);
  const x = toTfjsLayout(c.input, c.inputShape);
  const same = await randomizedCopy(model, [], 0);
  const block = model.layers.filter((l) => l.name.startsWith("layer2.0.")).map((l) => l.name);
  const randomised = await randomizedCopy(model, block, 0);
  const [y, ySame, yRandom] = [model, same, randomised].map((m) => m.predict(x) as tf.Tensor);
  assert.deepEqual(await ySame.data(), await y.data(), "a copy with nothing re-initialised computes the same outputs");
  assert.ok(maxRelativeError(await yRandom.data(), await y.data()) > 1e-2, "re-initialising layer2.0 changes the outputs");
  for (const layer of model.layers.filter((l) => l.name.startsWith("layer1.0."))) {
    const [kept] = randomised.getLayer(layer.name).getWeights();
    assert.deepEqual(await kept.data(), await layer.getWeights()[0].data(), `${layer.name} kept`);
  }
  tf.dispose([x, y, ySame, yRandom]);
  [model, same, randomised].forEach((m) => m.dispose());
});

test("an unsupported op is refused at load with its name, its node and the supported ops", async () => {
  await assert.rejects(loadModel(fixturePath("onnx/unsupported.onnx")), (e: unknown) => {
    assert.ok(e instanceof DataError && e.kind === "unsupported-model");
    assert.match(e.message, /TopK \(node \/topk\/TopK\)/);
    assert.match(e.message, /Supported ops: .*BatchNormalization.*Conv.*Gemm/);
    return true;
  });
});

test("a file that is not ONNX is a wrong-format error, not a crash", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "falsify-onnx-")), "model.onnx");
  writeFileSync(path, "not a protobuf \u00ff\u00ff\u00ff");
  await assert.rejects(loadModel(path), (e: unknown) => e instanceof DataError && e.kind === "wrong-format" && e.message.includes("is not an ONNX model"));
});
