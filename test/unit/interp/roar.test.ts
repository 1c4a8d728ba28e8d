// ROAR on a problem whose answer is known: two pixels carry the class, the rest is noise, and the
// "training" is a deterministic one-pixel threshold classifier (so every number is the data's, not
// an optimiser's). The oracle map's top pixels are exactly those two: removing them and retraining
// must drop accuracy to chance while random removal of as many pixels barely matters. The training
// function also checks what it is given: the top round(f · pixels) pixels of each image replaced by
// the training set's per-channel mean, in train and test alike.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { type RoarRun, roar } from "../../../src/core/interp/faithfulness";
import { type Progress, setTaskHost, TaskInterrupted } from "../../../src/core/progress";
import { createRng } from "../../../src/core/stats/rng";
import { noLeak, testTf } from "../../support/tf";

before(testTf);

const PIXELS = 16;
/** 4x4 images: pixel 0 is the class, pixel 5 its opposite, the other 14 uniform noise. */
function images(n: number, seed: number) {
  const rng = createRng(seed);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  const pixels = Float32Array.from({ length: n * PIXELS }, (_, k) => {
    const [i, p] = [Math.floor(k / PIXELS), k % PIXELS];
    return p === 0 ? labels[i] : p === 5 ? 1 - labels[i] : rng.next();
  });
  return { images: tf.tensor4d(pixels, [n, 4, 4, 1]), labels, pixels };
}

