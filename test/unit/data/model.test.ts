// Model loading: the shipped tfjs layers models, a save/load round trip, a TensorFlow SavedModel via
// tfjs-node (or a clear error on other backends), and typed errors for every failure.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import type { LoadedTf } from "../../../src/core/backend";
import { DataError, DIGITS_MODELS, digitsModelPath, loadModel, predict, saveLayersModel } from "../../../src/core/data";
import { testTf } from "../../support/tf";
import { writeGraphModel } from "./graph-model";

let loaded: LoadedTf;
before(async () => {
  loaded = await testTf();
});

const isKind = (kind: DataError["kind"]) => (e: unknown) => e instanceof DataError && e.kind === kind;

test("loads the shipped CNN (file or folder) and predicts probabilities for a batch", async () => {
  for (const path of ["examples/digits/models/cnn/model.json", "examples/digits/models/cnn"]) {
    const model = await loadModel(path);
    assert.equal(model.kind, "layers");
    assert.deepEqual(model.inputShape, [null, 8, 8, 1]);
    const x = tf.zeros([3, 8, 8, 1]);
    const y = predict(model, x);
    assert.deepEqual(y.shape, [3, 10]);
    (await y.sum(-1).data()).forEach((s) => assert.ok(Math.abs(s - 1) < 1e-5));
    tf.dispose([x, y]);
    model.model.dispose();
  }
});

test("every shipped example model is found by name, loads, and is a small 10-class classifier", async () => {
  for (const name of DIGITS_MODELS) {
    const path = digitsModelPath(name);
    assert.ok(statSync(path.replace("model.json", "weights.bin")).size < 200_000, `${name} weights < 200 KB`);
    const model = await loadModel(path);
    assert.deepEqual((model.model as tf.LayersModel).outputs[0].shape, [null, 10]);
    model.model.dispose();
  }
  assert.throws(() => digitsModelPath("resnet" as "cnn"), isKind("invalid-argument"));
});

test("save and reload give the same predictions", async () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 2, name: "d", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })] });
  const dir = mkdtempSync(join(tmpdir(), "model-"));
  await saveLayersModel(model, dir);
  const back = await loadModel(join(dir, "model.json"));
  const x = tf.tensor2d([[1, 2, 3, 4, 5]]);
  assert.deepEqual(await predict(back, x).data(), await (model.predict(x) as tf.Tensor).data());
});

test("typed errors: missing file, missing weights, not JSON, JSON but not a model, empty folder, wrong input shape", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bad-model-"));
  await assert.rejects(loadModel(join(dir, "nope.json")), isKind("missing-file"));
  copyFileSync("examples/digits/models/mlp/model.json", join(dir, "model.json"));
  await assert.rejects(loadModel(join(dir, "model.json")), (e: DataError) => isKind("missing-file")(e) && /weights\.bin/.test(e.message));
  writeFileSync(join(dir, "text.json"), "not json");
  await assert.rejects(loadModel(join(dir, "text.json")), isKind("wrong-format"));
  writeFileSync(join(dir, "other.json"), JSON.stringify({ hello: 1 }));
  await assert.rejects(loadModel(join(dir, "other.json")), (e: DataError) => isKind("wrong-format")(e) && /modelTopology/.test(e.message));
  await assert.rejects(loadModel(mkdtempSync(join(tmpdir(), "empty-"))), isKind("wrong-format"));
  const model = await loadModel("examples/digits/models/mlp");
  const single = tf.zeros([8, 8, 1]);
  assert.throws(() => predict(model, single), (e: DataError) => isKind("wrong-input-shape")(e) && /\[batch, 8, 8, 1\]/.test(e.message) && /expandDims/.test(e.message));
  single.dispose();
});

