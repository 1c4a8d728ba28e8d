// Ranks, correlations, t-tests, effect sizes and FDR against scipy / statsmodels / numpy values.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pearson, spearman } from "../../../src/core/stats/correlation";
import { cohensD, cohensDz } from "../../../src/core/stats/effect-size";
import { adjustPValues } from "../../../src/core/stats/multiple-comparisons";
import { rank } from "../../../src/core/stats/rank";
import { StatsError, type Alternative } from "../../../src/core/stats/sample";
import { pairedTTest, studentTTest, welchTTest } from "../../../src/core/stats/t-test";
import { close, reference } from "./reference";

type TRef = { statistic: number; df: number; p: number; ci: [number, number] };
const ref = reference<{
  rank: { x: number[]; ranks: number[] }[];
  correlation: ({ x: number[]; y: number[] } & Record<Alternative, { pearson: number[]; pearsonCi90: number[]; spearman: number[] }>)[];
  ttest: ({ x: number[]; y: number[]; cohensD: number; cohensDz?: number } & Record<Alternative, Record<string, TRef>>)[];
  statsmodelsTtest: { x: number[]; y: number[]; test: string; statistic: number; p: number; df: number }[];
  fdr: { p: number[]; bh: number[]; by: number[]; holm: number[]; bonferroni: number[] }[];
}>("classic");
const ALTERNATIVES: Alternative[] = ["two-sided", "greater", "less"];

test("rank gives average ranks for ties, like scipy.stats.rankdata", () => {
  for (const { x, ranks } of ref.rank) assert.deepEqual(Array.from(rank(x)), ranks);
});

test("pearson and spearman match scipy (r, p for all alternatives, Fisher CI)", () => {
  for (const c of ref.correlation) {
    for (const alternative of ALTERNATIVES) {
      const want = c[alternative];
      const p = pearson(c.x, c.y, { alternative, confidenceLevel: 0.9 });
      close(p.statistic, want.pearson[0], 1e-12, 1e-15, "pearson r");
      close(p.p, want.pearson[1], 1e-9, 1e-300, `pearson p (${alternative}, n=${c.x.length})`);
      close(p.ci[0], want.pearsonCi90[0], 1e-10, 1e-14, "pearson ci low");
      close(p.ci[1], want.pearsonCi90[1], 1e-10, 1e-14, "pearson ci high");
      const s = spearman(c.x, c.y, { alternative });
      close(s.statistic, want.spearman[0], 1e-12, 1e-15, "spearman rho");
      close(s.p, want.spearman[1], 1e-9, 1e-300, `spearman p (${alternative}, n=${c.x.length})`);
    }
  }
});

test("Student, Welch and paired t-tests match scipy: statistic, df, p and CI for every alternative", () => {
  const run = { "student-t": studentTTest, "welch-t": welchTTest, "paired-t": pairedTTest } as const;
  let checked = 0;
  for (const c of ref.ttest) {
    for (const alternative of ALTERNATIVES) {
      for (const [name, want] of Object.entries(c[alternative])) {
        const got = run[name as keyof typeof run](c.x, c.y, { alternative });
        const what = `${name} ${alternative} n=${c.x.length},${c.y.length}`;
        close(got.statistic, want.statistic, 1e-12, 1e-14, `${what} t`);
        close(got.df, want.df, 1e-12, 0, `${what} df`);
        close(got.p, want.p, 1e-10, 1e-300, `${what} p`);
        close(got.ci[0], want.ci[0], 1e-10, 1e-13, `${what} ci low`);
        close(got.ci[1], want.ci[1], 1e-10, 1e-13, `${what} ci high`);
        checked++;
      }
    }
  }
  assert.equal(checked, 5 * 3 * 2 + 3 * 3, "every reference case was compared");
});

test("t-tests also agree with statsmodels' independent implementation", () => {
  for (const c of ref.statsmodelsTtest) {
    const got = (c.test === "student-t" ? studentTTest : welchTTest)(c.x, c.y, { alternative: "greater" });
    close(got.statistic, c.statistic, 1e-12, 1e-14, `${c.test} t`);
    close(got.df, c.df, 1e-12, 0, `${c.test} df`);
    close(got.p, c.p, 1e-10, 1e-300, `${c.test} p`);
  }
});

test("Cohen's d (pooled SD) and d_z (paired) match their numpy definitions; d_z = t/√n", () => {
  for (const c of ref.ttest) {
    close(cohensD(c.x, c.y), c.cohensD, 1e-12, 1e-15, "d");
    if (c.cohensDz !== undefined) {
      close(cohensDz(c.x, c.y), c.cohensDz, 1e-12, 1e-15, "dz");
      close(cohensDz(c.x, c.y), pairedTTest(c.x, c.y).statistic / Math.sqrt(c.x.length), 1e-12, 1e-15, "dz = t/sqrt(n)");
    }
  }
});

test("Benjamini–Hochberg, Benjamini–Yekutieli, Holm and Bonferroni match statsmodels multipletests", () => {
  for (const c of ref.fdr) {
    for (const method of ["bh", "by", "holm", "bonferroni"] as const) {
      adjustPValues(c.p, method).forEach((v, i) => close(v, c[method][i], 1e-14, 1e-16, `${method}[${i}] of ${c.p}`));
    }
    assert.deepEqual(adjustPValues(c.p, "benjamini-hochberg"), adjustPValues(c.p, "bh"));
    assert.deepEqual(adjustPValues(c.p, "benjamini-yekutieli"), adjustPValues(c.p, "by"));
  }
  assert.deepEqual(adjustPValues([]), []);
});

test("bad input is a StatsError with a kind, not a silent NaN", () => {
  const kind = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof StatsError);
      return e.kind;
    }
    return "no error";
  };
  assert.equal(kind(() => welchTTest([1], [1, 2])), "too-few-values");
  assert.equal(kind(() => pairedTTest([1, 2, 3], [1, 2])), "length-mismatch");
  assert.equal(kind(() => pearson([1, 2, NaN], [1, 2, 3])), "non-finite");
  assert.equal(kind(() => pearson([1, 1, 1], [1, 2, 3])), "invalid-argument");
  assert.equal(kind(() => studentTTest([1, 2], [3, 4], { alternative: "bigger" as Alternative })), "invalid-argument");
  assert.equal(kind(() => adjustPValues([0.5, 1.5])), "invalid-argument");
});
