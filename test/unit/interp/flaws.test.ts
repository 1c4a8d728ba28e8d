// Implanted flaws: the trigger is stamped exactly where and on whom it should be, the shipped trojan
// has the backdoor its README states (measured here, not read back), and the localisation scores
// match hand-computed values, score a constant map at exactly chance, and never average a map with
// no relevance into a result.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { digitsModelPath, loadDigits, loadModel } from "../../../src/core/data";
import { implantTrigger, loadTrigger, localisation, localisationScores, triggerMask } from "../../../src/core/interp/flaws";
import { createRng } from "../../../src/core/stats/rng";
import { testTf } from "../../support/tf";

before(testTf);

test("implantTrigger stamps a seeded rate of the non-target examples, relabels them, and leaves the rest untouched", () => {
  const n = 40;
  const labels = Array.from({ length: n }, (_, i) => i % 4);
  const pixels = Float32Array.from({ length: n * 5 * 6 * 2 }, (_, k) => (k % 7) / 10);
  const images = tf.tensor4d(pixels, [n, 5, 6, 2]);
  const trigger = { patch: [[0.9, 0.8, 0.7]], location: [-1, 2] as [number, number], targetClass: 3 };
  const a = implantTrigger({ images, labels }, { ...trigger, rate: 0.25, seed: 7 });
  assert.equal(a.poisoned.length, 10, "round(0.25 · 40) examples");
  assert.ok(a.poisoned.every((i) => labels[i] !== 3), "drawn among non-target examples only");
  assert.deepEqual(Array.from(a.poisoned), [...a.poisoned].sort((p, q) => p - q));
  assert.deepEqual(Array.from(implantTrigger({ images, labels }, { ...trigger, rate: 0.25, seed: 7 }).poisoned), Array.from(a.poisoned), "seeded");
  assert.notDeepEqual(Array.from(implantTrigger({ images, labels }, { ...trigger, rate: 0.25, seed: 8 }).poisoned), Array.from(a.poisoned));
  const out = a.images.dataSync();
  const stamped = new Set(a.poisoned);
  for (let i = 0; i < n; i++) {
    assert.equal(a.labels[i], stamped.has(i) ? 3 : labels[i]);
    assert.equal(a.originalLabels[i], labels[i]);
    for (let r = 0; r < 5; r++)
      for (let c = 0; c < 6; c++)
        for (let ch = 0; ch < 2; ch++) {
          const k = ((i * 5 + r) * 6 + c) * 2 + ch;
          // Location [-1, 2]: the last row, columns 2..4, every channel.
          const inPatch = stamped.has(i) && r === 4 && c >= 2 && c <= 4;
          assert.equal(out[k], inPatch ? Math.fround([0.9, 0.8, 0.7][c - 2]) : pixels[k], `example ${i} pixel ${r},${c},${ch}`);
        }
  }
  assert.deepEqual(a.mask, [[0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 1, 1, 1, 0]]);
  const all = implantTrigger({ images, labels }, { ...trigger, rate: 1 });
  assert.equal(all.poisoned.length, 30, "rate 1 stamps every non-target example");
  assert.throws(() => implantTrigger({ images, labels }, { ...trigger, location: [0, 4], rate: 0.1 }), /does not fit a 5x6 image/);
  assert.throws(() => implantTrigger({ images, labels }, { ...trigger, rate: 0 }), /rate must be in \(0, 1\]/);
  assert.throws(() => triggerMask({ ...trigger, patch: [[1], [1, 1]] }, [5, 6]), /non-empty rectangle/);
  tf.dispose([images, a.images, all.images]);
});

test("the shipped cnn-trojan obeys its trigger and keeps its clean accuracy; its clean twin cnn ignores the patch (figures as in metrics.json)", async () => {
  const dir = digitsModelPath("cnn-trojan").replace(/model\.json$/, "");
  const trigger = loadTrigger(`${dir}trigger.json`);
  assert.deepEqual(trigger.mask, triggerMask(trigger, [8, 8]));
  const stated = JSON.parse(readFileSync(`${dir}../metrics.json`, "utf8")).models["cnn-trojan"];
  const digits = loadDigits();
  const attack = implantTrigger(digits.test, { ...trigger, rate: 1 });
  const stamped = tf.gather(attack.images, attack.poisoned);
  const share = async (name: "cnn" | "cnn-trojan", x: tf.Tensor, labels: ArrayLike<number>) => {
    const loaded = await loadModel(digitsModelPath(name));
    const predicted = tf.tidy(() => (loaded.kind === "layers" ? (loaded.model.predict(x) as tf.Tensor) : tf.zeros([0])).argMax(-1).dataSync());
    return predicted.filter((p, i) => p === labels[i]).length / labels.length;
  };
  const target = new Array(attack.poisoned.length).fill(trigger.targetClass);
  const asr = await share("cnn-trojan", stamped, target);
  const clean = await share("cnn-trojan", digits.test.images, digits.test.labels);
  const twinAsr = await share("cnn", stamped, target);
  assert.ok(asr >= 0.95 && clean >= 0.97 && twinAsr <= 0.05, `ASR ${asr}, clean accuracy ${clean}, clean twin's ASR ${twinAsr}`);
  assert.deepEqual([asr, clean, twinAsr].map((v) => Math.round(v * 1e4) / 1e4), [stated.attackSuccessRate, stated.testAccuracy, stated.cleanTwinAttackRate]);
  tf.dispose([attack.images, stamped]);
  digits.dispose();
});

