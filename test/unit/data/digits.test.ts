// The shipped digits data against scikit-learn's load_digits, and the seeded split.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { DataError, DIGITS_FILE, loadDigits, parseDigitsCsv, readDigitsTable, splitIndices } from "../../../src/core/data";
import { testTf } from "../../support/tf";

before(() => testTf());

// From sklearn.datasets.load_digits(): shape, class counts (np.bincount), total of raw pixel counts, first image.
const SKLEARN = {
  n: 1797,
  classCounts: [178, 182, 177, 183, 181, 182, 181, 179, 174, 180],
  pixelTotal: 561718,
  first: [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0],
};

test("the shipped file is scikit-learn's digits: 1,797 images, its class counts, pixel total and first image", () => {
  const table = readDigitsTable(DIGITS_FILE);
  assert.equal(table.n, SKLEARN.n);
  const counts = new Array(10).fill(0);
  table.labels.forEach((label) => counts[label]++);
  assert.deepEqual(counts, SKLEARN.classCounts);
  assert.equal(Math.round(table.pixels.reduce((s, v) => s + v * 16, 0)), SKLEARN.pixelTotal);
  assert.deepEqual(Array.from(table.pixels.subarray(0, 64), (v) => v * 16), SKLEARN.first);
});

test("loadDigits: [n, 8, 8, 1] images in [0, 1], a 1347/450 split that is disjoint, complete and seeded", async () => {
  const before = tf.memory().numTensors;
  const digits = loadDigits();
  assert.deepEqual(digits.train.images.shape, [1347, 8, 8, 1]);
  assert.deepEqual(digits.test.images.shape, [450, 8, 8, 1]);
  const values = await digits.test.images.data();
  assert.ok(values.every((v) => v >= 0 && v <= 1));
  assert.equal(Math.max(...values), 1);
  const all = [...digits.train.indices, ...digits.test.indices].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 1797 }, (_, i) => i));
  // Each example keeps its own label and pixels.
  const table = readDigitsTable(DIGITS_FILE);
  const row = digits.test.indices[7];
  assert.equal(digits.test.labels[7], table.labels[row]);
  assert.deepEqual(Array.from(values.subarray(7 * 64, 8 * 64)), Array.from(table.pixels.subarray(row * 64, row * 64 + 64)));
  digits.dispose();
  assert.equal(tf.memory().numTensors, before);
  const again = splitIndices(1797, 0.25, 0);
  assert.deepEqual(again.test, digits.test.indices);
  assert.notDeepEqual(splitIndices(1797, 0.25, 1).test, again.test);
  assert.equal(splitIndices(100, 0.3, 0).test.length, 30);
});

test("clear errors: missing file, malformed rows, bad arguments", () => {
  assert.throws(() => loadDigits({ path: "/nonexistent/digits.csv.gz" }), (e: DataError) => e.kind === "missing-file");
  assert.throws(() => loadDigits({ testFraction: 1 }), (e: DataError) => e.kind === "invalid-argument");
  assert.throws(() => parseDigitsCsv("1,2,3\n"), (e: DataError) => e.kind === "wrong-format" && /:1: expected 64/.test(e.message));
  assert.throws(() => parseDigitsCsv(`${Array(64).fill(17).join(",")},3\n`), (e: DataError) => e.kind === "wrong-format" && /outside 0..16/.test(e.message));
  const dir = mkdtempSync(join(tmpdir(), "digits-"));
  writeFileSync(join(dir, "d.csv"), `${Array(64).fill(16).join(",")},3\n${Array(64).fill(0).join(",")},9\n`);
  const table = readDigitsTable(join(dir, "d.csv"));
  assert.deepEqual([table.n, table.pixels[0], table.labels[1]], [2, 1, 9]);
});
