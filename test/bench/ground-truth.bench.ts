// The methods with ground truth on the digits CNN (issue 17), each against the work it cannot avoid,
// measured alternately in the same run:
// - deletion + insertion curves of 100 digits (16 steps, 20 random orders, the edge-detector order)
//   against the same number of forward evaluations through model.predict: the cost of removal,
//   ordering, blurring and the paired test on top of the evaluations;
// - methodScoreboard on example 05's 50 stamped digits (every method, flawed model and clean twin)
//   against the same methods' maps alone: the cost of scoring, intervals and tests on top of them;
// - one epoch of training with selectivityRegularizer (α = −1 on the dense layer) against the same
//   epoch without it (model.fit): the cost of the differentiable selectivity penalty per batch. An
//   epoch is ~0.5 s, so one busy moment of a shared machine is a large share of it: 7 runs (a first
//   run of 3 measured the regularised epoch at 0.43x the plain one: load noise, not less work).
import * as tf from "@tensorflow/tfjs";
import { loadTensorFlow } from "../../src/core/backend";
import { loadDigits, loadModel } from "../../src/core/data";
import { gradient } from "../../src/core/interp/attribution";
import { deletionCurve, insertionCurve } from "../../src/core/interp/faithfulness";
import { implantTrigger, loadTrigger, methodScoreboard, SCOREBOARD_METHODS } from "../../src/core/interp/flaws";
import { explainer } from "../../src/core/interp/sanity";
import { selectivityRegularizer } from "../../src/core/interp/selectivity-regularizer";
import { buildModel } from "../../src/scripts/train-digits-models";
import { type Benchmark, interleavedMedians, type Measurement } from "./harness";

const RUNS = 3;
const EPOCH_RUNS = 7;

export const benchmarks: Benchmark[] = [
  {
    id: "ground-truth.methods",
    async run() {
      const { backend } = await loadTensorFlow();
      const note = `${backend}; ${RUNS} interleaved runs`;
      const digits = loadDigits();
      const rows: Measurement[] = [];
      const model = await loadModel("examples/digits/models/cnn/model.json");
      const x = digits.test.images.slice(0, 100);
      const maps = await gradient(model, x);
      // Every step (16 + the start) of every order (the map's, 20 random, the edge detector's) of every image, for both curves.
      const evaluations = tf.tile(x, [2 * 17 * 22, 1, 1, 1]);
      const [curves, forward] = await interleavedMedians(
        async () => (await deletionCurve(model, x, maps), await insertionCurve(model, x, maps)),
        async () => tf.dispose((model.model as tf.LayersModel).predict(evaluations, { batchSize: 4096 }) as tf.Tensor),
        RUNS,
      );
      rows.push({ subject: { name: "deletion + insertion curves, 100 digits (median)", value: curves, unit: "ms" }, baseline: { name: `${evaluations.shape[0]} forward evaluations (model.predict)`, value: forward, unit: "ms" }, note });
      tf.dispose([x, evaluations]);

      const trojan = await loadModel("examples/digits/models/cnn-trojan/model.json");
      const trigger = loadTrigger("examples/digits/models/cnn-trojan/trigger.json");
      const attack = implantTrigger(digits.test, { ...trigger, rate: 1 });
      const stamped = tf.gather(attack.images, attack.poisoned.slice(0, 50));
      // The classes the scoreboard explains: the flawed model's predictions (the logits' argmax).
      const targets = tf.tidy(() => ((trojan.model as tf.LayersModel).predict(stamped) as tf.Tensor).argMax(-1).dataSync() as Int32Array).slice();
      const [board, mapsAlone] = await interleavedMedians(
        () => methodScoreboard(trojan, stamped, trigger.mask, { twin: model }),
        async () => {
          for (const method of SCOREBOARD_METHODS) for (const subject of [trojan, model]) await explainer(method)(subject, stamped, targets);
        },
        RUNS,
      );
      rows.push({ subject: { name: "methodScoreboard, 9 methods, 50 stamped digits + clean twin (median)", value: board, unit: "ms" }, baseline: { name: "the same maps alone", value: mapsAlone, unit: "ms" }, note });
      tf.dispose([stamped, attack.images]);

      const labels = tf.tensor1d(digits.train.labels, "float32");
      const epoch = async (regularised: boolean) => {
        const cnn = buildModel("cnn", 7);
        const regularizer = regularised ? selectivityRegularizer(cnn, ["dense"], -1) : undefined;
        const compile = { optimizer: tf.train.adam(0.005), loss: "sparseCategoricalCrossentropy" };
        if (regularizer) regularizer.compile(compile);
        else cnn.compile(compile);
        const y = regularizer ? regularizer.targets(labels) : [labels];
        await (regularizer?.model ?? cnn).fit(digits.train.images, regularizer ? y : labels, { epochs: 1, batchSize: 64, shuffle: false, verbose: 0 });
        if (regularizer) tf.dispose(y);
        cnn.dispose();
      };
      const [withPenalty, plain] = await interleavedMedians(() => epoch(true), () => epoch(false), EPOCH_RUNS);
      rows.push({ subject: { name: "one epoch with selectivityRegularizer (α = −1, dense), digits train set (median)", value: withPenalty, unit: "ms" }, baseline: { name: "the same epoch without it", value: plain, unit: "ms" }, note: `${backend}; ${EPOCH_RUNS} interleaved runs` });
      labels.dispose();
      digits.dispose();
      return rows;
    },
  },
];
