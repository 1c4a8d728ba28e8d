import assert from "node:assert/strict";
import { test } from "node:test";
import { binomialPmf, binomialTest, clopperPearson } from "../../../src/core/stats/binomial";
import { StatsError } from "../../../src/core/stats/sample";
import { close, reference } from "./reference";

const { cases } = reference("binomial");

test("p-values and Clopper–Pearson intervals match scipy.stats.binomtest for every alternative", () => {
  for (const c of cases) {
    for (const alternative of ["two-sided", "greater", "less"] as const) {
      const r = binomialTest(c.k, c.n, { p: c.p, alternative, confidenceLevel: 0.9 });
      const what = `k=${c.k} n=${c.n} p=${c.p} ${alternative}`;
      close(r.p, c[alternative].p, 1e-10, 1e-14, `${what} p`);
      close(r.ci[0], c[alternative].ci90[0], 1e-9, 1e-14, `${what} ci low`);
      close(r.ci[1], c[alternative].ci90[1], 1e-9, 1e-14, `${what} ci high`);
    }
  }
});

test("closed forms: the pmf sums to 1; k = 0 of n at p = 1/2 has two-sided p = 2·0.5ⁿ and an interval [0, 1 − (α/2)^(1/n)]", () => {
  let total = 0;
  for (let k = 0; k <= 30; k++) total += binomialPmf(k, 30, 0.3);
  assert.ok(Math.abs(total - 1) < 1e-12);
  assert.ok(Math.abs(binomialTest(0, 12).p - 2 * 0.5 ** 12) < 1e-15);
  const [lo, hi] = clopperPearson(0, 12, 0.95);
  assert.equal(lo, 0);
  assert.ok(Math.abs(hi - (1 - 0.025 ** (1 / 12))) < 1e-12);
});

test("bad input is a StatsError saying what to change", () => {
  const kind = (k: string) => (e: StatsError) => e instanceof StatsError && e.kind === k;
  assert.throws(() => binomialTest(11, 10), kind("invalid-argument"));
  assert.throws(() => binomialTest(1.5, 10), kind("invalid-argument"));
  assert.throws(() => binomialTest(1, 10, { p: 1 }), kind("invalid-argument"));
});
