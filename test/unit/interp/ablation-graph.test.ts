// The graph route for single-unit ablations (tfjs-node; ablation/graph-forward.ts) must give what
// edited copies of the activations through the tfjs layers give: outputs and correct counts, for
// zero and mean ablations, through every kind of step it treats specially (channel-wise steps kept
// wide, a non-elementwise activation, a Dense first layer), and after the weights change.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { type Ablation, ablationSite } from "../../../src/core/interp/ablation";
import { graphForward } from "../../../src/core/interp/ablation/graph-forward";
import { createRng } from "../../../src/core/stats/rng";
import { testTf } from "../../support/tf";

let backend = "";
before(async () => (backend = (await testTf()).backend));

const rng = createRng(5);
const randn = (...shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);

function seeded(model: tf.Sequential): tf.Sequential {
  for (const layer of model.layers) layer.setWeights(layer.getWeights().map((w) => tf.tidy(() => randn(...w.shape).mul(0.6))));
  return model;
}

const models: Record<string, () => { model: tf.Sequential; x: tf.Tensor }> = {
  "conv → conv → pools → tanh → flatten → dense": () => ({
    model: seeded(tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [7, 7, 2], filters: 5, kernelSize: 3, padding: "same", activation: "relu", name: "a" }),
        tf.layers.conv2d({ filters: 4, kernelSize: 2, strides: 1, activation: "relu" }),
        tf.layers.maxPooling2d({ poolSize: 2, padding: "same" }),
        tf.layers.averagePooling2d({ poolSize: 2, strides: 1 }),
        tf.layers.activation({ activation: "tanh" }),
        tf.layers.dropout({ rate: 0.3 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, activation: "softmax" }),
      ],
    })),
    x: randn(30, 7, 7, 2),
  }),
  "conv → strided conv with softmax → flatten → dense": () => ({
    model: seeded(tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, activation: "relu", name: "a" }),
        tf.layers.conv2d({ filters: 4, kernelSize: 2, strides: 2, padding: "same", activation: "softmax", useBias: false }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4 }),
      ],
    })),
    x: randn(25, 6, 6, 1),
  }),
  "dense → dense(sigmoid) → dense": () => ({
    model: seeded(tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [9], units: 6, activation: "relu", name: "a" }),
        tf.layers.dense({ units: 5, activation: "sigmoid" }),
        tf.layers.dense({ units: 3, activation: "softmax" }),
      ],
    })),
    x: randn(35, 9),
  }),
};

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);

for (const [name, make] of Object.entries(models)) {
  test(`graph route = edited copies: ${name}`, async (t) => {
    if (backend !== "tensorflow") return t.skip(`the graph route needs tfjs-node; backend is ${backend}`);
    const { model, x } = make();
    const layer = model.getLayer("a");
    const units = (layer.outputShape as number[]).at(-1)!;
    const labels = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1).dataSync()).map((p, i) => (i % 4 ? p : (p + 1) % 3));
    const ablations: Ablation[] = [{ units: [] }, ...Array.from({ length: units }, (_, u) => ({ units: [u] })), { units: [1], mode: "mean" as const }, { units: [0], mode: "mean" as const }, { units: [] }];
    const check = async (when: string) => {
      const before = tf.memory().numTensors;
      const viaGraph = await ablationSite(model, x, labels, { layer: "a" });
      const edited = await ablationSite(model, x, labels, { layer: "a", strategy: "edited" });
      assert.deepEqual(await viaGraph.accuracy(ablations), await edited.accuracy(ablations), `${name} ${when}: accuracies`);
      for (const ablation of ablations) {
        const [a, b] = [viaGraph.outputs(ablation), edited.outputs(ablation)];
        assert.ok(maxAbsDiff(a, b) < 1e-5, `${name} ${when}: outputs under ${JSON.stringify(ablation)}`);
        tf.dispose([a, b]);
      }
      viaGraph.dispose();
      edited.dispose();
      assert.equal(tf.memory().numTensors, before, `${name} ${when}: no tensor leaks`);
    };
    // The route really is the graph: it exists for this model, runs from the inputs (no activations
    // asked for) and counts in the graph.
    const route = graphForward(model, layer, () => assert.fail("fell back"))!;
    assert.ok(route, `${name}: graph route built`);
    const rows = { x: () => x, h: () => assert.fail("the graph route asked for the activations"), mean: () => assert.fail("no mean for zero-ablations") };
    const counted = tf.tidy(() => route.correct!(rows, [{ units: [0], mode: "zero" }, { units: [], mode: "zero" }], tf.tensor1d(labels, "int32")));
    assert.ok(counted, `${name}: counted in the graph`);
    tf.dispose(counted!);
    await check("initial weights");
    // Weights are graph inputs: new values of the layer after the ablated one are seen at once.
    const next = model.layers[1];
    next.setWeights(next.getWeights().map((w) => tf.tidy(() => w.mul(-1.3))));
    await check("after setWeights");
    tf.dispose(x);
    model.dispose();
  });
}

test("off tfjs-node there is no graph route", async () => {
  const { model } = models["dense → dense(sigmoid) → dense"]();
  const before = tf.getBackend();
  await tf.setBackend("cpu");
  try {
    assert.equal(graphForward(model, model.getLayer("a"), () => assert.fail("no route, no fallback")), undefined);
  } finally {
    await tf.setBackend(before);
    model.dispose();
  }
});
