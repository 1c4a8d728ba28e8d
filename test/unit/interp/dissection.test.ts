import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { loadModel, readDigitsTable } from "../../../src/core/data";
import { InterpError } from "../../../src/core/interp/activations";
import { type ConceptMasks, DIGIT_CONCEPTS, digitConcepts, digitConceptsOf } from "../../../src/core/interp/dissection/concepts";
import { dissect, dissectActivations } from "../../../src/core/interp/dissection/dissect";
import { type BinaryImage, enclosed, endpoints, openByLine, thin } from "../../../src/core/interp/dissection/morphology";
import { assertClose, interpReference } from "./reference";

/** An 8 × 8 binary image from rows of "#" (set) and "." (unset). */
function picture(rows: string[]): BinaryImage {
  return { data: Uint8Array.from(rows.join("").split(""), (ch) => (ch === "#" ? 1 : 0)), height: rows.length, width: rows[0].length };
}
const drawn = (image: BinaryImage) => Array.from({ length: image.height }, (_, r) => Array.from(image.data.subarray(r * image.width, (r + 1) * image.width), (v) => (v ? "#" : ".")).join(""));

test("hand-made digits: a ring's inside, its strokes and its top bar; a ring has no endpoints", () => {
  const ring = picture(["........", "..####..", "..#..#..", "..#..#..", "..#..#..", "..####..", "........", "........"]);
  const [loop, vertical, bar, ends] = digitConceptsOf(ring);
  assert.deepEqual(drawn(loop), ["........", "........", "...##...", "...##...", "...##...", "........", "........", "........"]);
  assert.deepEqual(drawn(vertical), ["........", "..#..#..", "..#..#..", "..#..#..", "..#..#..", "..#..#..", "........", "........"]);
  assert.deepEqual(drawn(bar), ["........", "..####..", "........", "........", "........", "........", "........", "........"]);
  assert.deepEqual(drawn(ends), drawn(picture(Array(8).fill("........"))));
});

test("hand-made digits: a one-pixel '1' is its own skeleton, with an endpoint region at each end and no loop or bar", () => {
  const one = picture(["........", "...#....", "...#....", "...#....", "...#....", "...#....", "...#....", "........"]);
  assert.deepEqual(drawn(thin(one)), drawn(one));
  assert.deepEqual(drawn(endpoints(one)), ["........", "...#....", "........", "........", "........", "........", "...#....", "........"]);
  const [loop, vertical, bar, ends] = digitConceptsOf(one);
  assert.equal(loop.data.reduce((s, v) => s + v, 0), 0);
  assert.deepEqual(drawn(vertical), drawn(one));
  assert.equal(bar.data.reduce((s, v) => s + v, 0), 0);
  assert.deepEqual(drawn(ends), ["........", "...#....", "...#....", "........", "........", "...#....", "...#....", "........"]);
});

test("hand-made: a gap in the ring lets the background out, a diagonal step does not (background is 4-connected); strokes shorter than 3 are not strokes", () => {
  const open = picture(["........", "..###...", "..#..#..", "..#..#..", "..#..#..", "..####..", "........", "........"]);
  assert.equal(enclosed(open).data.reduce((s, v) => s + v, 0), 6, "a diagonal step keeps the background 4-connected inside");
  const gap = picture(["........", "..#.##..", "..#..#..", "..#..#..", "..#..#..", "..####..", "........", "........"]);
  assert.equal(enclosed(gap).data.reduce((s, v) => s + v, 0), 0);
  const short = picture(["........", "..##....", "..##....", "........", "........", "........", "........", "........"]);
  assert.equal(openByLine(short, "vertical", 3).data.reduce((s, v) => s + v, 0), 0);
  assert.equal(openByLine(short, "horizontal", 3).data.reduce((s, v) => s + v, 0), 0);
});

test("the digits' concept masks equal scikit-image / scipy.ndimage's on 300 digits", () => {
  const reference = interpReference("concepts");
  const table = readDigitsTable("examples/digits/digits.csv.gz");
  const rows = reference.rows as number;
  assert.deepEqual(Array.from(table.labels.subarray(0, rows)), reference.labels, "the same digits, in file order");
  const masks = digitConcepts({ data: table.pixels.subarray(0, rows * 64), shape: [rows, 8, 8] }, { threshold: reference.threshold });
  assert.deepEqual(masks.concepts, [...DIGIT_CONCEPTS]);
  masks.concepts.forEach((name, c) => {
    const expected: string[] = reference.masks[name];
    for (let i = 0; i < rows; i++) {
      const actual = Array.from(masks.masks[c].subarray(i * 64, (i + 1) * 64)).join("");
      assert.equal(actual, expected[i], `${name}, digit ${i} (label ${reference.labels[i]})`);
    }
  });
});

