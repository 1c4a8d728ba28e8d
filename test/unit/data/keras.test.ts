// Keras 3 import: .keras files and a legacy .h5 saved by the Keras wheel (test/reference/models/
// generate_keras.py), predictions against Keras's own, gradients against finite differences, layer
// names kept for the toolkit, and layers or settings tfjs-layers lacks refused by name.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { zipSync } from "fflate";
import { DataError, loadModel } from "../../../src/core/data";
import { randomizableLayers } from "../../../src/core/interp";
import { testTf } from "../../support/tf";
import { fixturePath, REFERENCE_DIR } from "./onnx-reference";

interface KerasCase {
  file: string;
  inputShape: number[];
  input: number[];
  outputShape: number[];
  output: number[];
}

const cases = (JSON.parse(readFileSync(join(REFERENCE_DIR, "keras.json"), "utf8")) as { cases: Record<string, KerasCase> }).cases;

before(async () => {
  await testTf();
});

async function layersModel(file: string): Promise<tf.LayersModel> {
  const loaded = await loadModel(fixturePath(file));
  assert.equal(loaded.kind, "layers");
  return loaded.model as tf.LayersModel;
}

test("CNN, residual block, MLP, Embedding/LSTM/GRU, ReLU with a negative slope or a ceiling, and a legacy .h5 predict what Keras predicts", async () => {
  for (const [name, c] of Object.entries(cases)) {
    const model = await layersModel(c.file);
    const x = tf.tensor(c.input, c.inputShape);
    const y = model.predict(x) as tf.Tensor;
    assert.deepEqual(y.shape, c.outputShape, name);
    const got = await y.data();
    const worst = Math.max(...Array.from(got, (v, i) => Math.abs(v - c.output[i]) / (1 + Math.abs(c.output[i]))));
    assert.ok(worst < 2e-6, `${name}: max relative error ${worst}`);
    tf.dispose([x, y]);
    model.dispose();
  }
});

test("layers keep their Keras names, and gradients match finite differences", async () => {
  const model = await layersModel(cases.residual.file);
  assert.deepEqual(randomizableLayers(model), ["head", "shortcut", "block_bn2", "block_conv2", "block_bn1", "block_conv1"]);
  const x = tf.tensor(cases.residual.input, cases.residual.inputShape);
  const objective = (t: tf.Tensor) => tf.sum(tf.gather(model.apply(t) as tf.Tensor, [2], 1));
  const g = tf.grad(objective)(x).dataSync();
  const values = x.dataSync();
  const eps = 1e-3;
  for (const i of [0, 17, 200, values.length - 1]) {
    const at = (step: number) => tf.tidy(() => {
      const moved = Float32Array.from(values);
      moved[i] += step;
      return objective(tf.tensor(moved, x.shape)).dataSync()[0];
    });
    const fd = (at(eps) - at(-eps)) / (2 * eps);
    assert.ok(Math.abs(fd - g[i]) < 2e-3 + 1e-2 * Math.abs(g[i]), `input ${i}: finite difference ${fd} vs gradient ${g[i]}`);
  }
  x.dispose();
  model.dispose();
});

test("LeakyReLU keeps Keras 3's negative_slope (residual.keras's is 0.1), not tfjs' default 0.3", async () => {
  const model = await layersModel(cases.residual.file);
  assert.deepEqual(Array.from((model.getLayer("leaky").apply(tf.tensor1d([-1, 2])) as tf.Tensor).dataSync()), [Math.fround(-0.1), 2]);
  model.dispose();
});

test("a layer tfjs-layers lacks, or computes differently, is refused by name", async () => {
  await assert.rejects(loadModel(fixturePath("keras/unsupported.keras")), (e: unknown) =>
    e instanceof DataError && e.kind === "unsupported-model" && /layer group_norm is a GroupNormalization, which tfjs-layers does not have/.test(e.message));
  await assert.rejects(loadModel(fixturePath("keras/gru_reset_after.keras")), (e: unknown) =>
    e instanceof DataError && e.kind === "unsupported-model" && /layer gru \(GRU\) uses reset_after=True/.test(e.message));
});

test("a Keras 3 ReLU with a threshold, or a negative slope and a ceiling, is refused by layer and field, never loaded as a plain ReLU", async () => {
  await assert.rejects(loadModel(fixturePath("keras/relu_threshold.keras")), (e: unknown) =>
    e instanceof DataError && e.kind === "unsupported-model" && /layer relu \(ReLU\) has threshold=0\.5, which tfjs-layers does not compute/.test(e.message));
  await assert.rejects(loadModel(fixturePath("keras/relu_slope_max.keras")), (e: unknown) =>
    e instanceof DataError && e.kind === "unsupported-model" && /layer relu \(ReLU\) has negative_slope=0\.1 with max_value=6/.test(e.message));
});

test("files that are not Keras models are wrong-format errors", async () => {
  const dir = mkdtempSync(join(tmpdir(), "falsify-keras-"));
  writeFileSync(join(dir, "notzip.keras"), "plain text");
  writeFileSync(join(dir, "empty.keras"), zipSync({ "readme.txt": new TextEncoder().encode("hi") }));
  writeFileSync(join(dir, "weights.h5"), readFileSync(fixturePath(cases.cnn_legacy.file)).subarray(0, 100));
  for (const file of ["notzip.keras", "empty.keras", "weights.h5"]) {
    await assert.rejects(loadModel(join(dir, file)), (e: unknown) => e instanceof DataError && e.kind === "wrong-format", file);
  }
});
