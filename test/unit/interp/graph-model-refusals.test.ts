// Every toolkit method that works on a layer refuses a graph model (which has nodes, no layers) with
// an InterpError naming what is unsupported and what to use instead; the repro was
// ablateEachUnit(graphModel, ...) → "TypeError: Cannot read properties of undefined (reading 'find')".
// The methods that take any model run on it; activations, exemplars, dissection, feature
// visualisation and the exemplar-prediction control take a node by name.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { loadModel } from "../../../src/core/data";
import * as fx from "../../../src/core/interp";
import { writeGraphModel } from "../data/graph-model";
import { testTf } from "../../support/tf";

const dir = mkdtempSync(join(tmpdir(), "falsify-graph-refusals-"));
let graph: tf.GraphModel;
const images = tf.randomUniform([6, 2, 2, 1], 0, 1, "float32", 3);
const labels = [0, 1, 2, 0, 1, 2];

before(async () => {
  await testTf();
  writeGraphModel(dir, [[1, 0, -1], [0.5, 2, 0], [0, -1, 1], [1, 1, 1]], [2, 2, 1]);
  const loaded = await loadModel(join(dir, "model.json"));
  assert.equal(loaded.kind, "graph");
  graph = loaded.model as tf.GraphModel;
});
after(() => rmSync(dir, { recursive: true, force: true }));

const layerMethods: Record<string, () => unknown> = {
  ablateEachUnit: () => fx.ablateEachUnit(graph as never, images, labels, { layer: "y" }),
  ablate: () => fx.ablate(graph as never, images, labels, { layer: "y", ablations: [{ units: [0] }] }),
  cumulativeAblation: () => fx.cumulativeAblation(graph as never, images, labels, { layer: "y" }),
  layerClassSelectivity: () => fx.layerClassSelectivity(graph as never, images, labels, { layer: "y" }),
  layerGradients: () => fx.layerGradients(graph as never, images, { layer: "y", classIndex: 0 }),
  tcav: () => fx.tcav(graph as never, { layer: "y", classIndex: 0, classInputs: images, concept: images, random: images }),
  sanityCheck: () => fx.sanityCheck("gradient", graph as never, images),
  randomizationBlocks: () => fx.randomizationBlocks(graph as never),
  randomizedCopy: () => fx.randomizedCopy(graph as never, ["y"], 0),
  selectivityRegularizer: () => fx.selectivityRegularizer(graph as never, ["y"], 1),
};

for (const [name, call] of Object.entries(layerMethods)) {
  test(`${name} refuses a graph model, naming it and the methods that take one`, async () => {
    await assert.rejects(
      async () => call(),
      (error: Error) => {
        assert.ok(error instanceof fx.InterpError, `${name}: ${error.stack}`);
        assert.equal(error.kind, "unsupported-model");
        assert.match(error.message, /need a tfjs layers model, and this is a tfjs graph model/);
        // Every attribution method takes a graph model now (Guided Backprop, Grad-CAM and DeepLift read it op by op).
        for (const method of ["gradient", "integratedGradients", "guidedBackprop", "gradCam", "guidedGradCam", "occlusion", "deepLift"]) assert.match(error.message, new RegExp(`\\b${method}\\b`), method);
        return true;
      },
    );
  });
}

test("the record loadModel returns is named as such", () => {
  assert.throws(() => fx.randomizationBlocks({ kind: "layers", model: graph } as never), /the record loadModel returns: pass its \.model/);
});

test("attribution and faithfulness curves run on the graph model", async () => {
  const result = await fx.gradient(graph, images, { target: 1 });
  // y = flatten(x)·W: the gradient of class 1 is W's column 1 at every example.
  for (let i = 0; i < 6; i++) assert.deepEqual(Array.from(result.values.slice(i * 4, i * 4 + 4)), [0, 2, -1, 1]);
  const curves = await fx.deletionCurve(graph, images, result, { steps: 2 });
  assert.ok(curves);
});

test("every attribution method the refusals name runs on the graph model", async () => {
  for (const name of Object.values(fx.ATTRIBUTION_FUNCTIONS)) {
    const method = (fx as unknown as Record<string, (m: unknown, x: tf.Tensor, o: object) => Promise<fx.AttributionResult>>)[name];
    if (/gradCam/i.test(name)) {
      // This graph has no convolution: Grad-CAM takes the graph and asks for a conv node (it runs on a
      // graph model's conv nodes against closed forms in attribution-dag.test.ts).
      await assert.rejects(method(graph, images, { target: 1 }), (e: Error) => e instanceof fx.InterpError && e.kind !== "unsupported-model" && /conv/.test(e.message));
      continue;
    }
    const result = await method(graph, images, { target: 1 });
    assert.equal(result.values.length, images.size, name);
    assert.ok(result.values.every(Number.isFinite), name);
  }
});