/** The first `n` digits' reference concept masks as ConceptMasks. */
function referenceMasks(n: number): ConceptMasks {
  const reference = interpReference("concepts");
  const concepts = Object.keys(reference.masks);
  const masks = concepts.map((name) => Uint8Array.from((reference.masks[name] as string[]).slice(0, n).join(""), Number));
  return { concepts, masks, examples: n, height: 8, width: 8 };
}

test("thresholds, bilinear upsampling and IoU match numpy with scikit-image's resize", async () => {
  const reference = interpReference("dissection");
  const [n] = reference.shape as number[];
  const d = await dissectActivations({ data: Float32Array.from(reference.maps), shape: reference.shape }, referenceMasks(n), { quantile: reference.quantile, permutations: 20, randomDirections: 0 });
  assert.deepEqual(d.concepts, reference.concepts);
  assertClose(d.units.map((u) => u.threshold), reference.thresholds, 1e-12, "thresholds");
  for (const [k, row] of (reference.iou as number[][]).entries()) assertClose(d.units[k].iou, row, 1e-12, `unit ${k} IoU`);
  const up = tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(Float32Array.from(reference.maps), reference.shape).slice([0, 0, 0, 2], [1, 3, 3, 1]), [8, 8], false, true).dataSync());
  assertClose(up, reference.upsampled_unit2_image0, 1e-6, "upsampled map");
});

/** IoU of thresholded maps (n × pixels, already upsampled) with masks paired by `order`: a plain loop, no bit packing. */
function bruteIou(above: number[][], mask: number[][], order: number[]): number {
  let inter = 0, union = 0;
  above.forEach((a, i) => a.forEach((v, p) => {
    const l = mask[order[i]][p];
    inter += v && l ? 1 : 0;
    union += v || l ? 1 : 0;
  }));
  return inter / union;
}

function permutationsOf(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutationsOf(n - 1).flatMap((p) => Array.from({ length: n }, (_, at) => [...p.slice(0, at), n - 1, ...p.slice(at)]));
}

test("the shuffled-masks p-value agrees with the exact p over all 120 pairings of 5 images", async () => {
  // Maps at the masks' resolution (1 × 1 → no interpolation): the unit fires exactly on concept pixels of images 0–2.
  const n = 5;
  const mask = [[1, 1, 0, 0], [0, 1, 1, 0], [1, 0, 0, 1], [0, 0, 1, 1], [1, 0, 1, 0]];
  const map = [[1, 1, 0, 0], [0, 1, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 1, 0, 0]];
  const concepts: ConceptMasks = { concepts: ["c"], masks: [Uint8Array.from(mask.flat())], examples: n, height: 2, width: 2 };
  const d = await dissectActivations({ data: Float32Array.from(map.flat()), shape: [n, 2, 2, 1] }, concepts, { quantile: 0.5, permutations: 20_000, randomDirections: 0, seed: 4 });
  const observed = bruteIou(map, mask, [0, 1, 2, 3, 4]);
  assert.ok(Math.abs(d.units[0].iou[0] - observed) < 1e-12);
  const all = permutationsOf(n).map((order) => bruteIou(map, mask, order));
  const exact = all.filter((v) => v >= observed - 1e-12).length / all.length;
  assert.ok(Math.abs(d.units[0].p[0] - exact) < 0.01, `Monte Carlo p ${d.units[0].p[0]} vs exact ${exact}`);
});

/**
 * Activation maps on the digits' 8 × 8 grid whose first `planted` channels follow concepts (in
 * DIGIT_CONCEPTS order, plus a little noise) and the rest are noise of a similar spread, as in a layer
 * whose channels have comparable variance: a random direction then mixes a concept with noise.
 */
