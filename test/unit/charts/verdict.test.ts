// The verdict in words: the text fallback and the phrases the card reuses.
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeEffect, describeTest, formatNumber, formatP, thresholdRelation, verdictName, verdictText } from "../../../src/core/charts";
import { verdict } from "./examples";

test("the text fallback carries the hypothesis, the word, the test, the effect and the reason", () => {
  assert.equal(
    verdictText(verdict),
    [
      "H1: FALSIFIED — Ablating the 10 most selective units hurts accuracy more than random units.",
      "test: permutation (greater): statistic 0.0123, p = 0.41, α = 0.05, n = 1 vs 1000",
      "effect: accuracy drop difference = 0.004, 95% CI [-0.01, 0.018], threshold 0.02: the interval lies below the threshold",
      verdict.reason,
    ].join("\n"),
  );
});

test("a labelled test of a hypothesis is named by both, in the text as on the card", () => {
  const labelled = { ...verdict, label: "Integrated Gradients" };
  assert.equal(verdictName(labelled), "H1 (Integrated Gradients)");
  assert.equal(verdictName(verdict), "H1");
  assert.match(verdictText(labelled), /^H1 \(Integrated Gradients\): FALSIFIED — /);
});

test("the interval is placed against the threshold", () => {
  const at = (ci: [number, number], threshold?: number) => thresholdRelation({ ...verdict, effect: { ...verdict.effect, ci, threshold } });
  assert.equal(at([0.03, 0.05], 0.02), "the interval lies above the threshold");
  assert.equal(at([0.01, 0.05], 0.02), "the interval contains the threshold");
  assert.equal(at([0.01, 0.05]), "no threshold declared");
  assert.equal(describeEffect({ ...verdict, alpha: 0.01, effect: { name: "d", estimate: 1, ci: [0.5, 1.5] } }), "d = 1, 99% CI [0.5, 1.5]");
});

test("the interval's own level, the standardized effect and a correction are shown when the verdict has them", () => {
  const corrected = { ...verdict, effect: { ...verdict.effect, level: 0.9 }, standardized: { name: "Cohen's d", estimate: 0.2 }, correction: { method: "bh", rawP: 0.1, tests: 4 } };
  assert.match(describeEffect(corrected), /= 0\.004, 90% CI \[-0\.01, 0\.018\] \(Cohen's d = 0\.2\)/);
  assert.match(describeTest(corrected), /p = 0\.41 \(bh-adjusted over 4 tests; unadjusted p = 0\.1\)/);
});

test("numbers are written at three significant digits, tiny p-values as a bound", () => {
  assert.deepEqual([0.123456, 1234.5, -0.5, 0, 2e-5, 3e7].map(formatNumber), ["0.123", "1230", "-0.5", "0", "2.00e-5", "3.00e+7"]);
  assert.equal(formatP(0.0004), "p < 0.001");
  assert.equal(formatP(0.0312), "p = 0.0312");
});