test("activations, top exemplars and dissection run on a graph model's node, as on the same activations computed by hand", async () => {
  // Node y = flatten(x)·W: unit 0's activation of image i is x_i · W[:, 0].
  const acts = await fx.layerActivations(graph, images, { layer: "y", batchSize: 4 });
  assert.equal(acts.layer, "y");
  assert.deepEqual(acts.shape, [6, 3]);
  const x = images.dataSync(), column = [1, 0.5, 0, 1];
  const expected = Array.from({ length: 6 }, (_, i) => column.reduce((s, w, j) => s + w * x[i * 4 + j], 0));
  expected.forEach((v, i) => assert.ok(Math.abs(acts.data[i * 3] - v) < 1e-5));
  const top = await fx.topExemplars(graph, images, { layer: "y", unit: 0, k: 2, randomDirections: 5 });
  assert.deepEqual(top.top.map((t) => t.index), [...expected.keys()].sort((a, b) => expected[b] - expected[a]).slice(0, 2));
  // The input node's output is the images themselves: a [6, 2, 2, 1] map to dissect.
  const masks = { concepts: ["left"], examples: 6, height: 2, width: 2, masks: [Uint8Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 1 : 0))] };
  const options = { quantile: 0.5, permutations: 30, randomDirections: 0, seed: 2 };
  const viaGraph = await fx.dissect(graph, images, masks, { ...options, layer: "x" });
  const byHand = await fx.dissectActivations({ data: x, shape: [6, 2, 2, 1], layer: "x" }, masks, options);
  assert.deepEqual(viaGraph, byHand);
  const kind = (k: string) => (e: unknown) => e instanceof fx.InterpError && e.kind === k;
  await assert.rejects(fx.layerActivations(graph, images, { layer: 0 }), (e: Error) => kind("unknown-layer")(e) && /nodes, not layers/.test(e.message));
  await assert.rejects(fx.layerActivations(graph, images, { layer: "nope" }), (e: Error) => kind("unknown-layer")(e) && /no node "nope".*\(\d+ in all\)/.test(e.message));
  await assert.rejects(fx.topExemplars(graph, tf.zeros([2, 3, 3, 1]), { layer: "y", unit: 0, k: 1 }), kind("shape-mismatch"));
});

test("feature visualisation and its natural-exemplar control on a graph model's node equal the layers model's with the same weights", async () => {
  // The graph's W as a layers model: flatten, then dense(3, no bias).
  const layers = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 3, useBias: false, name: "dense" })] });
  layers.layers[1].setWeights([tf.tensor2d([[1, 0, -1], [0.5, 2, 0], [0, -1, 1], [1, 1, 1]])]);
  const data = tf.randomUniform([24, 2, 2, 1], 0, 1, "float32", 8);
  const options = { units: [0, 2], k: 3, space: "y", featureVisualization: { steps: 16 }, seed: 5 };
  const viaGraph = await fx.exemplarPrediction(graph, data, { ...options, layer: "y" });
  const viaLayers = await fx.exemplarPrediction(layers, data, { ...options, layer: "dense", space: "dense" });
  assert.equal(viaGraph.layer, "y");
  assert.equal(viaGraph.space, "y");
  assert.deepEqual(viaGraph.units, viaLayers.units);
  assert.deepEqual([viaGraph.natural, viaGraph.synthetic, viaGraph.comparison], [viaLayers.natural, viaLayers.synthetic, viaLayers.comparison]);
  const synthetic = (r: fx.ExemplarPrediction) => r.syntheticReferences.features.flatMap((f) => Array.from(f.image));
  synthetic(viaGraph).forEach((v, i) => assert.ok(Math.abs(v - synthetic(viaLayers)[i]) < 1e-5, `synthetic pixel ${i}`));
  const kind = (k: string) => (e: unknown) => e instanceof fx.InterpError && e.kind === k;
  await assert.rejects(fx.featureVisualization(graph, { layer: 1, unit: 0 }), (e: Error) => kind("unknown-layer")(e) && /nodes, not layers/.test(e.message));
  await assert.rejects(fx.featureVisualization(graph, { layer: "nope", unit: 0 }), (e: Error) => kind("unknown-layer")(e) && /no node "nope"/.test(e.message));
  await assert.rejects(fx.featureVisualization(graph, { layer: "y", unit: 3 }), kind("invalid-input"));
  data.dispose();
  layers.dispose();
});
