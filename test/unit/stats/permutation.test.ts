import assert from "node:assert/strict";
import { test } from "node:test";
import {
  correlationPermutationTest, pairedPermutationTest, permutationTest, type PermutationResult,
} from "../../../src/core/stats/permutation";
import type { Alternative } from "../../../src/core/stats/sample";
import { close, reference } from "./reference";

type Case = { kind: PermutationResult["test"]; mode: string; x: number[]; y: number[]; statistic: number; nNull: number; nullQuantiles: number[]; "two-sided-doubled": number } & Record<Alternative, number>;
const ref = reference<{ cases: Case[] }>("permutation");
const QUANTILES = [0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975];
const ALTERNATIVES: Alternative[] = ["greater", "less", "two-sided"];
/** Cases our code runs by Monte Carlo (10,000 resamples) against scipy's exact or large-sample p. */
const monteCarlo = (c: Case) => c.mode === "exact-reference" || c.mode === "monte-carlo";
const run = { permutation: permutationTest, "paired-permutation": pairedPermutationTest, "correlation-permutation": correlationPermutationTest };

/** numpy's default (linear, "type 7") quantile. */
function quantile(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values).sort();
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
}

test("hand-enumerated exact cases: sign flips of [1,2,3] and splits of {3,4 | 1,2}", () => {
  // ±1±2±3 over 8 sign patterns: sums 6,4,2,0,0,−2,−4,−6; the observed is the largest.
  const paired = (alternative: Alternative) => pairedPermutationTest([1, 2, 3], [0, 0, 0], { alternative });
  assert.equal(paired("greater").p, 1 / 8);
  assert.equal(paired("two-sided").p, 2 / 8);
  assert.equal(paired("less").p, 1);
  assert.equal(paired("greater").exact, true);
  assert.equal(paired("greater").nResamples, 8);
  // Six ways to pick 2 of {3,4,1,2} for x: mean differences 2,1,0,0,−1,−2; observed 2.
  const two = (alternative: Alternative) => permutationTest([3, 4], [1, 2], { alternative });
  assert.equal(two("greater").p, 1 / 6);
  assert.equal(two("two-sided").p, 2 / 6);
  assert.deepEqual(Array.from(two("greater").null).sort((a, b) => a - b), [-2, -1, 0, 0, 1, 2]);
  // Perfect rank agreement of 4 pairs: only the identity of 4! orders reaches r = 1.
  assert.equal(correlationPermutationTest([1, 2, 3, 4], [10, 20, 30, 40], { alternative: "greater" }).p, 1 / 24);
});

test("exact tests equal scipy.stats.permutation_test exactly (same enumeration)", () => {
  for (const c of ref.cases.filter((c) => c.mode === "exact")) {
    for (const alternative of ALTERNATIVES) {
      const got = run[c.kind](c.x, c.y, { alternative });
      assert.equal(got.exact, true);
      assert.equal(got.nResamples, c.nNull);
      close(got.statistic, c.statistic, 1e-12, 1e-14, `${c.kind} statistic`);
      close(got.p, c[alternative], 1e-12, 0, `${c.kind} ${alternative} p`);
    }
    const nul = run[c.kind](c.x, c.y).null;
    QUANTILES.forEach((q, i) => close(quantile(nul, q), c.nullQuantiles[i], 1e-10, 1e-12, `${c.kind} null quantile ${q}`));
  }
});

test("two-sided conventions: `absolute` (|T*| ≥ |T|) and `doubled` (scipy's own two-sided) equal scipy exactly", () => {
  const exact = ref.cases.filter((c) => c.mode === "exact" || c.mode === "exact-skewed");
  for (const c of exact) {
    const absolute = run[c.kind](c.x, c.y);
    assert.equal(absolute.twoSided, "absolute");
    close(absolute.p, c["two-sided"], 1e-12, 0, `${c.kind} absolute`);
    const doubled = run[c.kind](c.x, c.y, { twoSided: "doubled" });
    assert.equal(doubled.twoSided, "doubled");
    close(doubled.p, c["two-sided-doubled"], 1e-12, 0, `${c.kind} doubled`);
  }
  // Skewed exact nulls (unequal groups of skewed values): the conventions differ, once across α = 0.05.
  const skewed = ref.cases.filter((c) => c.mode === "exact-skewed");
  assert.equal(skewed.length, 21);
  assert.equal(skewed.filter((c) => Math.abs(c["two-sided"] - c["two-sided-doubled"]) > 1e-12).length, 21);
  assert.equal(skewed.filter((c) => c["two-sided"] < 0.05 !== c["two-sided-doubled"] < 0.05).length, 1);
  // One-sided tests have no two-sided convention.
  assert.equal(permutationTest([3, 4], [1, 2], { alternative: "greater" }).twoSided, undefined);
  assert.throws(() => permutationTest([3, 4], [1, 2], { twoSided: "both" as never }), /twoSided must be absolute or doubled/);
});

