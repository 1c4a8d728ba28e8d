// The `digits` example data set (scikit-learn's copy of the UCI optical handwritten digits test set:
// 1,797 greyscale 8x8 images, pixel counts 0..16, ten classes), shipped in examples/digits/ as the
// gzipped CSV from the scikit-learn wheel. The split is a seeded permutation, so "the test set" means
// the same 450 images in every notebook, script and reference generator.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../stats/rng";
import { DataError } from "./errors";

export const DIGITS_FILE = join("examples", "digits", "digits.csv.gz");
/** The example models trained on the digits (see examples/digits/README.md). */
export const DIGITS_MODELS = ["mlp", "cnn", "cnn-seed1", "cnn-shuffled", "cnn-trojan"] as const;
export type DigitsModelName = (typeof DIGITS_MODELS)[number];
export const DIGITS_SHAPE = [8, 8, 1] as const;
export const DIGITS_CLASSES = 10;

/** The raw table: `pixels` row-major, n × 64, scaled to [0, 1] (counts / 16). */
export interface DigitsTable {
  n: number;
  pixels: Float32Array;
  labels: Int32Array;
}

/** One part of the split. `images` is [n, 8, 8, 1]; dispose it (or the whole `Digits`) when done. */
export interface DigitsSet {
  images: tf.Tensor4D;
  labels: Int32Array;
  /** Row numbers in the original file, so a result can be traced back to its image. */
  indices: Int32Array;
}

export interface Digits {
  train: DigitsSet;
  test: DigitsSet;
  /** The file that was read. */
  source: string;
  seed: number;
  dispose(): void;
}

export interface DigitsOptions {
  /** The .csv or .csv.gz file. Default: examples/digits/digits.csv.gz, looked up from the working folder and this module upwards. */
  path?: string;
  /** Fraction held out as the test set. Default 0.25 (450 images). */
  testFraction?: number;
  /** Seed of the split permutation. Default 0 (the split the shipped models were trained on). */
  seed?: number;
}

/** Loads the digits, split into train and test sets by a seeded permutation. */
export function loadDigits(options: DigitsOptions = {}): Digits {
  const testFraction = options.testFraction ?? 0.25;
  const seed = options.seed ?? 0;
  if (!(testFraction > 0 && testFraction < 1)) throw new DataError("invalid-argument", `loadDigits: testFraction must be in (0, 1), got ${testFraction}`);
  const source = options.path ? resolve(options.path) : findExampleFile(DIGITS_FILE);
  const table = readDigitsTable(source);
  const { train, test } = splitIndices(table.n, testFraction, seed);
  const part = (indices: Int32Array): DigitsSet => {
    const pixels = new Float32Array(indices.length * 64);
    const labels = new Int32Array(indices.length);
    indices.forEach((row, i) => {
      pixels.set(table.pixels.subarray(row * 64, row * 64 + 64), i * 64);
      labels[i] = table.labels[row];
    });
    return { images: tf.tensor4d(pixels, [indices.length, 8, 8, 1]), labels, indices };
  };
  const digits = { train: part(train), test: part(test), source, seed };
  return { ...digits, dispose: () => tf.dispose([digits.train.images, digits.test.images]) };
}

/** The model.json of a shipped example model, found from any working folder: `loadModel(digitsModelPath("cnn"))`. */
export function digitsModelPath(name: DigitsModelName): string {
  if (!DIGITS_MODELS.includes(name)) throw new DataError("invalid-argument", `no example model ${name}; the digits models are ${DIGITS_MODELS.join(", ")}`);
  return findExampleFile(join("examples", "digits", "models", name, "model.json"));
}

/** Reads and validates the CSV (gzipped or not): 64 pixel counts in 0..16 and a label 0..9 per row. */
export function readDigitsTable(path: string): DigitsTable {
  if (!existsSync(path)) throw new DataError("missing-file", `digits data not found at ${path}; pass { path } to the digits.csv(.gz) file`);
  const bytes = readFileSync(path);
  const text = (path.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
  return parseDigitsCsv(text, path);
}

export function parseDigitsCsv(text: string, source = "digits csv"): DigitsTable {
  const rows = text.split("\n").filter((line) => line.trim() !== "");
  const pixels = new Float32Array(rows.length * 64);
  const labels = new Int32Array(rows.length);
  rows.forEach((line, r) => {
    const values = line.split(",").map(Number);
    if (values.length !== 65 || values.some((v) => !Number.isInteger(v))) {
      throw new DataError("wrong-format", `${source}:${r + 1}: expected 64 integer pixel counts and a label, got ${values.length} fields`);
    }
    for (let k = 0; k < 64; k++) {
      if (values[k] < 0 || values[k] > 16) throw new DataError("wrong-format", `${source}:${r + 1}: pixel ${k} is ${values[k]}, outside 0..16`);
      pixels[r * 64 + k] = values[k] / 16;
    }
    if (values[64] < 0 || values[64] > 9) throw new DataError("wrong-format", `${source}:${r + 1}: label ${values[64]} is outside 0..9`);
    labels[r] = values[64];
  });
  return { n: rows.length, pixels, labels };
}

/** Test rows are the first ⌈n·testFraction⌉ of a seeded permutation, sorted; train rows the rest, sorted. */
export function splitIndices(n: number, testFraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  const order = createRng(seed).permutation(n);
  const nTest = Math.ceil(n * testFraction);
  return { test: order.slice(0, nTest).sort(), train: order.slice(nTest).sort() };
}

/**
 * Finds a file shipped in the repository (examples/…) from the working folder or from this module's
 * folder (src/core/data under tsx, dist/ in a bundle), walking up to the filesystem root.
 */
export function findExampleFile(relative: string): string {
  const starts = [process.cwd(), typeof __dirname === "string" ? __dirname : undefined].filter((s): s is string => !!s);
  for (const start of starts) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, relative);
      if (existsSync(candidate)) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  throw new DataError("missing-file", `${relative} not found above ${starts.join(" or ")}; pass an explicit path`);
}
