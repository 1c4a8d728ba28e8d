// Attribution on the wasm backend, where a bare .vsix install runs (no tfjs-node): tf.grad through
// a residual conv model's own layers fails there (fused convolutions' gradient needs
// Conv2DBackpropFilter, depthwise ones DepthwiseConv2dNativeBackpropInput: neither is a wasm
// kernel), so models the graph readers know run op by op from their reading
// (src/core/interp/graph/eager.ts). Checked against tf.grad through the model itself on a backend
// that has every kernel (tfjs-node, else cpu), in the same process.
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { loadModel } from "../../../src/core/data";
import { type AttributionResult, deepLift, gradCam, gradient, guidedBackprop, guidedGradCam, integratedGradients, occlusion } from "../../../src/core/interp/attribution";
import type { Explainable } from "../../../src/core/interp/attribution/scores";
import { scoredModel, targetScoreSum } from "../../../src/core/interp/attribution/scores";
import { depthwiseInputGradient, irFunction } from "../../../src/core/interp/graph/eager";
import { IrBuilder } from "../../../src/core/interp/graph/ir";
import { loadNsfwModel } from "../../support/nsfw";
import { testTf } from "../../support/tf";
import { models, nextSeed } from "./graph-models";
import { assertClose } from "./reference";

let reference: string;
before(async () => {
  reference = (await testTf()).backend === "tensorflow" ? "tensorflow" : "cpu";
  // The process's one tfjs gets the wasm backend beside the reference (loadTensorFlow chose once).
  const wasm = require("@tensorflow/tfjs-backend-wasm") as { setWasmPaths(prefix: string): void };
  wasm.setWasmPaths(`${dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json"))}/dist/`);
  assert.ok(await tf.setBackend("wasm"));
});

/** `fn` run on the reference backend, its result copied to the host. */
async function onReference<T>(fn: () => T | Promise<T>): Promise<T> {
  await tf.setBackend(reference);
  try {
    return await fn();
  } finally {
    await tf.setBackend("wasm");
  }
}

const tapeGradient = (scores: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, targets: number[]) =>
  tf.tidy(() => tf.grad((z: tf.Tensor) => targetScoreSum(scores(z), tf.tensor1d(targets, "int32")))(x).dataSync() as Float32Array);

/** The largest |actual − expected| relative to the largest |expected|. */
function worstRelative(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let [worst, scale] = [0, 0];
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return worst / scale;
}

/** `filter` with d − 1 zeros between its taps, rows and columns. */
function dilate(filter: tf.Tensor4D, d: number): tf.Tensor4D {
  const [kh, kw, c, m] = filter.shape;
  const values = filter.arraySync();
  const out = tf.buffer([(kh - 1) * d + 1, (kw - 1) * d + 1, c, m]);
  values.forEach((row, i) => row.forEach((col, j) => col.forEach((ch, k) => ch.forEach((v, q) => out.set(v, i * d, j * d, k, q)))));
  return out.toTensor() as tf.Tensor4D;
}

test("pooling's input gradient on wasm (whose MaxPoolGrad and AvgPoolGrad kernels are wrong) = TensorFlow's", async () => {
  const x = tf.randomNormal([2, 7, 8, 3], 0, 1, "float32", nextSeed()) as tf.Tensor4D;
  for (const kind of ["maxPool", "avgPool"] as const) {
    let ownWorst = 0;
    for (const [k, s, padding] of [[2, 2, "VALID"], [3, 1, "SAME"], [3, 2, "SAME"], [7, 1, "VALID"]] as const) {
      const b = new IrBuilder();
      const input = b.add("x", { kind: "input" });
      const pooled = irFunction({ nodes: b.nodes, input, output: b.add("pool", { kind, ksize: [k, k], strides: [s, s], padding }, [input]), weights: [] });
      const dy = tf.randomNormal(pooled(x).shape, 0, 1, "float32", nextSeed());
      const pad = padding === "SAME" ? "same" : "valid";
      const reference = (z: tf.Tensor4D) => (kind === "maxPool" ? tf.maxPool(z, k, s, pad) : tf.avgPool(z, k, s, pad));
      const expected = await onReference(() => tf.tidy(() => tf.grad((z: tf.Tensor) => tf.sum(tf.mul(reference(z as tf.Tensor4D), dy)))(x).dataSync()));
      const actual = tf.tidy(() => tf.grad((z: tf.Tensor) => tf.sum(tf.mul(pooled(z as tf.Tensor4D), dy)))(x).dataSync());
      assertClose(actual, expected, 1e-5, `${kind} ${k}x${k}, stride ${s}, ${padding}`);
      const own = tf.tidy(() => tf.grad((z: tf.Tensor) => tf.sum(tf.mul(reference(z as tf.Tensor4D), dy)))(x).dataSync());
      ownWorst = Math.max(ownWorst, worstRelative(own, expected));
    }
    // Why the gradient is written by hand: wasm's own kernel. When it agrees, ours can go.
    assert.ok(ownWorst > 0.01, `wasm's own ${kind} gradient now agrees with TensorFlow's`);
  }
});

