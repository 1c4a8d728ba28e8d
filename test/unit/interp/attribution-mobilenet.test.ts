// A real network against an independent reference: nsfwjs' pretrained MobileNetV2 (224x224x3),
// its gradient and Integrated Gradients (50 Gauss–Legendre steps) compared with TensorFlow's
// GradientTape in float64 on the same weights, rebuilt in Keras by hand
// (test/reference/interp/generate_mobilenet.py). Both routes: the TensorFlow graph (tfjs-node) and
// tf.grad through the layers. Float32 through 155 layers of ReLU6 kinks cannot match float64 to the
// last digit: each route is held to at most twice the distance TensorFlow's own float32 run keeps
// from its float64 run (stored by the generator), worst and mean, relative to the largest value.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import type { LoadedModel } from "../../../src/core/data";
import { gradient, integratedGradients } from "../../../src/core/interp/attribution";
import { scoredModel } from "../../../src/core/interp/attribution/scores";
import { canRunGraphs } from "../../../src/core/native/session";
import { loadNsfwModel } from "../../support/nsfw";
import { testTf } from "../../support/tf";
import { interpReference } from "./reference";

interface Reference {
  grid: number;
  logits: number[];
  target: number;
  gradient: number[];
  gradientChannelSums: number[];
  ig: { values: number[]; scoreDifference: number };
  tensorflowFloat32: Record<"gradient" | "ig", { worst: number; mean: number }>;
}
const ref = interpReference<Reference>("mobilenet");

let model: LoadedModel;
let x: tf.Tensor4D;
before(async () => {
  await testTf();
  model = await loadNsfwModel("mobilenet_v2");
  x = tf.tidy(() => {
    const [h, w, c] = [tf.range(0, 224).reshape([224, 1, 1]), tf.range(0, 224).reshape([1, 224, 1]), tf.range(0, 3).reshape([1, 1, 3])];
    const phase = tf.add(tf.add(tf.mul(tf.mul(h, 0.031), tf.add(c, 1)), tf.mul(w, 0.047)), c);
    return tf.add(0.5, tf.mul(0.45, tf.sin(phase))).expandDims(0) as tf.Tensor4D;
  });
});

/** The grid the reference keeps: every `grid`th row and column, all channels. */
function onGrid(values: Float32Array): number[] {
  const out: number[] = [];
  for (let r = 0; r < 224; r += ref.grid) for (let c = 0; c < 224; c += ref.grid) for (let k = 0; k < 3; k++) out.push(values[(r * 224 + c) * 3 + k]);
  return out;
}

function channelSums(values: Float32Array): number[] {
  const sums = [0, 0, 0];
  values.forEach((v, i) => (sums[i % 3] += v));
  return sums;
}

/** Within twice TensorFlow float32's distance from float64 (`floor`), worst and mean, relative to max |expected|. */
function assertNear(actual: number[], expected: number[], floor: { worst: number; mean: number }, what: string): void {
  const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const differences = expected.map((v, i) => Math.abs(actual[i] - v) / scale);
  const worst = Math.max(...differences);
  const mean = differences.reduce((a, b) => a + b, 0) / differences.length;
  assert.ok(worst <= 2 * floor.worst && mean <= 2 * floor.mean, `${what}: worst ${worst.toExponential(2)}, mean ${mean.toExponential(2)} of the largest; TensorFlow float32 is at ${floor.worst.toExponential(2)}, ${floor.mean.toExponential(2)}`);
}

/** Sums agree to float32 accumulation over 50,176 pixels. */
function assertSums(actual: number[], expected: number[], what: string): void {
  expected.forEach((v, i) => assert.ok(Math.abs(actual[i] - v) <= 1e-3 * Math.max(...expected.map(Math.abs)), `${what}[${i}]: ${actual[i]} vs ${v}`));
}

const routes = [
  ["graph route", () => model, !canRunGraphs()],
  ["tape route", () => scoredModel(model).scores, false],
] as const;

for (const [route, explained, skip] of routes) {
  test(`MobileNetV2 gradient of the predicted logit = TensorFlow float64 (${route})`, { skip: skip && "needs tfjs-node" }, async () => {
    const result = await gradient(explained(), x);
    assert.equal(result.targets[0], ref.target);
    assert.ok(Math.abs(result.scores[0] - ref.logits[ref.target]) < 1e-4 * Math.abs(ref.logits[ref.target]), `logit ${result.scores[0]} vs ${ref.logits[ref.target]}`);
    assertNear(onGrid(result.values), ref.gradient, ref.tensorflowFloat32.gradient, "gradient");
    assertSums(channelSums(result.values), ref.gradientChannelSums, "gradient channel sums");
  });
}

test("MobileNetV2 Integrated Gradients (50 steps, black baseline) = TensorFlow float64 (graph route, in memory-bounded passes)", { skip: !canRunGraphs() && "needs tfjs-node" }, async () => {
  const rowBytes = scoredModel(model).rowBytes!();
  const result = await integratedGradients(model, x, { steps: 50, target: ref.target, memoryBudget: 16 * rowBytes });
  assertNear(onGrid(result.values), ref.ig.values, ref.tensorflowFloat32.ig, "IG");
  assert.ok(Math.abs(result.completeness!.scoreDifference[0] - ref.ig.scoreDifference) < 1e-4 * Math.abs(ref.ig.scoreDifference));
});
