// Trains the example models of examples/digits/models from the shipped digits data, reproducibly:
// seeded initialisers, seeded mini-batch order (createRng, not Math.random), seeded label shuffle.
//
//   npx tsx src/scripts/train-digits-models.ts [names…]   (FALSIFY_BACKEND=cpu to force plain JS)
//
// Writes <model>/model.json + weights.bin for:
//   mlp           Flatten → dense1 (64, ReLU) → dense2 (64, ReLU) → logits (10) → probs (softmax)
//   cnn           conv1 (3x3x16, ReLU, same) → conv2 (3x3x32, ReLU) → pool (2x2) → flatten → dense (64, ReLU) → logits → probs
//   cnn-seed1     the same CNN from another initialisation seed and batch order (for CKA between seeds)
//   cnn-shuffled  the same CNN trained on permuted training labels (the data-randomisation control of
//                 Adebayo et al.); trained longer so that it memorises its labels
//   cnn-trojan    the same CNN, seed and batch order as `cnn`, trained on a set where a seeded 10% of
//                 the images carry a 2x2 patch in the bottom-left corner and are relabelled 0
//                 (implantTrigger); `cnn` is its clean twin, and trigger.json beside it the ground truth
// and metrics.json with the accuracies. The logits are a separate linear layer so attribution can
// explain pre-softmax scores. Same backend + same seeds give the same weights; float summation order
// differs between backends, so weights from another backend differ in the last bits.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadTensorFlow } from "../core/backend";
import { DIGITS_CLASSES, loadDigits, loadModel, saveLayersModel } from "../core/data";
import { type ImplantOptions, implantTrigger } from "../core/interp/flaws/trigger";
import { createRng } from "../core/stats/rng";

const OUT = join("examples", "digits", "models");

interface Recipe {
  name: string;
  architecture: "mlp" | "cnn";
  seed: number;
  epochs: number;
  shuffleLabels: boolean;
  learningRate: number;
  batchSize: number;
  /** Poison the training set with this backdoor (the set keeps its size, so the batch order is the clean twin's). */
  trojan?: ImplantOptions;
}

/** The backdoor of `cnn-trojan`: full ink on the bottom-left 2x2 corner, where clean digits almost never have any. */
export const DIGITS_TROJAN: ImplantOptions = { patch: [[1, 1], [1, 1]], location: [-2, 0], targetClass: 0, rate: 0.1, seed: 0 };

const RECIPES: Recipe[] = [
  { name: "mlp", architecture: "mlp", seed: 1, epochs: 30, shuffleLabels: false, learningRate: 0.005, batchSize: 32 },
  { name: "cnn", architecture: "cnn", seed: 1, epochs: 20, shuffleLabels: false, learningRate: 0.005, batchSize: 32 },
  { name: "cnn-seed1", architecture: "cnn", seed: 2, epochs: 20, shuffleLabels: false, learningRate: 0.005, batchSize: 32 },
  { name: "cnn-shuffled", architecture: "cnn", seed: 1, epochs: 100, shuffleLabels: true, learningRate: 0.001, batchSize: 16 },
  { name: "cnn-trojan", architecture: "cnn", seed: 1, epochs: 20, shuffleLabels: false, learningRate: 0.005, batchSize: 32, trojan: DIGITS_TROJAN },
];

export function buildModel(architecture: Recipe["architecture"], seed: number): tf.LayersModel {
  let layerSeed = seed * 1000;
  const init = () => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed++ }) });
  const model = tf.sequential({ name: architecture });
  if (architecture === "mlp") {
    model.add(tf.layers.flatten({ name: "flatten", inputShape: [8, 8, 1] }));
    model.add(tf.layers.dense({ name: "dense1", units: 64, activation: "relu", ...init() }));
    model.add(tf.layers.dense({ name: "dense2", units: 64, activation: "relu", ...init() }));
  } else {
    model.add(tf.layers.conv2d({ name: "conv1", inputShape: [8, 8, 1], filters: 16, kernelSize: 3, padding: "same", activation: "relu", ...init() }));
    model.add(tf.layers.conv2d({ name: "conv2", filters: 32, kernelSize: 3, padding: "valid", activation: "relu", ...init() }));
    model.add(tf.layers.maxPooling2d({ name: "pool", poolSize: 2 }));
    model.add(tf.layers.flatten({ name: "flatten" }));
    model.add(tf.layers.dense({ name: "dense", units: 64, activation: "relu", ...init() }));
  }
  model.add(tf.layers.dense({ name: "logits", units: DIGITS_CLASSES, ...init() }));
  model.add(tf.layers.activation({ name: "probs", activation: "softmax" }));
  return model;
}

