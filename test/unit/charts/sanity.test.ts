// Charts from a sanity-check report: the right example, controls and similarities land in the grid,
// and the over-all-examples view counts as a distribution with the controls as its baselines.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as charts from "../../../src/core/charts";
import { chartMeta } from "../../../src/core/display";
import { sanityReport } from "./examples";

test("the grid draws the chosen example with its controls' similarities, |ρ| by default", () => {
  const spec = charts.sanityGrid(sanityReport, { example: 1 }) as { concat: { title: { text: string[] } }[]; datasets: Record<string, { pixel?: number; attribution?: number }[]> };
  assert.deepEqual(
    spec.concat.map((panel) => panel.title.text),
    ["input", ["gradient", "trained model"], ["cascading: to logits", "ρ = 0.8 · SSIM = 0.4"], ["cascading: to conv1", "⚠ ρ undefined (constant map)"], ["independent: conv1", "ρ = 0.35 · SSIM = 0.2"], ["edge detector", "ρ = 0.65 · SSIM = 0.35"]],
  );
  assert.deepEqual(spec.datasets.image.map((cell) => cell.pixel), sanityReport.images[1].flat());
  assert.deepEqual(spec.datasets.method.map((cell) => cell.attribution), sanityReport.maps[1].flat());
  assert.deepEqual(chartMeta(spec)?.baselines, ["cascading randomisation: logits", "cascading randomisation: conv1", "independent randomisation: conv1", "edge detector"]);
});

test("signed rank correlation and no independent panels on request", () => {
  const spec = charts.sanityGrid(sanityReport, { rank: "spearman", withoutIndependent: true }) as { concat: { title: { text: string[] } }[] };
  assert.deepEqual(spec.concat.slice(1).map((panel) => panel.title.text[1]), ["trained model", "ρ = 0.7 · SSIM = 0.5", "ρ = 0.1 · SSIM = 0.1", "ρ = 0.5 · SSIM = 0.3"]);
});

test("an example outside the report is refused", () => {
  assert.throws(() => charts.sanityGrid(sanityReport, { example: 2 }), /example 2 is not in the report: pick 0 to 1/);
});

test("the similarity view has one tick per finite value and the mean per control", () => {
  const spec = charts.sanitySimilarity(sanityReport) as { layer: { data: { values: { control: string; value?: number; mean?: number }[] } }[] };
  assert.equal(spec.layer[0].data.values.length, 7, "8 values, one NaN left out");
  assert.deepEqual(spec.layer[1].data.values.map((row) => Number(row.mean?.toFixed(12))), [0.85, 0.2, 0.325, 0.625]);
  assert.deepEqual(chartMeta(spec), { chart: "sanity-similarity", baselines: sanityReport.controls.map((c) => c.label), statistic: "spearmanAbs", distribution: true });
  assert.throws(() => charts.sanitySimilarity(sanityReport, { measure: "hog" }), /no "hog" similarity for cascading-1, .*pick a measure the report has \(spearmanAbs, spearman, ssim\)/);
});
