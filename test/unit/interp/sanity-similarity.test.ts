// Map similarity against skimage (SSIM, HOG descriptors), closed forms and invariants.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DataError } from "../../../src/core/data";
import { hog, hogSimilarity, mapSpearman, normalizeAbs, ssim, type HogOptions } from "../../../src/core/interp/similarity";
import { assertClose, interpReference } from "./reference";

const ref = interpReference<{
  ssim: { a: number[][]; b: number[][]; winSize: number; dataRange: number; ssim: number }[];
  hog: (Required<HogOptions> & { image: number[][]; descriptor: number[] })[];
}>("similarity");

test("SSIM matches skimage.metrics.structural_similarity (window sizes 3–7, 8x8 and 12x17, data ranges)", () => {
  assert.ok(ref.ssim.length >= 12);
  for (const c of ref.ssim) {
    const value = ssim(c.a, c.b, { winSize: c.winSize, dataRange: c.dataRange });
    assert.ok(Math.abs(value - c.ssim) < 1e-12, `win ${c.winSize}: ${value} vs ${c.ssim}`);
  }
});

test("SSIM(x, x) = 1, symmetric, and rejects windows that do not fit", () => {
  const x = [[0, 0.2, 0.9], [0.4, 0.1, 0.3], [1, 0.5, 0.7]];
  const y = [[0.3, 0.2, 0.1], [0.9, 0.1, 0.3], [0, 0.5, 0.4]];
  assert.ok(Math.abs(ssim(x, x) - 1) < 1e-15);
  assert.equal(ssim(x, y), ssim(y, x));
  assert.throws(() => ssim(x, y, { winSize: 5 }), DataError);
  assert.throws(() => ssim(x, [[1, 2]]), DataError);
});

test("HOG descriptors match skimage.feature.hog (all four block norms, several cell and block sizes)", () => {
  assert.ok(ref.hog.length >= 20);
  for (const c of ref.hog) {
    const { image, descriptor, ...options } = c;
    // skimage sums a cell's magnitudes in float32, hence 1e-6.
    assertClose(hog(image, options), descriptor, 1e-6, `hog ${JSON.stringify(options)}`);
  }
});

test("HOG similarity: 1 for the same map and for a brighter copy (gradients scale, blocks normalise), lower for another map", () => {
  // Five settings per image: cases 10 and 15 are the first two digits.
  const [digit, otherDigit] = [ref.hog[10].image, ref.hog[15].image];
  assert.ok(Math.abs(hogSimilarity(digit, digit) - 1) < 1e-12);
  assert.ok(Math.abs(hogSimilarity(digit, digit.map((row) => row.map((v) => 3 * v))) - 1) < 1e-6);
  assert.ok(hogSimilarity(digit, otherDigit) < 0.9);
  assert.ok(hogSimilarity(digit, otherDigit) > hogSimilarity(digit, ref.hog[0].image), "another digit is more alike than noise");
});

test("rank correlation of maps: Spearman, with and without absolute values", () => {
  const a = [[1, -2], [3, -4]];
  // Signed ranks of a: 3, 2, 4, 1; of −a: 2, 3, 1, 4 → rho = −1. Absolute values agree exactly → 1.
  const negated = a.map((row) => row.map((v) => -v));
  assert.ok(Math.abs(mapSpearman(a, negated) + 1) < 1e-12);
  assert.ok(Math.abs(mapSpearman(a, negated, { absolute: true }) - 1) < 1e-12);
  // Monotone transforms keep rho = 1.
  assert.ok(Math.abs(mapSpearman(a, a.map((row) => row.map((v) => Math.exp(v)))) - 1) < 1e-12);
  // Ties: ranks (1.5, 1.5, 3, 4) vs (1, 2, 3, 4): rho = Pearson of those ranks = 0.9486832980505138 (scipy.stats.spearmanr).
  assert.ok(Math.abs(mapSpearman([[0, 0], [1, 2]], [[0, 1], [2, 3]]) - 0.9486832980505138) < 1e-12);
  assert.ok(Number.isNaN(mapSpearman([[0, 0], [0, 0]], a)));
  assert.deepEqual(normalizeAbs([[0, -2], [1, 4]]), [[0, 0.5], [0.25, 1]]);
});
