import assert from "node:assert/strict";
import { test } from "node:test";
import { bootstrap, type BootstrapMethod, type Statistic } from "../../../src/core/stats/bootstrap";
import { mean, variance, type Alternative } from "../../../src/core/stats/sample";
import { close, reference } from "./reference";

type Case = {
  statistic: string; samples: number[][]; paired: boolean; method: BootstrapMethod; alternative: Alternative;
  confidenceLevel: number; ci: [number, number]; ciSd: [number, number]; standardError: number;
};
const ref = reference<{ cases: Case[] }>("bootstrap");
const STATISTICS: Record<string, Statistic> = {
  mean: (x) => mean(x),
  sd: (x) => Math.sqrt(variance(x)),
  "mean-difference": (x, y) => mean(x) - mean(y),
  "paired-mean-difference": (x, y) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] - y[i];
    return s / x.length;
  },
};

test("percentile, basic and BCa intervals match scipy.stats.bootstrap within Monte Carlo error", () => {
  for (const c of ref.cases) {
    const what = `${c.statistic} ${c.method} ${c.alternative}`;
    const got = bootstrap(c.samples, STATISTICS[c.statistic], {
      method: c.method, alternative: c.alternative, confidenceLevel: c.confidenceLevel, paired: c.paired, seed: 1,
    });
    assert.equal(got.nResamples, 9_999);
    for (const end of [0, 1]) {
      if (!Number.isFinite(c.ci[end])) {
        assert.equal(got.ci[end], c.ci[end], `${what}: the open end`);
        continue;
      }
      // 6 sd of scipy's own run-to-run spread (estimated from 12 runs), plus 0.5% of the width.
      const tol = 6 * c.ciSd[end] + 0.005 * got.standardError;
      assert.ok(Math.abs(got.ci[end] - c.ci[end]) <= tol, `${what} end ${end}: ours ${got.ci[end]}, scipy ${c.ci[end]}, tol ${tol}`);
    }
    close(got.standardError, c.standardError, 0.05, 0, `${what} standard error`);
  }
});

test("BCa acceleration of the mean equals its closed form Σd³ / (6 (Σd²)^{3/2})", () => {
  const x = ref.cases[0].samples[0];
  const m = mean(x);
  let s2 = 0, s3 = 0;
  for (const v of x) {
    s2 += (v - m) ** 2;
    s3 += (v - m) ** 3;
  }
  const got = bootstrap([x], STATISTICS.mean, { nResamples: 99 });
  close(got.bca!.acceleration, s3 / (6 * s2 ** 1.5), 1e-10, 1e-15, "acceleration");
});

test("BCa reduces to the percentile interval when bias and acceleration vanish (symmetric data)", () => {
  const x = [-3, -2, -1, 0, 1, 2, 3]; // jackknife skewness is exactly 0
  const bca = bootstrap([x], STATISTICS.mean, { seed: 5 });
  const pct = bootstrap([x], STATISTICS.mean, { seed: 5, method: "percentile" });
  assert.equal(bca.bca!.acceleration, 0);
  // z₀ is the mean-rank of 0 in a near-symmetric bootstrap distribution: small.
  assert.ok(Math.abs(bca.bca!.biasCorrection) < 0.05);
  assert.ok(Math.abs(bca.ci[0] - pct.ci[0]) < 0.05 && Math.abs(bca.ci[1] - pct.ci[1]) < 0.05);
});

test("reproducible given the seed, different across seeds, inputs untouched", () => {
  const c = ref.cases[4];
  const copy = c.samples.map((s) => s.slice());
  const a = bootstrap(copy, STATISTICS[c.statistic], { seed: 7 });
  assert.deepEqual(bootstrap(copy, STATISTICS[c.statistic], { seed: 7 }), a);
  assert.notDeepEqual(bootstrap(copy, STATISTICS[c.statistic], { seed: 8 }).ci, a.ci);
  assert.deepEqual(copy, c.samples);
});

test("coverage: the 90% percentile interval of a normal mean covers the truth about 90% of the time", () => {
  let covered = 0;
  const trials = 200;
  for (let t = 0; t < trials; t++) {
    // Deterministic pseudo-normal data (sums of uniforms from a different generator than the bootstrap's).
    let state = t * 7919 + 1;
    const u = () => ((state = (state * 48271) % 2147483647) / 2147483647);
    const x = Array.from({ length: 40 }, () => u() + u() + u() + u() - 2);
    const { ci } = bootstrap([x], STATISTICS.mean, { method: "percentile", confidenceLevel: 0.9, nResamples: 499, seed: t });
    if (ci[0] <= 0 && 0 <= ci[1]) covered++;
  }
  // Binomial(200, 0.9): sd 4.2; bootstrap percentile intervals under-cover slightly at n = 40.
  assert.ok(covered >= 180 - 4 * 4.2 - 4 && covered <= 180 + 4 * 4.2, `${covered}/200 covered`);
});

test("invalid input is reported with a kind", () => {
  assert.throws(() => bootstrap([[1, 2, 3], [1, 2]], STATISTICS["paired-mean-difference"], { paired: true }), /equal-length/);
  assert.throws(() => bootstrap([[1]], STATISTICS.mean), /at least 2/);
  assert.throws(() => bootstrap([[1, 2, 3]], STATISTICS.mean, { method: "studentized" as BootstrapMethod }), /method/);
});