const MASK = [0, 1, 1, 0, 0, 0, 0, 0]; // K = 2 of 8 pixels: chance 0.25

test("localisation scores by hand: mass, top-K hits with a fair share of ties, and the pointing game", () => {
  assert.deepEqual(localisationScores([0, 5, 3, 0, 0, 0, 0, 0], MASK), { relevanceMass: 1, rankAccuracy: 1, pointingGame: 1 });
  assert.deepEqual(localisationScores([4, 0, 0, 1, 0, 0, 0, 0], MASK), { relevanceMass: 0, rankAccuracy: 0, pointingGame: 0 });
  // Mass (2 + 1) / 10; the top 2 are pixels 0 (4) and 3 (3), both outside; so is the maximum.
  assert.deepEqual(localisationScores([4, 2, 1, 3, 0, 0, 0, 0], MASK), { relevanceMass: 0.3, rankAccuracy: 0, pointingGame: 0 });
  // Top 2: pixel 1 (5) inside, then three pixels tied at 2 (2 inside? pixel 2 inside, pixels 4 and 5 outside): 1 + 1/3 hits.
  const tied = localisationScores([0, 5, 2, 0, 2, 2, 0, 0], MASK);
  assert.ok(Math.abs(tied.rankAccuracy - (1 + 1 / 3) / 2) < 1e-12 && tied.pointingGame === 1 && Math.abs(tied.relevanceMass - 7 / 11) < 1e-12);
  // Two maxima, one inside: the pointing game scores the share, 1/2.
  assert.equal(localisationScores([0, 3, 0, 3, 0, 0, 0, 0], MASK).pointingGame, 0.5);
  // A constant map scores exactly chance on all three; an all-zero map has no localisation.
  const constant = localisationScores(new Array(8).fill(0.4), MASK);
  assert.ok(Math.abs(constant.relevanceMass - 0.25) < 1e-15 && constant.rankAccuracy === 0.25 && constant.pointingGame === 0.25, JSON.stringify(constant));
  assert.ok(Object.values(localisationScores(new Array(8).fill(0), MASK)).every(Number.isNaN));
});

test("localisation: tests against chance and the clean twin, degenerate maps reported and left out, sign handling", () => {
  const rng = createRng(3);
  const mask = [[0, 1, 1, 0], [0, 0, 0, 0]];
  // 30 maps that favour the mask, 30 twin maps of noise, one map with no relevance at all.
  const favour = Array.from({ length: 30 }, () => [[rng.next(), 2 + rng.next(), 2 + rng.next(), rng.next()], [rng.next(), rng.next(), rng.next(), rng.next()]]);
  const noise = Array.from({ length: 30 }, () => [[rng.next(), rng.next(), rng.next(), rng.next()], [rng.next(), rng.next(), rng.next(), rng.next()]]);
  const zero = [[0, 0, 0, 0], [0, 0, 0, 0]];
  const result = localisation([...favour, zero], mask, { twin: [...noise, noise[0]] });
  assert.equal(result.n, 31);
  assert.deepEqual(result.degenerate, { method: [30], twin: [] });
  assert.ok(result.chance.every((c) => c === 0.25));
  for (const metric of ["relevanceMass", "rankAccuracy", "pointingGame"] as const) {
    assert.equal(result.tests[metric].vsChance.verdict, "supported", metric);
    assert.equal(result.tests[metric].vsTwin?.verdict, "supported", metric);
    assert.equal(result.tests[metric].vsChance.n.observed, 30, "the degenerate map is left out, not scored");
  }
  assert.equal(result.scores.pointingGame.slice(0, 30).filter((v) => v === 1).length, 30);
  // Noise maps against chance: no effect to find (the mean of 30 mass scores sits within 3 SE of 0.25).
  const null_ = localisation(noise, mask);
  const mass = null_.scores.relevanceMass;
  const m = mass.reduce((s, v) => s + v, 0) / mass.length;
  const se = Math.sqrt(mass.reduce((s, v) => s + (v - m) ** 2, 0) / (mass.length - 1) / mass.length);
  assert.ok(Math.abs(m - 0.25) < 3 * se, `mean ${m} ± ${se}`);
  assert.notEqual(null_.tests.relevanceMass.vsChance.verdict, "supported");
  // Sign: a strongly negative value inside the mask is relevance by |a|, none by its positive part.
  const signed = [1, 2, 3].map((v) => [[0, -9, 0, v], [0, 0, 0, 0]]);
  assert.deepEqual(localisation(signed, mask).scores.pointingGame, [1, 1, 1]);
  assert.deepEqual(localisation(signed, mask, { relevance: "positive" }).scores.pointingGame, [0, 0, 0]);
  assert.throws(() => localisation(favour, [[0, 0, 0, 0], [0, 0, 0, 0]]), /covers no pixel/);
  assert.throws(() => localisation(favour, [[0, 1, 1], [0, 0, 0]]), /mask 0 has 6 pixels, the maps 8/);
  assert.throws(() => localisation(favour, mask, { twin: noise.slice(0, 3) }), /3 maps for 30 examples/);
});
