import assert from "node:assert/strict";
import { test } from "node:test";
import { isVerdict, type Verdict } from "../../../src/core/display";
import { parseHypothesis, TEST_KINDS } from "../../../src/core/hypothesis";
import {
  adjustPValues, cohensD, cohensDz, createRng, pairedPermutationTest, pearson, permutationTest, spearman, welchTTest,
} from "../../../src/core/stats";
import { correctVerdicts, setHypothesisLookup, verdict, VerdictError, type HypothesisLike, type TestSpec } from "../../../src/core/verdict";

function normal(seed: number, n: number, mu = 0, sd = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => mu + sd * rng.normal());
}
const H = (test: TestSpec): HypothesisLike => ({ id: "H1", claim: "Ablating the selective units hurts accuracy", test });

test("a clear effect in the predicted direction, CI beyond the minimum effect: supported (Welch numbers passed through)", () => {
  const obs = normal(1, 60, 1), base = normal(2, 60, 0);
  const v = verdict(H({ kind: "welch-t", alternative: "greater", alpha: 0.05, minEffect: 0.3 }), obs, base);
  assert.equal(v.verdict, "supported", v.reason);
  const t = welchTTest(obs, base, { alternative: "greater" });
  assert.equal(v.p, t.p);
  assert.equal(v.statistic, t.statistic);
  assert.deepEqual(v.effect.ci, welchTTest(obs, base, { confidenceLevel: 0.9 }).ci);
  assert.equal(v.effect.level, 0.9);
  assert.equal(v.effect.threshold, 0.3);
  assert.ok(v.effect.ci[0] > 0.3);
  assert.deepEqual(v.standardized, { name: "Cohen's d", estimate: cohensD(obs, base) });
  assert.deepEqual(v.n, { observed: 60, baseline: 60 });
  assert.equal(v.claim, "Ablating the selective units hurts accuracy");
  assert.ok(isVerdict(v));
  assert.deepEqual(JSON.parse(JSON.stringify(v)), v, "a verdict is plain JSON (no infinities)");
});

test("a significant effect in the opposite direction: falsified, even with no minimum effect", () => {
  const v = verdict(H({ kind: "welch-t", alternative: "greater" }), normal(3, 40, -1), normal(4, 40, 0));
  assert.equal(v.verdict, "falsified", v.reason);
  assert.ok(v.effect.ci[1] < 0);
  assert.ok(v.p > 0.99);
});

test("no effect, a declared minimum effect and enough data: the CI rules it out, falsified", () => {
  const v = verdict(H({ kind: "student-t", alternative: "greater", minEffect: 0.5 }), normal(5, 400), normal(6, 400));
  assert.equal(v.verdict, "falsified", v.reason);
  assert.ok(v.effect.ci[1] < 0.5);
});

test("no effect without a minimum effect, or too little data: inconclusive, with the reason saying why", () => {
  const none = verdict(H({ kind: "welch-t", alternative: "greater" }), normal(5, 400), normal(6, 400));
  assert.equal(none.verdict, "inconclusive", none.reason);
  const tiny = verdict(H({ kind: "welch-t", alternative: "greater", minEffect: 0.2 }), normal(7, 5, 0.3), normal(8, 5));
  assert.equal(tiny.verdict, "inconclusive", tiny.reason);
  assert.match(tiny.reason, /still allows effects above 0\.2/);
});

test("significant, but the CI still reaches below the minimum effect: inconclusive, not supported", () => {
  const v = verdict(H({ kind: "welch-t", alternative: "greater", minEffect: 0.45 }), normal(9, 100, 0.5), normal(10, 100));
  assert.ok(v.p < 0.05);
  assert.ok(v.effect.ci[0] < 0.45 && v.effect.estimate > 0);
  assert.equal(v.verdict, "inconclusive", v.reason);
});