test("removing the oracle map's two informative pixels and retraining drops accuracy to chance; random removal does not", async () => {
  const train = images(60, 1);
  const test_ = images(40, 2);
  const fill = train.pixels.reduce((s, v) => s + v, 0) / train.pixels.length;
  const runs: (RoarRun & { accuracy: number })[] = [];
  const seen: string[] = [];
  /** Learns the single pixel whose class means differ most, and a threshold halfway between them. */
  const trainThreshold = async (data: { images: tf.Tensor4D; labels: Int32Array }, run: RoarRun) => {
    const x = await data.images.data();
    const removedPerImage = Array.from({ length: data.labels.length }, (_, i) => x.slice(i * PIXELS, (i + 1) * PIXELS).filter((v) => Math.abs(v - fill) < 1e-6).length);
    assert.ok(removedPerImage.every((r) => r === Math.round(run.fraction * PIXELS)), `${run.ordering} ${run.fraction}: ${removedPerImage}`);
    seen.push(`${run.ordering}@${run.fraction}#${run.seed}`);
    const means = [0, 1].map((c) => Array.from({ length: PIXELS }, (_, p) => {
      const rows = Array.from(data.labels.keys()).filter((i) => data.labels[i] === c);
      return rows.reduce((s, i) => s + x[i * PIXELS + p], 0) / rows.length;
    }));
    const best = Array.from({ length: PIXELS }, (_, p) => p).reduce((b, p) => (Math.abs(means[1][p] - means[0][p]) > Math.abs(means[1][b] - means[0][b]) ? p : b), 0);
    const [threshold, sign] = [(means[0][best] + means[1][best]) / 2, Math.sign(means[1][best] - means[0][best])];
    return (batch: tf.Tensor) => {
      const s = tf.mul(tf.sub(tf.reshape(batch, [-1, PIXELS]).slice([0, best], [-1, 1]), threshold), sign);
      return tf.concat([tf.neg(s), s], 1);
    };
  };
  const oracle = async (_model: unknown, x: tf.Tensor4D) => Array.from({ length: x.shape[0] }, () => [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
  const result = await noLeak(() =>
    roar(trainThreshold, { train, test: test_ }, oracle, { fractions: [0.1, 0.5, 0.9], repeats: 2, seed: 7, onRun: (_done, _total, run) => runs.push(run) }),
  );
  assert.deepEqual(result.fractions, [0, 0.1, 0.5, 0.9]);
  assert.deepEqual(result.seeds, [7, 8]);
  assert.equal(result.trainings, 2 * (1 + 3 * 3));
  assert.equal(runs.length, result.trainings);
  assert.deepEqual(runs.slice(0, 2).map((r) => `${r.ordering}@${r.fraction}#${r.seed}`), ["unmodified@0#7", "unmodified@0#8"]);
  assert.equal(new Set(seen).size, seen.length, "every run is a distinct (ordering, fraction, seed)");
  // Unmodified: the classifier finds pixel 0 or 5 and is always right; every curve starts there.
  for (const curve of [result.method, result.random!, result.sobel!]) assert.deepEqual(curve.accuracy[0], [1, 1]);
  // The oracle's top two pixels are gone from every image at 10%: a noise pixel is all that is left to learn.
  for (const k of [1, 2, 3]) assert.ok(result.method.mean[k] <= 0.75, `method at ${result.fractions[k]}: ${result.method.mean[k]}`);
  assert.ok(result.random!.mean[1] >= 0.8, `random at 10%: ${result.random!.mean[1]}`);
  // A deterministic trainer: repeats agree, and the interval is the point.
  assert.deepEqual(result.method.lower, result.method.mean);
  assert.equal(result.tests.vsRandom!.verdict, "supported", result.tests.vsRandom!.reason);
  assert.equal(result.tests.vsRandom!.n.observed, 3 * 2, "paired by removed fraction and repeat, the shared unmodified point left out");
  assert.ok(result.tests.vsSobel);
  tf.dispose([train.images, test_.images]);
});

test("the result counts its trainings without a progress callback, and leaves out the controls it was told to", async () => {
  const set = images(8, 4);
  const constant = async () => (batch: tf.Tensor) => tf.zeros([batch.shape[0], 2]);
  const result = await noLeak(() => roar(constant, { train: set, test: set }, async (_m, x) => Array.from({ length: x.shape[0] }, () => [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]), { fractions: [0.5], repeats: 2, controls: { random: false, sobel: false } }));
  assert.equal(result.trainings, 2 * (1 + 1));
  assert.deepEqual([result.random, result.sobel, result.tests], [undefined, undefined, {}]);
  set.images.dispose();
});

test("bad options are refused with a message", async () => {
  const set = images(4, 3);
  const never = async () => { throw new Error("not called"); };
  await assert.rejects(roar(never, { train: set, test: set }, never, { repeats: 1 }), /repeats must be an integer ≥ 2/);
  await assert.rejects(roar(never, { train: set, test: set }, never, { fractions: [0] }), /fractions must be in \(0, 1\]/);
  set.images.dispose();
});

test("the sweep is one progress task of every training, and an interrupt stops it between trainings with nothing leaked", async () => {
  const set = images(8, 5);
  const map = async (_m: unknown, x: tf.Tensor4D) => Array.from({ length: x.shape[0] }, () => [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
  // A real layers model per training: weights are tensors, so a model left undisposed shows in numTensors.
  let trainings = 0;
  let stopAfter = Infinity;
  const dense = async () => {
    trainings++;
    return tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 2 })] });
  };
  const reports: Progress[] = [];
  try {
    setTaskHost({ report: (p) => reports.push(p), interrupted: () => trainings >= stopAfter });
    const result = await noLeak(() => roar(dense, { train: set, test: set }, map, { fractions: [0.25, 0.5], repeats: 2 }));
    // 2 repeats × (the unmodified data + 3 orderings × 2 fractions).
    assert.equal(result.trainings, 14);
    const last = reports.at(-1)!;
    assert.deepEqual([last.label, last.done, last.total, last.unit, last.final], ["roar trainings", 14, 14, "trainings", true]);
    assert.ok(reports.some((p) => !p.final && p.done < 14), "progress before the end");
    // Stopped after the first training: the model kept to rank the pixels must not be left behind.
    for (const at of [1, 5]) {
      [trainings, stopAfter] = [0, at];
      const before = tf.memory().numTensors;
      await assert.rejects(roar(dense, { train: set, test: set }, map, { fractions: [0.25, 0.5], repeats: 2 }), (e) => e instanceof TaskInterrupted && /roar trainings stopped by the user/.test(e.message));
      assert.equal(trainings, at, "no training after the interrupt");
      assert.equal(tf.memory().numTensors, before, `tensors leaked when stopped after training ${at}`);
    }
  } finally {
    setTaskHost(undefined);
    set.images.dispose();
  }
});
