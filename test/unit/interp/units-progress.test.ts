// Long unit methods as tasks: featureVisualization (steps), dissect (mask shuffles) and topExemplars
// (through layerActivations, in images) report done/total to the host and stop when it says the
// user interrupted, leaving no tensors behind.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { dissectActivations } from "../../../src/core/interp/dissection/dissect";
import { topExemplars } from "../../../src/core/interp/exemplars";
import { featureVisualization } from "../../../src/core/interp/feature-visualization";
import { type Progress, setTaskHost, TaskInterrupted } from "../../../src/core/progress";

/** A host that records reports and says "interrupted" from the `stopAt`-th check on. */
function host(stopAt = Infinity) {
  const reports: Progress[] = [];
  let checks = 0;
  setTaskHost({ report: (p) => reports.push(p), interrupted: () => ++checks >= stopAt });
  return { reports, checks: () => checks };
}

afterEach(() => setTaskHost(undefined));

const linear = () => tf.sequential({ layers: [tf.layers.flatten({ inputShape: [3, 3, 1] }), tf.layers.dense({ units: 2, name: "dense" })] });

function finished(reports: Progress[], label: string, total: number, unit: string) {
  const own = reports.filter((r) => r.label === label);
  assert.ok(own.length >= 2, `${label} reported at its start and end`);
  assert.deepEqual(own.map((r) => r.total), own.map(() => total));
  for (let i = 1; i < own.length; i++) assert.ok(own[i].done >= own[i - 1].done);
  const last = own.at(-1)!;
  assert.deepEqual([last.final, last.done, last.unit], [true, total, unit]);
}

test("featureVisualization counts steps and stops at an interrupt", async () => {
  const model = linear();
  const { reports } = host();
  await featureVisualization(model, { layer: "dense", unit: 0, steps: 7, randomDirections: 1 });
  finished(reports, "featureVisualization", 7, "steps");
  const before = tf.memory().numTensors;
  const stop = host(4);
  await assert.rejects(featureVisualization(model, { layer: "dense", unit: 0, steps: 50 }), TaskInterrupted);
  assert.equal(stop.checks(), 4, "stopped at the 4th step's check");
  assert.equal(tf.memory().numTensors, before);
  assert.equal(stop.reports.at(-1)!.final, true);
  assert.equal(stop.reports.at(-1)!.done, 3);
  model.dispose();
});

test("dissect counts mask shuffles of the units and of the random directions, and stops between chunks", async () => {
  const n = 20;
  const data = Float32Array.from({ length: n * 4 * 4 * 2 }, (_, i) => Math.sin(i * 1.7));
  const masks = { concepts: ["a"], examples: n, height: 4, width: 4, masks: [Uint8Array.from({ length: n * 16 }, (_, i) => (i % 3 === 0 ? 1 : 0))] };
  const { reports } = host();
  await dissectActivations({ data, shape: [n, 4, 4, 2] }, masks, { permutations: 120, quantile: 0.9 });
  finished(reports, "dissect", 240, "permutations");
  const stop = host(2);
  await assert.rejects(dissectActivations({ data, shape: [n, 4, 4, 2] }, masks, { permutations: 120, quantile: 0.9 }), TaskInterrupted);
  assert.equal(stop.reports.at(-1)!.done, 50, "stopped after the first chunk of 50 shuffles");
});

test("topExemplars counts images through layerActivations and stops between batches", async () => {
  const model = linear();
  const images = tf.randomUniform([30, 3, 3, 1], 0, 1, "float32", 1);
  const { reports } = host();
  await topExemplars(model, images, { layer: "dense", unit: 1, k: 3, batchSize: 10, randomDirections: 5 });
  finished(reports, "layerActivations", 30, "images");
  const before = tf.memory().numTensors;
  const stop = host(3);
  await assert.rejects(topExemplars(model, images, { layer: "dense", unit: 1, k: 3, batchSize: 10 }), TaskInterrupted);
  assert.equal(stop.reports.at(-1)!.done, 20);
  assert.equal(tf.memory().numTensors, before);
  images.dispose();
  model.dispose();
});