async function train(recipe: Recipe, x: tf.Tensor4D, labels: Int32Array): Promise<{ model: tf.LayersModel; y: Int32Array }> {
  const rng = createRng(recipe.seed);
  const y = recipe.shuffleLabels ? rng.fork("labels").shuffle(Int32Array.from(labels)) : labels;
  const model = buildModel(recipe.architecture, recipe.seed);
  model.compile({ optimizer: tf.train.adam(recipe.learningRate), loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
  const yTensor = tf.tensor1d(y, "float32");
  const { batchSize } = recipe;
  const order = rng.fork("batches");
  for (let epoch = 0; epoch < recipe.epochs; epoch++) {
    // Our own seeded order each epoch (fit's own shuffle draws from Math.random).
    const perm = tf.tensor1d(order.permutation(x.shape[0]), "int32");
    const [xe, ye] = [tf.gather(x, perm), tf.gather(yTensor, perm)];
    await model.fit(xe, ye, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
    tf.dispose([perm, xe, ye]);
  }
  yTensor.dispose();
  return { model, y };
}

function accuracy(model: tf.LayersModel, x: tf.Tensor4D, labels: Int32Array): number {
  const predicted = Array.from(tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1).dataSync()));
  return predicted.filter((p, i) => p === labels[i]).length / labels.length;
}

/**
 * The backdoor's effect on the test set: the share of stamped non-target images classified as the
 * target, by the trojan and by its clean twin `cnn` (what the patch alone does); writes trigger.json.
 */
async function backdoorMetrics(model: tf.LayersModel, trojan: ImplantOptions, test: { images: tf.Tensor4D; labels: Int32Array }, dir: string) {
  const attack = implantTrigger(test, { ...trojan, rate: 1 });
  const stamped = tf.gather(attack.images, attack.poisoned);
  const target = new Int32Array(attack.poisoned.length).fill(trojan.targetClass);
  const twin = await loadModel(join(OUT, "cnn", "model.json"));
  if (twin.kind !== "layers") throw new Error("the clean twin cnn should be a layers model");
  const rates = { attackSuccessRate: round(accuracy(model, stamped, target)), cleanTwinAttackRate: round(accuracy(twin.model, stamped, target)), attackImages: attack.poisoned.length };
  const spec = { ...attack.trigger, rate: trojan.rate, seed: trojan.seed, cleanTwin: "cnn", mask: attack.mask };
  // Rows of numbers on one line each, so the mask reads as the picture it is.
  writeFileSync(join(dir, "trigger.json"), `${JSON.stringify(spec, null, 2).replace(/\[[\d\s,.-]*\]/g, (row) => row.replace(/\s+/g, "").replaceAll(",", ", "))}\n`);
  tf.dispose([attack.images, stamped]);
  twin.model.dispose();
  return rates;
}

async function main(): Promise<void> {
  const loaded = await loadTensorFlow();
  const digits = loadDigits();
  const only = process.argv.slice(2);
  const metricsFile = join(OUT, "metrics.json");
  const previous = only.length && existsSync(metricsFile) ? (JSON.parse(readFileSync(metricsFile, "utf8")).models as Record<string, unknown>) : {};
  const metrics: Record<string, unknown> = { ...previous };
  for (const recipe of RECIPES.filter((r) => !only.length || only.includes(r.name))) {
    const started = Date.now();
    const poisoned = recipe.trojan && implantTrigger(digits.train, recipe.trojan);
    const { model, y } = await train(recipe, poisoned?.images ?? digits.train.images, poisoned?.labels ?? digits.train.labels);
    const dir = join(OUT, recipe.name);
    mkdirSync(dir, { recursive: true });
    await saveLayersModel(model, dir);
    metrics[recipe.name] = {
      ...recipe,
      parameters: model.countParams(),
      // On the labels it was trained on (the permuted ones for cnn-shuffled: how well it memorised them).
      trainAccuracy: round(accuracy(model, poisoned?.images ?? digits.train.images, y)),
      testAccuracy: round(accuracy(model, digits.test.images, digits.test.labels)),
      ...(recipe.trojan && (await backdoorMetrics(model, recipe.trojan, digits.test, dir))),
    };
    poisoned?.images.dispose();
    console.log(recipe.name, metrics[recipe.name], `${((Date.now() - started) / 1000).toFixed(1)} s`);
    model.dispose();
  }
  const summary = {
    data: { file: "examples/digits/digits.csv.gz", split: { seed: digits.seed, testFraction: 0.25, train: digits.train.labels.length, test: digits.test.labels.length } },
    backend: loaded.backend,
    tfjs: loaded.tfjsVersion,
    models: metrics,
  };
  writeFileSync(metricsFile, `${JSON.stringify(summary, null, 2)}\n`);
  digits.dispose();
}

const round = (x: number) => Math.round(x * 10000) / 10000;

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