test("a depthwise convolution's input gradient from wasm kernels = DepthwiseConv2dNativeBackpropInput (strides, padding, dilation, multiplier)", async () => {
  const cases: { x: [number, number, number, number]; k: number; m: number; s: number; pad: "same" | "valid" | [[0, 0], [number, number], [number, number], [0, 0]]; d: number }[] = [
    { x: [2, 7, 7, 3], k: 3, m: 1, s: 1, pad: "same", d: 1 },
    { x: [1, 8, 7, 2], k: 3, m: 1, s: 2, pad: "same", d: 1 },
    { x: [1, 9, 9, 2], k: 3, m: 2, s: 2, pad: "valid", d: 1 },
    { x: [1, 6, 6, 2], k: 2, m: 1, s: 2, pad: "same", d: 1 },
    { x: [1, 9, 8, 2], k: 3, m: 2, s: 1, pad: "same", d: 2 },
    { x: [1, 7, 7, 2], k: 3, m: 1, s: 2, pad: [[0, 0], [1, 0], [2, 1], [0, 0]], d: 1 },
  ];
  for (const { x: shape, k, m, s, pad, d } of cases) {
    const x = tf.randomNormal(shape, 0, 1, "float32", nextSeed()) as tf.Tensor4D;
    const filter = tf.randomNormal([k, k, shape[3], m], 0, 1, "float32", nextSeed()) as tf.Tensor4D;
    const y = tf.depthwiseConv2d(x, filter, s, pad, "NHWC", d);
    const dy = tf.randomNormal(y.shape, 0, 1, "float32", nextSeed()) as tf.Tensor4D;
    // tfjs has no gradient for dilated depthwise convolutions: the reference takes the same
    // convolution as an undilated one whose filter has d − 1 zeros between its taps.
    const dilated = d === 1 ? filter : dilate(filter, d);
    // tfjs-node takes no explicit padding here: the reference pads, then convolves without.
    const [convolved, padding] = typeof pad === "string" ? [(z: tf.Tensor4D) => z, pad] : [(z: tf.Tensor4D) => tf.pad(z, pad), "valid" as const];
    const expected = await onReference(() => tf.tidy(() => tf.grad((z: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(convolved(z as tf.Tensor4D), dilated, s, padding), dy)))(x).dataSync()));
    const actual = depthwiseInputGradient(dy, filter, shape, [s, s], pad, [d, d]);
    assert.deepEqual(actual.shape, shape);
    assertClose(actual.dataSync(), expected, 1e-4, `k ${k}, multiplier ${m}, stride ${s}, pad ${JSON.stringify(pad)}, dilation ${d}`);
    tf.dispose([x, filter, y, dy, actual]);
  }
});

test("residual conv models on wasm: gradient = tf.grad through the model's layers and IG = IG on a backend with every kernel; tf.grad through the layers fails on wasm", async () => {
  for (const [name, model] of Object.entries(models())) {
    const x = tf.randomNormal([3, ...(model.inputs[0].shape.slice(1) as number[])], 0.3, 1, "float32", nextSeed());
    const targets = [0, 2, 1];
    const output = (z: tf.Tensor) => model.apply(z) as tf.Tensor;
    const expected = await onReference(() => tapeGradient(output, x, targets));
    if (name === "inverted residual") assert.throws(() => tapeGradient(output, x, targets), /not registered for backend 'wasm'/, "the repro: tf.grad through the layers on wasm");
    const result = await gradient(model, x, { target: targets, output: "model-output" });
    assertClose(result.values, expected, 1e-4, `${name}: gradient on wasm`);
    const ig = await integratedGradients(model, x, { target: targets, steps: 8 });
    const igExpected = await onReference(() => integratedGradients(model, x, { target: targets, steps: 8 }));
    assertClose(ig.values, igExpected.values, 1e-4, `${name}: IG on wasm`);
    tf.dispose(x);
  }
});