test("`less` mirrors `greater`: the threshold is signed, the predicted side is below", () => {
  const obs = normal(11, 60, -1), base = normal(12, 60);
  const v = verdict(H({ kind: "welch-t", alternative: "less", minEffect: 0.3 }), obs, base);
  assert.equal(v.verdict, "supported", v.reason);
  assert.equal(v.effect.threshold, -0.3);
  const mirrored = verdict(H({ kind: "welch-t", alternative: "greater", minEffect: 0.3 }), base, obs);
  assert.equal(mirrored.p, v.p);
  assert.equal(verdict(H({ kind: "welch-t", alternative: "less" }), base, obs).verdict, "falsified");
});

test("two-sided: significant either way is supported; equivalence within ±minEffect is falsified", () => {
  assert.equal(verdict(H({ kind: "welch-t" }), normal(13, 50, -1), normal(14, 50)).verdict, "supported");
  const eq = verdict(H({ kind: "welch-t", minEffect: 0.4 }), normal(15, 500), normal(16, 500));
  assert.equal(eq.verdict, "falsified", eq.reason);
  assert.equal(eq.effect.level, 0.95);
  assert.equal(verdict(H({ kind: "welch-t" }), normal(15, 500), normal(16, 500)).verdict, "inconclusive");
});

test("a two-sided permutation verdict names its p convention; `twoSided: doubled` uses scipy's", () => {
  // Unequal groups of skewed values: a skewed exact null, where the conventions differ (scipy-checked in stats/permutation.test.ts).
  const [observed, baseline] = [[2.1, 1.3, 3.9], [0.2, 1.1, 0.4, 0.1, 0.9, 0.3, 1.6, 0.5]];
  const absolute = verdict(H({ kind: "permutation" }), observed, baseline);
  assert.equal(absolute.twoSided, "absolute");
  assert.equal(absolute.p, permutationTest(observed, baseline).p);
  assert.match(absolute.reason, /^p = [0-9.]+ \(two-sided: share of resamples with \|T\*\| ≥ \|T\|\) [<≥] α = 0\.05/);
  const doubled = verdict(H({ kind: "permutation", twoSided: "doubled" }), observed, baseline);
  assert.equal(doubled.p, permutationTest(observed, baseline, { twoSided: "doubled" }).p);
  assert.notEqual(doubled.p, absolute.p);
  assert.match(doubled.reason, /\(two-sided: twice the smaller one-sided p, as scipy\)/);
  assert.equal(verdict(H({ kind: "permutation", alternative: "greater" }), observed, baseline).twoSided, undefined);
  assert.equal(verdict(H({ kind: "welch-t" }), observed, baseline).twoSided, undefined);
  // Declared in a hypothesis cell.
  const parsed = parseHypothesis("id: H1\nclaim: c\ntest:\n  kind: permutation\n  twoSided: doubled\n").hypothesis!;
  assert.equal(verdict(parsed, observed, baseline).p, doubled.p);
});

test("every declared test kind runs and reports the numbers of the underlying test", () => {
  const obs = normal(17, 30, 0.8), base = obs.map((v, i) => v - 0.8 + 0.5 * normal(18, 30)[i]);
  for (const kind of TEST_KINDS) {
    const v = verdict(H({ kind, alternative: "greater", alpha: 0.05 }), obs, base, { seed: 3 });
    assert.equal(v.test, kind);
    assert.ok(v.p >= 0 && v.p <= 1 && Number.isFinite(v.statistic), kind);
    assert.ok(v.effect.ci[0] <= v.effect.estimate && v.effect.estimate <= v.effect.ci[1], `${kind}: estimate inside its CI`);
  }
  const perm = verdict(H({ kind: "permutation", alternative: "greater" }), obs, base, { seed: 3 });
  assert.equal(perm.p, permutationTest(obs, base, { alternative: "greater", seed: 3 }).p);
  const paired = verdict(H({ kind: "paired-permutation", alternative: "greater" }), obs, base, { seed: 3 });
  assert.equal(paired.p, pairedPermutationTest(obs, base, { alternative: "greater", seed: 3 }).p);
  assert.equal(paired.standardized!.estimate, cohensDz(obs, base));
  assert.equal(paired.verdict, "supported", paired.reason);
  const r = verdict(H({ kind: "pearson", alternative: "greater" }), obs, base);
  assert.equal(r.p, pearson(obs, base, { alternative: "greater" }).p);
  assert.equal(r.effect.name, "Pearson r");
  assert.equal(verdict(H({ kind: "spearman", alternative: "greater" }), obs, base).statistic, spearman(obs, base).statistic);
});

