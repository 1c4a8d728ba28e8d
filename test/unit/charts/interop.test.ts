// What interp computes goes into the chart builders as is: these assignments stop type-checking if
// the two areas drift apart; the probe adapter is checked on values.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as charts from "../../../src/core/charts";
import { chartMeta } from "../../../src/core/display";
import type { ClassSelectivity, CumulativeAblation, ProbeWithControl, SanityReport } from "../../../src/core/interp";

export const fits = {
  sanity: (report: SanityReport): charts.SanityReportLike => report,
  ablation: (result: CumulativeAblation): charts.AblationCurvesInput => result,
  selectivity: (result: ClassSelectivity & { layer: string }): charts.LayerSelectivity => result,
  probe: (result: ProbeWithControl, layer: string): charts.LayerProbe => ({ layer, ...result }),
};

test("per-layer probe results become the probe chart: held-out accuracies, majority baseline as chance", () => {
  const probe = (task: number, control: number, majority: number) => ({ task: { testAccuracy: task, majorityBaseline: majority }, control: { testAccuracy: control } });
  const fromProbes = charts.probeAccuracy([
    { layer: "l1", ...probe(0.7, 0.5, 0.2) },
    { layer: "l2", ...probe(0.9, 0.6, 0.2) },
  ]);
  const fromSeries = charts.probeAccuracy({ layers: ["l1", "l2"], accuracy: [0.7, 0.9], control: [0.5, 0.6], chance: 0.2 });
  assert.deepEqual(fromProbes, fromSeries);
  assert.deepEqual(chartMeta(fromProbes)?.baselines, ["control task", "chance"]);
  assert.throws(() => charts.probeAccuracy([]), /at least one layer's probe/);
});

test("the ablated layer names the ablation chart", () => {
  const spec = charts.ablationCurves({ layer: "conv2", unitsAblated: [0, 1], curves: [{ order: "high first", accuracy: [1, 0.5] }], random: { mean: [1, 0.9], lower: [1, 0.8], upper: [1, 1], level: 0.95 } });
  assert.equal(spec.title, "accuracy as units of conv2 are ablated, by order vs random orders");
});
