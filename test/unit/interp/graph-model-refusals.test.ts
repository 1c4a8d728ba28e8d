// Every toolkit method that works on a layer refuses a graph model (which has nodes, no layers) with
// an InterpError naming what is unsupported and what to use instead; the repro was
// ablateEachUnit(graphModel, ...) → "TypeError: Cannot read properties of undefined (reading 'find')".
// The methods that take any model run on it.
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
  layerActivations: () => fx.layerActivations(graph as never, images, { layer: "y" }),
  layerClassSelectivity: () => fx.layerClassSelectivity(graph as never, images, labels, { layer: "y" }),
  layerGradients: () => fx.layerGradients(graph as never, images, { layer: "y", classIndex: 0 }),
  tcav: () => fx.tcav(graph as never, { layer: "y", classIndex: 0, classInputs: images, concept: images, random: images }),
  dissect: () => fx.dissect(graph as never, images, fx.digitConcepts(images), { layer: "y" }),
  topExemplars: () => fx.topExemplars(graph as never, images, { layer: "y", unit: 0 }),
  featureVisualization: () => fx.featureVisualization(graph as never, { layer: "y", unit: 0 }),
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
        assert.match(error.message, /integratedGradients/);
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