function plantedMaps(masks: ConceptMasks, channels: number, planted: number, seed: number): Float32Array {
  let state = seed;
  const noise = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
  const n = masks.examples, pixels = 64;
  const data = new Float32Array(n * pixels * channels);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < pixels; p++) {
      for (let ch = 0; ch < channels; ch++) data[(i * pixels + p) * channels + ch] = ch < planted ? 3 * masks.masks[ch][i * pixels + p] + 0.3 * noise() : 4 * noise();
    }
  }
  return data;
}

test("planted detectors are labelled and survive the shuffled masks; noise passing the IoU rule does not; random directions only mix the planted signal", async () => {
  const masks = referenceMasks(200);
  const channels = 12;
  const data = plantedMaps(masks, channels, 2, 7);
  const d = await dissectActivations({ data, shape: [200, 8, 8, channels], layer: "planted" }, masks, { quantile: 0.95, permutations: 1000, seed: 1 });
  assert.equal(d.layer, "planted");
  assert.equal(d.units[0].label, "enclosed-loop");
  assert.equal(d.units[1].label, "vertical-stroke");
  assert.ok(d.units[0].significant && d.units[1].significant);
  // Vertical strokes cover a fifth of the pixels: a noise unit's top 5% reaches IoU ≈ 0.04 by chance and
  // passes Bau et al.'s IoU rule; the shuffled masks are what reject it.
  const noise = d.units.slice(2);
  assert.ok(noise.some((u) => u.label !== null), "some noise unit passes the IoU rule");
  for (const u of noise) assert.equal(u.significant, false, `noise unit ${u.unit}: ${u.label} IoU ${u.bestIou} adjusted p ${u.pAdjusted}`);
  assert.equal(d.detectors - d.significantDetectors, noise.filter((u) => u.label !== null).length);
  // Random directions of this layer mix the two concept channels with noise: some follow a concept,
  // none as closely as the unit that carries it alone.
  assert.equal(d.random.directions, channels);
  for (const c of [0, 1]) {
    const best = Math.max(...d.random.units.map((u) => u.iou[c]));
    assert.ok(best < d.units[c].iou[c], `${d.concepts[c]}: random direction ${best} vs unit ${d.units[c].iou[c]}`);
  }
  assert.equal(d.comparison?.alternative, "greater");
  const meanBest = (units: { bestIou: number }[]) => units.reduce((s, u) => s + u.bestIou, 0) / units.length;
  assert.ok(Math.abs(d.comparison!.statistic - (meanBest(d.units) - meanBest(d.random.units))) < 1e-12);
  // Dissecting the identity directions is dissecting the units.
  const identity = Array.from({ length: channels }, (_, i) => Array.from({ length: channels }, (__, j) => (i === j ? 1 : 0)));
  const same = await dissectActivations({ data, shape: [200, 8, 8, channels] }, masks, { quantile: 0.95, permutations: 20, seed: 1, directions: identity, randomDirections: 0 });
  assert.deepEqual(same.units.map((u) => u.iou), d.units.map((u) => u.iou));
});

test("the shipped digits CNN: conv2 dissected on 120 test digits, no tensors left behind; errors are typed", async () => {
  const loaded = await loadModel("examples/digits/models/cnn/model.json");
  if (loaded.kind !== "layers") throw new Error("the digits CNN should be a layers model");
  const table = readDigitsTable("examples/digits/digits.csv.gz");
  const images = tf.tensor4d(table.pixels.subarray(0, 120 * 64), [120, 8, 8, 1]);
  const masks = digitConcepts(images);
  const before = tf.memory().numTensors;
  const d = await dissect(loaded.model, images, masks, { layer: "conv2", permutations: 50, seed: 3 });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(d.layer, "conv2");
  assert.equal(d.units.length, 32);
  assert.equal(d.random.units.length, 32);
  for (const u of d.units) for (const v of u.iou) assert.ok(v >= 0 && v <= 1);
  const kind = (k: string) => (e: InterpError) => e instanceof InterpError && e.kind === k;
  await assert.rejects(dissect(loaded.model, images, masks, { layer: "dense" }), kind("shape-mismatch"));
  const fewer = images.slice(0, 10);
  await assert.rejects(dissect(loaded.model, fewer, masks, { layer: "conv1" }), kind("shape-mismatch"));
  fewer.dispose();
  await assert.rejects(dissect(loaded.model, images, { ...masks, masks: [masks.masks[0]] }, { layer: "conv1" }), kind("invalid-input"));
  images.dispose();
  loaded.model.dispose();
});