test("a TensorFlow SavedModel loads through tfjs-node, or says which backend it needs", async () => {
  const path = join(__dirname, "fixtures", "linear-saved-model");
  if (loaded.backend !== "tensorflow") {
    await assert.rejects(loadModel(path), (e: DataError) => isKind("backend-unavailable")(e) && /setup:native/.test(e.message));
    return;
  }
  const want = JSON.parse(readFileSync(join(__dirname, "fixtures", "linear-saved-model.json"), "utf8")) as { x: number[][]; y: number[][] };
  const model = await loadModel(path);
  assert.equal(model.kind, "saved-model");
  assert.deepEqual(model.inputShape, [null, 4]);
  const y = predict(model, tf.tensor2d(want.x));
  (await y.data()).forEach((v, i) => assert.ok(Math.abs(v - want.y.flat()[i]) < 1e-6));
  assert.throws(() => predict(model, tf.zeros([1, 5])), isKind("wrong-input-shape"));
  model.model.dispose();
});

test("a tfjs graph model loads, checks its input shape and predicts x·W", async () => {
  const W = [[1, 0, -1], [0.5, 2, 0], [0, 0, 1], [-2, 1, 3]];
  const dir = mkdtempSync(join(tmpdir(), "graph-"));
  writeGraphModel(dir, W);
  const model = await loadModel(dir);
  assert.equal(model.kind, "graph");
  assert.deepEqual(model.inputShape, [null, 4]);
  const x = [[1, 2, 3, 4], [0, -1, 0.5, 2]];
  const y = await predict(model, tf.tensor2d(x)).data();
  const want = x.flatMap((row) => [0, 1, 2].map((c) => row.reduce((s, v, k) => s + v * W[k][c], 0)));
  want.forEach((v, i) => assert.ok(Math.abs(y[i] - v) < 1e-5));
  assert.throws(() => predict(model, tf.zeros([2, 3])), isKind("wrong-input-shape"));
});

test("models load from memory: a model.json object with its weight bytes, model artifacts, or any tfjs io handler", async () => {
  const folder = dirname(digitsModelPath("cnn"));
  const modelJson = JSON.parse(readFileSync(join(folder, "model.json"), "utf8")) as tf.io.ModelJSON;
  const bytes = readFileSync(join(folder, "weights.bin"));
  const x = tf.tidy(() => tf.randomUniform([3, 8, 8, 1], 0, 1, "float32", 7));
  const fromPath = await (predict(await loadModel(folder), x)).data();
  const fromJson = await loadModel({ modelJson, weights: bytes, name: "cnn from memory" });
  assert.equal(fromJson.kind, "layers");
  assert.equal(fromJson.path, "cnn from memory");
  assert.deepEqual(await predict(fromJson, x).data(), fromPath);
  // The same bytes split in two shards, as packages ship them, in manifest order.
  const split = await loadModel({ modelJson, weights: [bytes.subarray(0, 1000), new Uint8Array(bytes.subarray(1000)).buffer] });
  assert.deepEqual(await predict(split, x).data(), fromPath);
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => [manifest.flatMap((g) => g.weights), new Uint8Array(bytes).buffer]);
  assert.deepEqual(await predict(await loadModel(artifacts), x).data(), fromPath);
  assert.deepEqual(await predict(await loadModel(tf.io.fromMemory(artifacts)), x).data(), fromPath);
  // A graph model in memory is a graph model.
  const dir = mkdtempSync(join(tmpdir(), "graph-"));
  writeGraphModel(dir, [[1, 0, -1], [0.5, 2, 0], [0, 0, 1], [-2, 1, 3]]);
  const graph = await loadModel({ modelJson: JSON.parse(readFileSync(join(dir, "model.json"), "utf8")), weights: readFileSync(join(dir, "group1-shard1of1.bin")) });
  assert.equal(graph.kind, "graph");
  await assert.rejects(loadModel({ name: "junk" } as never), isKind("wrong-format"));
  await assert.rejects(loadModel({ modelJson: { nope: 1 } as never, weights: bytes }), isKind("wrong-format"));
  tf.dispose(x);
});
