// What the Falsifiability panel reads from a hypothesis' verdicts: one row per labelled test under
// the declared correction, and a combined reading that says when the tests disagree.
import assert from "node:assert/strict";
import { test } from "node:test";
import { adjustPValues, createRng } from "../../../src/core/stats";
import { correctVerdicts, readVerdicts, verdict, type HypothesisLike } from "../../../src/core/verdict";

function normal(seed: number, n: number, mu: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => mu + rng.normal());
}
const H1: HypothesisLike = { id: "H1", test: { kind: "welch-t", alternative: "greater", alpha: 0.05, minEffect: 0.2 } };
const tested = (label: string | undefined, shift: number, seed: number) => verdict(H1, normal(seed, 40, shift), normal(seed + 100, 40, 0), { label });

test("three labelled tests under the declared Holm correction: a row each, adjusted together, read as mixed", () => {
  const raw = [tested("gradient", 1.5, 1), tested("SmoothGrad", 1.2, 2), tested("Integrated Gradients", 0, 3)];
  const reading = readVerdicts(raw, "holm");
  assert.deepEqual(reading.tests.map((v) => v.label), ["gradient", "SmoothGrad", "Integrated Gradients"]);
  assert.deepEqual(reading.tests.map((v) => v.p), adjustPValues(raw.map((v) => v.p), "holm"));
  assert.ok(reading.tests.every((v) => v.correction?.method === "holm" && v.correction.tests === 3));
  const words = reading.tests.map((v) => v.verdict);
  assert.equal(words[0], "supported");
  assert.notEqual(words[2], "supported");
  assert.equal(reading.overall, "mixed");
  assert.match(reading.summary, /^2 supported, 1 (falsified|inconclusive) of 3 tests \(holm-adjusted\)$/);
  assert.deepEqual(readVerdicts(correctVerdicts(raw, "holm"), "holm"), reading, "verdicts a cell already corrected read the same");
});

test("a re-run test keeps its row with its newest verdict; a lone test reads as its own word", () => {
  const first = tested("gradient", 0, 4);
  const again = tested("gradient", 1.5, 5);
  const reading = readVerdicts([first, tested("SmoothGrad", 1.5, 6), again], "holm");
  assert.deepEqual(reading.tests.map((v) => v.label), ["gradient", "SmoothGrad"]);
  assert.equal(reading.tests[0].correction?.rawP, again.p);
  assert.equal(reading.overall, "supported");
  const lone = readVerdicts([tested(undefined, 1.5, 7)]);
  assert.deepEqual([lone.tests.length, lone.overall, lone.summary], [1, "supported", "supported"]);
  assert.equal(lone.tests[0].correction, undefined, "one test is not corrected");
  assert.deepEqual(readVerdicts([]), { tests: [], summary: "none yet" });
});

test("several tests without a declared correction are shown raw and said to be uncorrected", () => {
  const raw = [tested("layer 1", 1.5, 8), tested("layer 2", 1.5, 9)];
  const reading = readVerdicts(raw);
  assert.deepEqual(reading.tests, raw);
  assert.equal(reading.summary, "2 supported of 2 tests (no correction declared)");
  assert.equal(readVerdicts(raw, "none").summary, "2 supported of 2 tests (uncorrected, as declared)");
});

test("a test without a p-value (undefined values, or null read from a file) or with a broken one stays as it is; the others are corrected", () => {
  const raw = [tested("a", 1.5, 10), tested("b", 1.5, 11), { ...tested("c", 1.5, 12), p: null as unknown as number, verdict: "inconclusive" as const }, { ...tested("d", 1.5, 13), p: 7 }];
  const reading = readVerdicts(raw, "bonferroni");
  assert.deepEqual(reading.tests.map((v) => v.correction?.tests), [2, 2, undefined, undefined]);
  assert.equal(reading.tests[2], raw[2]);
  assert.equal(reading.tests[3], raw[3], "a p that is no probability (hand-edited file) is shown, not corrected, never thrown on");
});
