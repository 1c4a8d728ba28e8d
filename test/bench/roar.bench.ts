// ROAR on the digits CNN, the sweep the issue asks to finish in minutes on 2 cores: gradient
// attributions, fractions 0.1…0.9, 3 repeats, random and Sobel controls (48 trainings from scratch).
// The baseline is the trainings alone (one training's median time × the number ROAR runs), so the
// ratio is what ROAR adds to the retraining it cannot avoid: ranking, removal, evaluation.
import * as tf from "@tensorflow/tfjs";
import { loadTensorFlow } from "../../src/core/backend";
import { loadDigits } from "../../src/core/data";
import { gradient } from "../../src/core/interp/attribution";
import { roar, type TrainFunction } from "../../src/core/interp/faithfulness";
import { createRng } from "../../src/core/stats/rng";
import { buildModel } from "../../src/scripts/train-digits-models";
import { type Benchmark, medianMs } from "./harness";

const EPOCHS = 8;

/** The digits CNN from scratch, seeded initialisation and batch order (the recipe of examples/digits/models/cnn, fewer epochs). */
const trainCnn: TrainFunction = async ({ images, labels }, { seed }) => {
  const model = buildModel("cnn", seed);
  model.compile({ optimizer: tf.train.adam(0.005), loss: "sparseCategoricalCrossentropy" });
  const y = tf.tensor1d(labels, "float32");
  const order = createRng(seed).fork("batches");
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const perm = tf.tensor1d(order.permutation(labels.length), "int32");
    const [xe, ye] = [tf.gather(images, perm), tf.gather(y, perm)];
    await model.fit(xe, ye, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
    tf.dispose([perm, xe, ye]);
  }
  y.dispose();
  return model;
};

export const benchmarks: Benchmark[] = [
  {
    id: "faithfulness.roar",
    async run() {
      const { backend } = await loadTensorFlow();
      const digits = loadDigits();
      try {
        const oneTraining = await medianMs(async () => ((await trainCnn(digits.train, { seed: 99, fraction: 0, ordering: "unmodified", repeat: 0 })) as tf.LayersModel).dispose(), 3, 1);
        const result = await roar(trainCnn, digits, (model, images, labels) => gradient(model, images, { target: labels }), { repeats: 3, seed: 1 });
        const f = (curve: { mean: number[] }) => curve.mean.map((a) => a.toFixed(2)).join("/");
        const test = result.tests.vsRandom!;
        return {
          subject: { name: `ROAR sweep, ${result.trainings} trainings`, value: result.seconds * 1000, unit: "ms" },
          baseline: { name: `${result.trainings} × one training (${EPOCHS} epochs)`, value: result.trainings * oneTraining, unit: "ms" },
          target: "sweep ≤ 10 min on 2 cores",
          note: `${backend}; accuracy at ${result.fractions.join("/")} removed: gradient ${f(result.method)}, random ${f(result.random!)}, Sobel ${f(result.sobel!)}; gradient vs random: ${test.verdict} (p = ${test.p.toPrecision(2)})`,
        };
      } finally {
        digits.dispose();
      }
    },
  },
];