test("a named spatial layer and a target function on wasm (both through the op-by-op route)", async () => {
  const model = models()["inverted residual"];
  const x = tf.randomNormal([2, 8, 8, 3], 0, 1, "float32", nextSeed());
  const layer = model.layers.find((l) => l.getClassName() === "Add")!;
  const upTo = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
  const expected = await onReference(() => tapeGradient((z) => tf.mean(upTo.apply(z) as tf.Tensor, [1, 2]), x, [3, 1]));
  assertClose((await gradient(model, x, { output: layer.name, target: [3, 1] })).values, expected, 2e-5, "named layer");
  const squared = (scores: tf.Tensor) => tf.sum(tf.square(scores), -1);
  const viaFunction = await gradient(model, x, { target: squared });
  const expectedFunction = await onReference(() => tf.tidy(() => tf.grad((z: tf.Tensor) => tf.sum(squared(scoredModel(model).scores(z))))(x).dataSync()));
  assertClose(viaFunction.values, expectedFunction, 2e-5, "target function");
  tf.dispose(x);
});

test("MobileNetV2 graph model on wasm: the same scores, and the gradient of tf.grad through model.execute on the reference backend up to float32 kinks", async () => {
  const graph = (await loadNsfwModel("mobilenet_v2_mid")).model as tf.GraphModel;
  const x = tf.randomUniform([1, 224, 224, 3], 0, 1, "float32", 5);
  const bias = "StatefulPartitionedCall/sequential/dense/BiasAdd";
  const expected = await onReference(() => tapeGradient((z) => graph.execute(z, bias) as tf.Tensor, x, [2]));
  const expectedScores = await onReference(() => tf.tidy(() => (graph.execute(x, bias) as tf.Tensor).dataSync()));
  const result = await gradient(graph, x, { target: 2 });
  assert.equal(result.output, "logits");
  assertClose(result.scores, [expectedScores[2]], 1e-5, "logit");
  // Every op agrees to float32 rounding (the tests above), but wasm's convolutions round differently
  // from TensorFlow's, and through 35 ReLU6s a pre-activation within 1e-6 of a kink flips its mask:
  // one flip moves the map by ~1% of its largest value (measured: 1 flip among 225,792 values of
  // expanded_conv_5). The map as a whole stays the same.
  const actual = result.values;
  let [dot, na, nb] = [0, 0, 0];
  expected.forEach((v, i) => ((dot += v * actual[i]), (na += v * v), (nb += actual[i] * actual[i])));
  const cosine = dot / Math.sqrt(na * nb);
  const mean = expected.reduce((sum, v, i) => sum + Math.abs(actual[i] - v), 0) / expected.length / expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  assert.ok(cosine >= 0.99 && mean <= 1e-2, `cosine ${cosine.toFixed(5)}, mean difference ${mean.toExponential(2)} of the largest (worst ${worstRelative(actual, expected).toExponential(2)})`);
  tf.dispose(x);
});

test("Guided Backprop, Grad-CAM, Guided Grad-CAM, occlusion and DeepLift on wasm = on a backend with every kernel: residual, branched, ReLU6 and dense models, the digits CNN, the ONNX digits ResNet", async () => {
  type Method = (model: Explainable, x: tf.Tensor, options: { target: number[] }) => Promise<AttributionResult>;
  const methods: Record<string, Method> = { guidedBackprop, gradCam, guidedGradCam, occlusion, deepLift };
  const subjects: [string, Explainable, number[]][] = [
    ...Object.entries(models()).map(([name, model]): [string, Explainable, number[]] => [name, model, model.inputs[0].shape.slice(1) as number[]]),
    ["digits CNN", await loadModel("examples/digits/models/cnn/model.json"), [8, 8, 1]],
    ["ONNX digits ResNet", await loadModel("examples/digits/models/resnet.onnx"), [8, 8, 1]],
  ];
  for (const [name, model, shape] of subjects) {
    const x = tf.randomNormal([2, ...shape], 0.3, 1, "float32", nextSeed());
    for (const [method, run] of Object.entries(methods)) {
      // Grad-CAM and occlusion take images; DeepLift refuses the dense mix's product of two branches.
      if ((shape.length !== 3 && method !== "guidedBackprop" && method !== "deepLift") || (name === "dense mix" && method === "deepLift")) continue;
      const expected = await onReference(() => run(model, x, { target: [0, 1] }));
      const actual = await run(model, x, { target: [0, 1] });
      assert.ok(expected.values.some((v) => v !== 0), `${name}, ${method}: a map that is not all zeros`);
      const worst = worstRelative(actual.values, expected.values);
      assert.ok(worst <= 1e-4, `${name}, ${method}: wasm differs by ${worst.toExponential(2)} of the largest value`);
    }
    x.dispose();
  }
});