test("Monte Carlo p-values agree with scipy's exact or large-sample p within Monte Carlo error", () => {
  for (const c of ref.cases.filter(monteCarlo)) {
    for (const alternative of ALTERNATIVES) {
      const got = run[c.kind](c.x, c.y, { alternative, seed: 3 });
      assert.equal(got.exact, false);
      assert.equal(got.nResamples, 10_000);
      const p = c[alternative];
      const refVar = c.mode === "exact-reference" ? 0 : (p * (1 - p)) / c.nNull;
      const tol = 4.5 * Math.sqrt((p * (1 - p)) / 10_001 + refVar) + 1 / 10_001;
      assert.ok(Math.abs(got.p - p) <= tol, `${c.kind} ${alternative}: ours ${got.p}, scipy ${p}, tol ${tol}`);
    }
    // Doubled: twice a one-sided Monte Carlo p, so twice its error.
    const doubled = run[c.kind](c.x, c.y, { twoSided: "doubled", seed: 3 }).p;
    const p = c["two-sided-doubled"];
    const tol = 2 * (4.5 * Math.sqrt((p * (1 - p)) / 10_001 + (c.mode === "exact-reference" ? 0 : (p * (1 - p)) / c.nNull)) + 1 / 10_001);
    assert.ok(Math.abs(doubled - p) <= tol, `${c.kind} doubled: ours ${doubled}, scipy ${p}, tol ${tol}`);
  }
});

test("a larger first group (the complement is drawn) gives the mirrored p", () => {
  const c = ref.cases.find((c) => c.mode === "monte-carlo" && c.kind === "permutation" && c.x.length < c.y.length)!;
  const swapped = permutationTest(c.y, c.x, { alternative: "greater", seed: 5 });
  const p = c.less; // greater for (y, x) is less for (x, y)
  const tol = 4.5 * Math.sqrt((p * (1 - p)) / 10_001 + (p * (1 - p)) / c.nNull) + 1 / 10_001;
  assert.ok(Math.abs(swapped.p - p) <= tol, `ours ${swapped.p}, scipy ${p}`);
  close(swapped.statistic, -c.statistic, 1e-12, 1e-14, "statistic");
});

test("the Monte Carlo null distribution matches scipy's: its CDF at scipy's null quantiles", () => {
  for (const c of ref.cases.filter(monteCarlo)) {
    const nul = run[c.kind](c.x, c.y, { seed: 4 }).null;
    QUANTILES.forEach((q, i) => {
      let below = 0;
      for (const v of nul) if (v <= c.nullQuantiles[i]) below++;
      const tol = 4.5 * Math.sqrt(q * (1 - q) * (1 / nul.length + 1 / c.nNull)) + 0.01; // + atoms of a discrete null
      assert.ok(Math.abs(below / nul.length - q) <= tol, `${c.kind} CDF at q${q}: ${below / nul.length}`);
    });
  }
});

test("forcing Monte Carlo on an enumerable case reproduces the exact p within Monte Carlo error", () => {
  const c = ref.cases.find((c) => c.mode === "exact" && c.kind === "permutation")!;
  const exact = permutationTest(c.x, c.y, { alternative: "greater" }).p;
  const mc = permutationTest(c.x, c.y, { alternative: "greater", exact: false, nResamples: 20_000, seed: 9 });
  assert.equal(mc.exact, false);
  assert.ok(Math.abs(mc.p - exact) < 4.5 * Math.sqrt((exact * (1 - exact)) / 20_000) + 1e-4, `${mc.p} vs ${exact}`);
});

test("Monte Carlo p is (k+1)/(n+1): never 0, and 1/(n+1) when nothing is as extreme", () => {
  const x = Array.from({ length: 40 }, (_, i) => 10 + i * 0.01);
  const y = Array.from({ length: 40 }, (_, i) => i * 0.01);
  const r = permutationTest(x, y, { alternative: "greater", nResamples: 999 });
  assert.equal(r.p, 1 / 1000);
  assert.equal(pairedPermutationTest(x, y, { alternative: "greater", nResamples: 999 }).p, 1 / 1000);
});

test("under the null, p-values are (super-)uniform: P(p ≤ 0.1) ≈ 0.1", () => {
  let rejections = 0;
  const trials = 300;
  for (let t = 0; t < trials; t++) {
    const x = Array.from({ length: 12 }, (_, i) => Math.sin(t * 31 + i * 7.3) * 3);
    const y = Array.from({ length: 12 }, (_, i) => Math.cos(t * 17 + i * 5.1) * 3);
    if (permutationTest(x, y, { nResamples: 199, seed: t, exact: false }).p <= 0.1) rejections++;
  }
  // Binomial(300, 0.1): mean 30, sd 5.2.
  assert.ok(rejections <= 30 + 4 * 5.2, `${rejections} rejections`);
});

test("same seed, same result; different seed, different null; tests do not mutate inputs", () => {
  const c = ref.cases.find((c) => c.mode === "monte-carlo")!;
  const x = c.x.slice(), y = c.y.slice();
  const a = run[c.kind](x, y, { seed: 42 });
  const b = run[c.kind](x, y, { seed: 42 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(run[c.kind](x, y, { seed: 43 }).null, a.null);
  assert.deepEqual(x, c.x);
  assert.deepEqual(y, c.y);
});
