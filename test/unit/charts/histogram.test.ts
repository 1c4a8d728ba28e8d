// Binning, density and ranks checked against closed forms and invariants.
import assert from "node:assert/strict";
import { test } from "node:test";
import { histogram, kernelDensity, percentileRank, randomBand } from "../../../src/core/charts";

test("bins cover the extent in equal widths and count every value once, the maximum in the last bin", () => {
  const bins = histogram([0, 1, 1, 2, 3, 4], { bins: 4 });
  assert.deepEqual(bins.map((b) => [b.start, b.end, b.count]), [[0, 1, 1], [1, 2, 2], [2, 3, 1], [3, 4, 2]]);
});

test("densities integrate to one", () => {
  const values = Array.from({ length: 997 }, (_, i) => Math.sin(i) * 3 + (i % 7));
  const total = histogram(values).reduce((sum, bin) => sum + bin.density * (bin.end - bin.start), 0);
  assert.ok(Math.abs(total - 1) < 1e-12, `integral ${total}`);
});

test("values outside a given extent are left out, not piled into the edge bins", () => {
  const bins = histogram([-5, 0.5, 1.5, 99], { bins: 2, extent: [0, 2] });
  assert.deepEqual(bins.map((b) => b.count), [1, 1]);
});

test("Sturges' rule picks the default bin count", () => {
  assert.equal(histogram(Array.from({ length: 1000 }, (_, i) => i)).length, 11); // ceil(log2 1000 + 1)
});

test("a constant quantity still gets a bin around it", () => {
  const bins = histogram([2, 2, 2], { bins: 1 });
  assert.deepEqual([bins[0].start, bins[0].end, bins[0].count], [1.5, 2.5, 3]);
});

test("the KDE of one point is the normal density with the bandwidth as its sd", () => {
  const curve = kernelDensity([1], { bandwidth: 0.5, points: 5, extent: [0, 2] });
  const normal = (x: number) => Math.exp(-0.5 * ((x - 1) / 0.5) ** 2) / (0.5 * Math.sqrt(2 * Math.PI));
  for (const { x, density } of curve) assert.ok(Math.abs(density - normal(x)) < 1e-12, `x=${x}`);
});

test("the random band's interval interpolates between order statistics as numpy does by default", () => {
  // numpy.quantile([1, 2, 3, 4], [0.1, 0.9]) == [1.3, 3.7]; [0, 1] == [1, 4]
  const band = (level: number) => randomBand([[4], [2], [1], [3]], level);
  assert.deepEqual([band(0.8).lower[0], band(0.8).upper[0]].map((v) => Number(v.toFixed(12))), [1.3, 3.7]);
  assert.deepEqual([band(1).lower[0], band(1).upper[0]], [1, 4]);
});

test("percentile rank is the share at or below", () => {
  assert.equal(percentileRank([1, 2, 3, 4], 2), 0.5);
  assert.equal(percentileRank([1, 2, 3, 4], 0), 0);
});
