// inspectModel: what "Open Model" shows. Parameter counts are checked against the ONNX file's own
// initializers and the Keras fixtures; the HTML page escapes whatever the file names things.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { inspectModel, loadModel } from "../../../src/core/data";
import { inspectionHtml } from "../../../src/core/data/inspection-html";
import { readOnnx } from "../../../src/core/data/onnx";
import { testTf } from "../../support/tf";
import { writeGraphModel } from "./graph-model";

before(async () => {
  await testTf();
});

const RESNET = "examples/digits/models/resnet.onnx";

test("an ONNX ResNet: every layer with its node, the file's parameter count, every method applies", async () => {
  const loaded = await loadModel(RESNET);
  const inspection = inspectModel(loaded);
  const initializers = [...readOnnx(readFileSync(RESNET), RESNET).initializers.values()];
  assert.equal(inspection.parameters, initializers.reduce((sum, t) => sum + t.values.length, 0));
  assert.equal(inspection.format, "ONNX");
  assert.deepEqual(inspection.inputShape, [null, 8, 8, 1]);
  assert.match(inspection.details.join("\n"), /ONNX input \[batch, 1, 8, 8\] \(NCHW\) is taken as \[batch, 8, 8, 1\]/);
  const conv = inspection.layers.find((l) => l.name === "layer2.0.conv1")!;
  assert.deepEqual(conv, { name: "layer2.0.conv1", className: "Conv2D", outputShape: [null, 4, 4, 32], parameters: 3 * 3 * 16 * 32, onnxNode: "/layer2/layer2.0/conv1/Conv" });
  assert.deepEqual(inspection.methods.map((m) => [m.method, m.applies]), [["activations", true], ["ablation", true], ["attribution", true], ["randomisation", true]]);
  if (loaded.kind === "layers") loaded.model.dispose();
});

test("a tfjs graph model: every attribution method applies (Guided Backprop, Grad-CAM and DeepLift read it op by op), layer methods do not", async () => {
  const dir = mkdtempSync(join(tmpdir(), "falsify-inspect-graph-"));
  try {
    writeGraphModel(dir, [[1, 0], [0, 1], [1, 1], [2, 0]], [2, 2, 1]);
    const inspection = inspectModel(await loadModel(join(dir, "model.json")));
    assert.equal(inspection.format, "tfjs graph model");
    const attribution = inspection.methods.find((m) => m.method === "attribution")!;
    assert.equal(attribution.applies, true);
    assert.deepEqual(attribution.functions, ["gradient", "gradientTimesInput", "integratedGradients", "smoothGrad", "guidedBackprop", "gradCam", "guidedGradCam", "occlusion", "deepLift"]);
    assert.deepEqual(inspection.methods.filter((m) => !m.applies).map((m) => m.method), ["activations", "ablation", "randomisation"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a Keras sequence model: attribution to token ids does not apply, and says why", async () => {
  const loaded = await loadModel("test/reference/models/keras/sequence.keras");
  const inspection = inspectModel(loaded);
  assert.equal(inspection.format, "Keras 3 (.keras)");
  // Embedding 20x6, LSTM 4·5·(6+5+1), GRU 3·4·(5+4+1), Dense 4·3+3.
  assert.equal(inspection.parameters, 20 * 6 + 4 * 5 * (6 + 5 + 1) + 3 * 4 * (5 + 4 + 1) + 4 * 3 + 3);
  const attribution = inspection.methods.find((m) => m.method === "attribution")!;
  assert.equal(attribution.applies, false);
  assert.match(attribution.why, /Embedding/);
  if (loaded.kind === "layers") loaded.model.dispose();
});

test("the HTML page escapes names from the file and runs no script", async () => {
  const loaded = await loadModel(RESNET);
  const inspection = inspectModel(loaded);
  const hostile = { ...inspection, path: "<img src=x onerror=alert(1)>.onnx", layers: [{ ...inspection.layers[1], name: "</td><script>alert(1)</script>" }] };
  const html = inspectionHtml(hostile);
  assert.doesNotMatch(html, /<script|<img/);
  assert.match(html, /&lt;\/td&gt;&lt;script&gt;/);
  assert.match(html, /default-src 'none'/);
  assert.match(inspectionHtml(inspection), /<code>\/layer2\/layer2\.0\/conv1\/Conv<\/code>/);
  if (loaded.kind === "layers") loaded.model.dispose();
});