test("resampling verdicts are reproducible given the seed", () => {
  const obs = normal(19, 25, 0.4), base = normal(20, 25);
  const h = H({ kind: "permutation", alternative: "greater" });
  assert.deepEqual(verdict(h, obs, base, { seed: 8 }), verdict(h, obs, base, { seed: 8 }));
  assert.notEqual(verdict(h, obs, base, { seed: 8 }).effect.ci[0], verdict(h, obs, base, { seed: 9 }).effect.ci[0]);
});

test("ids resolve through the installed lookup; the object form works; a parsed hypothesis cell works", () => {
  const parsed = parseHypothesis(
    "id: H7\nclaim: Edge detectors explain the saliency maps\nprediction: rho > 0.3\nnull: rho near 0\n" +
      "test:\n  kind: spearman\n  alternative: greater\n  alpha: 0.01\n  minEffect: 0.3\n",
  );
  assert.ok(parsed.hypothesis, JSON.stringify(parsed.errors));
  setHypothesisLookup((id) => (id === "H7" ? parsed.hypothesis : undefined));
  try {
    const x = normal(21, 200);
    const y = x.map((v, i) => v + 0.5 * normal(22, 200)[i]);
    const v = verdict("H7", { observed: x, baseline: y });
    assert.equal(v.hypothesis, "H7");
    assert.equal(v.test, "spearman");
    assert.equal(v.alpha, 0.01);
    assert.equal(v.verdict, "supported", v.reason);
    // Inline test fields override the declared ones.
    assert.equal(verdict("H7", x, y, { test: { alternative: "less" } }).verdict, "falsified");
    assert.throws(() => verdict("H8", x, y), (e) => e instanceof VerdictError && e.kind === "unknown-hypothesis");
    assert.equal(verdict("H8", x, y, { test: { kind: "pearson" } }).hypothesis, "H8");
  } finally {
    setHypothesisLookup(undefined);
  }
});

