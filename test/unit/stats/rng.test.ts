import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng } from "../../../src/core/stats/rng";
import { reference } from "./reference";

const ref = reference<{ streams: { seed: number; uint32: number[] }[]; chi2_crit_999: Record<string, number> }>("rng");

test("the stream matches an independent Python xoshiro128** / splitmix32 implementation", () => {
  for (const { seed, uint32 } of ref.streams) {
    const rng = createRng(seed);
    assert.deepEqual(Array.from({ length: uint32.length }, () => rng.uint32()), uint32, `seed ${seed}`);
  }
});

test("same seed, same stream; different seeds, different streams", () => {
  const a = createRng(7), b = createRng(7), c = createRng(8);
  const xs = Array.from({ length: 100 }, () => a.next());
  assert.deepEqual(Array.from({ length: 100 }, () => b.next()), xs);
  assert.notDeepEqual(Array.from({ length: 100 }, () => c.next()), xs);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
});

function chiSquare(counts: number[], expected: number): number {
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

test("next() is uniform: chi-square over 100 bins below scipy's 0.999 critical value", () => {
  const rng = createRng(123);
  const counts = new Array(100).fill(0);
  const n = 200_000;
  for (let i = 0; i < n; i++) counts[Math.floor(rng.next() * 100)]++;
  assert.ok(chiSquare(counts, n / 100) < ref.chi2_crit_999["99"]);
});

test("int(n) is uniform for n not a power of two (10 and 120 bins) and stays in range", () => {
  const rng = createRng(99);
  for (const [bins, df] of [[10, "9"], [120, "119"]] as const) {
    const counts = new Array(bins).fill(0);
    const n = 120_000;
    for (let i = 0; i < n; i++) counts[rng.int(bins)]++;
    assert.equal(counts.reduce((a, b) => a + b, 0), n, "every draw in range");
    assert.ok(chiSquare(counts, n / bins) < ref.chi2_crit_999[df], `bins=${bins}`);
  }
  assert.throws(() => rng.int(0), RangeError);
  assert.throws(() => rng.int(2.5), RangeError);
});

test("normal() has mean 0, variance 1, skewness 0 and kurtosis 3 within sampling error", () => {
  const rng = createRng(5);
  const n = 200_000;
  let m1 = 0, m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    m1 += z; m2 += z * z; m3 += z ** 3; m4 += z ** 4;
  }
  m1 /= n; m2 /= n; m3 /= n; m4 /= n;
  // Standard errors: 1/sqrt(n), sqrt(2/n), sqrt(15/n), sqrt(96/n); allow 5 of them.
  assert.ok(Math.abs(m1) < 5 / Math.sqrt(n), `mean ${m1}`);
  assert.ok(Math.abs(m2 - 1) < 5 * Math.sqrt(2 / n), `variance ${m2}`);
  assert.ok(Math.abs(m3) < 5 * Math.sqrt(15 / n), `third moment ${m3}`);
  assert.ok(Math.abs(m4 - 3) < 5 * Math.sqrt(96 / n), `fourth moment ${m4}`);
});

test("permutation, shuffle and sample are permutations / distinct and uniform over positions", () => {
  const rng = createRng(11);
  const p = rng.permutation(50);
  assert.deepEqual(Array.from(p).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  const arr = ["a", "b", "c", "d"];
  assert.equal(rng.shuffle(arr), arr);
  assert.deepEqual([...arr].sort(), ["a", "b", "c", "d"]);
  const s = rng.sample(1000, 30);
  assert.equal(new Set(s).size, 30);
  assert.ok(Array.from(s).every((i) => i >= 0 && i < 1000));
  assert.throws(() => rng.sample(3, 4), RangeError);
  // Where element 0 lands after a shuffle of 10: uniform over the 10 positions.
  const counts = new Array(10).fill(0);
  for (let t = 0; t < 50_000; t++) counts[rng.permutation(10).indexOf(0)]++;
  assert.ok(chiSquare(counts, 5000) < ref.chi2_crit_999["9"]);
});

test("fork gives reproducible, label-dependent children that do not disturb the parent", () => {
  const a = createRng(1), b = createRng(1);
  const ca = a.fork("ablation"), cb = b.fork("ablation");
  const first = Array.from({ length: 10 }, () => ca.uint32());
  assert.deepEqual(Array.from({ length: 10 }, () => cb.uint32()), first);
  for (let i = 0; i < 1000; i++) ca.uint32(); // consuming a child...
  assert.equal(a.uint32(), b.uint32()); // ...leaves the parent where its twin is
  const other = createRng(1).fork("probe");
  assert.notDeepEqual(Array.from({ length: 10 }, () => other.uint32()), first);
});

test("seeds must be finite", () => {
  assert.throws(() => createRng(NaN), RangeError);
  assert.throws(() => createRng(Infinity), RangeError);
});
