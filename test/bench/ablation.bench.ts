// Ablating every unit of a hidden layer one at a time over the digits test set (450 images), on the
// example MLP (dense1, 64 units) and CNN (conv1, 16 channels; conv2, 32; dense, 64). Subject:
// ablateEachUnit (the layer's activations computed once, then only the layers after it, many
// ablations stacked per pass, the next Dense/Conv2D layer's product shared; on tfjs-node, single
// units of a chain model as one TensorFlow graph). Baseline, same run: the naive loop, one full
// forward pass per unit with that unit's outgoing weights zeroed. Both must give the same
// accuracies. Target: ≥ 5x faster. conv1 is the method's worst case: the next conv layer's product
// is shared, but everything after it (relu, pooling, the dense layers) still runs once per unit,
// as in the naive loop.
import { existsSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { loadTensorFlow } from "../../src/core/backend";
import { loadDigits, loadModel } from "../../src/core/data";
import { ablateEachUnit } from "../../src/core/interp/ablation";
import { createRng } from "../../src/core/stats/rng";
import { type Benchmark, interleavedMedians, type Measurement } from "./harness";

const RUNS = 9;

interface Case {
  name: string;
  path: string;
  layer: string;
  /** The layer whose kernel carries the ablated layer's output onward, and how to zero unit u in it. */
  next: string;
  zeroUnit: (kernel: tf.Tensor, unit: number) => tf.Tensor;
  /** A same-shaped model (seeded weights) when the shipped one is missing. */
  fallback: () => tf.LayersModel;
}

/** Zeroes index `unit` of `axis` of `kernel`. */
function zeroAlong(kernel: tf.Tensor, axis: number, unit: number): tf.Tensor {
  return tf.tidy(() => {
    const mask = tf.oneHot(unit, kernel.shape[axis]).mul(-1).add(1);
    const shape = kernel.shape.map((d, i) => (i === axis ? d : 1));
    return kernel.mul(mask.reshape(shape));
  });
}

const cases: Case[] = [
  {
    name: "mlp",
    path: "examples/digits/models/mlp/model.json",
    layer: "dense1",
    next: "dense2",
    zeroUnit: (kernel, unit) => zeroAlong(kernel, 0, unit),
    fallback: () =>
      tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [8, 8, 1] }),
          tf.layers.dense({ units: 64, activation: "relu", name: "dense1" }),
          tf.layers.dense({ units: 64, activation: "relu", name: "dense2" }),
          tf.layers.dense({ units: 10, activation: "softmax", name: "logits" }),
        ],
      }),
  },
  {
    name: "cnn",
    path: "examples/digits/models/cnn/model.json",
    layer: "conv1",
    next: "conv2",
    zeroUnit: (kernel, unit) => zeroAlong(kernel, 2, unit),
    fallback: cnn,
  },
  {
    name: "cnn",
    path: "examples/digits/models/cnn/model.json",
    layer: "conv2",
    // conv2 (relu, ≥ 0) → max-pool → flatten (channels last) → dense: a zero channel pools to zero,
    // so its outgoing weights are the dense kernel rows of that channel at every pooled position.
    next: "dense",
    zeroUnit: (kernel, unit) => tf.tidy(() => zeroAlong(kernel.reshape([-1, 32, kernel.shape[1]!]), 1, unit).reshape(kernel.shape)),
    fallback: cnn,
  },
  {
    name: "cnn",
    path: "examples/digits/models/cnn/model.json",
    layer: "dense",
    next: "logits",
    zeroUnit: (kernel, unit) => zeroAlong(kernel, 0, unit),
    fallback: cnn,
  },
];

function cnn(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 16, kernelSize: 3, padding: "same", activation: "relu", name: "conv1" }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: "relu", name: "conv2" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: "relu", name: "dense" }),
      tf.layers.dense({ units: 10, name: "logits" }),
      tf.layers.activation({ activation: "softmax", name: "probs" }),
    ],
  });
}

async function modelFor(c: Case): Promise<{ model: tf.LayersModel; shipped: boolean }> {
  if (existsSync(c.path)) {
    const loaded = await loadModel(c.path);
    if (loaded.kind === "layers") return { model: loaded.model, shipped: true };
  }
  const model = c.fallback();
  const rng = createRng(1);
  for (const layer of model.layers) layer.setWeights(layer.getWeights().map((w) => tf.tensor(Array.from({ length: w.size }, () => 0.1 * rng.normal()), w.shape)));
  return { model, shipped: false };
}

/** One full forward pass per unit, with the unit's outgoing weights zeroed in the next layer. */
async function naive(model: tf.LayersModel, c: Case, x: tf.Tensor, labels: Int32Array, units: number): Promise<number[]> {
  const next = model.getLayer(c.next);
  const original = next.getWeights().map((w) => w.clone());
  const accuracy: number[] = [];
  for (let u = 0; u < units; u++) {
    const kernel = c.zeroUnit(original[0], u);
    next.setWeights([kernel, ...original.slice(1)]);
    const predicted = tf.tidy(() => (model.predict(x, { batchSize: x.shape[0] }) as tf.Tensor).argMax(-1));
    const values = (await predicted.data()) as Int32Array;
    accuracy.push(values.reduce((hits, p, i) => hits + (p === labels[i] ? 1 : 0), 0) / labels.length);
    tf.dispose([kernel, predicted]);
  }
  next.setWeights(original);
  tf.dispose(original);
  return accuracy;
}

export const benchmarks: Benchmark[] = [
  {
    id: "ablation.each-unit",
    async run() {
      const { backend } = await loadTensorFlow();
      const digits = loadDigits();
      const { images, labels } = digits.test;
      const results: Measurement[] = [];
      for (const c of cases) {
        const { model, shipped } = await modelFor(c);
        const ours = await ablateEachUnit(model, images, labels, { layer: c.layer });
        const units = ours.accuracy.length;
        const reference = await naive(model, c, images, labels, units);
        const mismatch = reference.findIndex((a, u) => a !== ours.accuracy[u]);
        if (mismatch >= 0) throw new Error(`${c.name}: unit ${mismatch} accuracy ${ours.accuracy[mismatch]} (ablateEachUnit) vs ${reference[mismatch]} (naive)`);
        const [subject, baseline] = await interleavedMedians(
          () => ablateEachUnit(model, images, labels, { layer: c.layer }),
          () => naive(model, c, images, labels, units),
          RUNS,
        );
        results.push({
          subject: { name: `ablateEachUnit ${c.name}/${c.layer}`, value: subject, unit: "ms" },
          baseline: { name: "full forward per unit (weights zeroed)", value: baseline, unit: "ms" },
          target: "≥ 5x faster (ratio ≤ 0.2)",
          note: `${units} units × ${labels.length} test digits, ${shipped ? "shipped" : "same-shaped seeded"} model, accuracies identical; backend ${backend}`,
        });
        model.dispose();
      }
      digits.dispose();
      return results;
    },
  },
];