test("missing or unknown tests are VerdictErrors that say what to write", () => {
  const x = [1, 2, 3, 4], y = [2, 3, 4, 5];
  assert.throws(() => verdict({ id: "H2" }, x, y), (e) => e instanceof VerdictError && e.kind === "no-test" && /test: \{ kind/.test(e.message));
  assert.throws(() => verdict({ id: "H2", test: { kind: "anova" } }, x, y), (e) => e instanceof VerdictError && e.kind === "unknown-test");
  assert.throws(() => verdict(H({ kind: "welch-t", minEffect: -1 }), x, y), /magnitude/);
});

test("correctVerdicts adjusts p within each hypothesis (statsmodels-checked BH) and re-decides", () => {
  const vs: Verdict[] = [0.2, 0.4, 0.6, 0.8].map((mu, i) => verdict(H({ kind: "welch-t", alternative: "greater" }), normal(30 + i, 20, mu), normal(40 + i, 20)));
  vs.push(verdict({ id: "H9", test: { kind: "welch-t", alternative: "greater" } }, normal(50, 20, 0.5), normal(51, 20)));
  const corrected = correctVerdicts(vs);
  const expected = adjustPValues(vs.slice(0, 4).map((v) => v.p), "bh");
  corrected.slice(0, 4).forEach((v, i) => {
    assert.equal(v.p, expected[i]);
    assert.deepEqual(v.correction, { method: "bh", rawP: vs[i].p, tests: 4 });
    // No minimum effect, one-sided: supported exactly when the adjusted p clears alpha in the right direction.
    assert.equal(v.verdict === "supported", v.p < v.alpha && v.effect.estimate > 0);
  });
  assert.equal(corrected[4].p, vs[4].p, "a hypothesis tested once is its own family");
  // A raw p just under alpha among several tests no longer supports the claim.
  const marginal = { ...vs[0], p: 0.04, verdict: "supported" as const };
  const again = correctVerdicts([marginal, { ...marginal, p: 0.5 }, { ...marginal, p: 0.9 }]);
  assert.equal(again[0].verdict, "inconclusive");
  assert.deepEqual(correctVerdicts(again).map((v) => v.p), again.map((v) => v.p), "correcting twice starts from the raw p");
});

test("a constant baseline (chance level) works with every two-sample kind", () => {
  const accuracy = normal(60, 30, 0.3, 0.05);
  const chance = new Array(30).fill(0.1);
  for (const kind of ["welch-t", "student-t", "permutation", "paired-t", "paired-permutation"] as const) {
    const v = verdict(H({ kind, alternative: "greater", minEffect: 0.1 }), accuracy, chance);
    assert.equal(v.verdict, "supported", `${kind}: ${v.reason}`);
    assert.ok(Number.isFinite(v.effect.ci[0]) && Number.isFinite(v.effect.ci[1]), kind);
  }
  // Welch against a constant is the one-sample t-test of the difference: df = n − 1.
  const welch = welchTTest(accuracy, chance);
  assert.equal(welch.df, 29);
});

test("undefined values (NaN: a degenerate control's similarity) give an inconclusive verdict that says so, not an average of the rest", () => {
  const observed = [0.1, NaN, 0.2, NaN, 0.15, 0.12];
  const twin = [0.6, 0.7, 0.65, 0.62, 0.58, 0.61];
  const v = verdict(H({ kind: "paired-permutation", alternative: "less", minEffect: 0.1 }), observed, twin);
  assert.equal(v.verdict, "inconclusive");
  assert.deepEqual(v.undefinedValues, { observed: 2, baseline: 0 });
  assert.deepEqual(v.n, { observed: 4, baseline: 6 });
  assert.ok(Number.isNaN(v.p) && Number.isNaN(v.effect.estimate), "no test was run");
  assert.match(v.reason, /^2 of 6 observed values are undefined \(NaN\).*no test was run/);
  assert.equal(v.effect.threshold, -0.1);
  assert.equal(verdict(H({ kind: "paired-permutation" }), observed, twin, { label: "SmoothGrad" }).label, "SmoothGrad", "an undecided test still says which it is");
  assert.ok(isVerdict(v));
  // The same data without the NaNs would have been decided: the NaNs are what keeps it open.
  assert.equal(verdict(H({ kind: "welch-t", alternative: "less", minEffect: 0.1 }), [0.1, 0.2, 0.15, 0.12], twin).verdict, "supported");
  // Infinities are still refused (an error upstream, not an undefined measurement).
  assert.throws(() => verdict(H({ kind: "welch-t" }), [1, 2, Infinity], [1, 2, 3]), /non-finite|Infinity/);
  // Correcting a family leaves an untested verdict as it is and does not count it as a test.
  const tested = verdict(H({ kind: "welch-t", alternative: "less" }), normal(1, 20, -1), normal(2, 20));
  const [same, corrected] = correctVerdicts([v, tested], "holm");
  assert.deepEqual(same, v);
  assert.equal(corrected.correction?.tests, 1);
});

test("constant paired differences (a score that hits every time) get a point interval instead of a failed BCa", () => {
  const hits = new Array(12).fill(1);
  const chance = new Array(12).fill(0.25);
  const paired = verdict(H({ kind: "paired-permutation", alternative: "greater" }), hits, chance);
  assert.deepEqual(paired.effect.ci, [0.75, 0.75]);
  assert.equal(paired.p, 1 / 2 ** 12, "exact sign-flip p: only the observed signs reach 0.75");
  assert.equal(paired.verdict, "supported");
  const twoSample = verdict(H({ kind: "permutation", alternative: "greater" }), hits, chance);
  assert.deepEqual(twoSample.effect.ci, [0.75, 0.75]);
  // Equal values in both arms: no effect, and with a minimum effect the point interval rules it out.
  assert.equal(verdict(H({ kind: "paired-permutation", alternative: "greater", minEffect: 0.1 }), chance, chance).verdict, "falsified");
});
