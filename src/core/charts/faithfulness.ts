// Deletion / insertion curves (interp's `deletionCurve`, `insertionCurve`): the target score as a
// growing fraction of the pixels is removed (inserted) in each method's order, against the band of
// random orders and the Sobel edge map's curve. A method's curve inside the band says its order is
// no better than chance at finding what the model uses.
import type { VegaLiteSpec } from "../display";
import type { FaithfulnessCurves } from "../interp/faithfulness";
import { curvesAgainstRandom } from "./ablation";
import { type ChartOptions, ChartError, formatNumber } from "./spec";

/** The parts of interp's `FaithfulnessCurves` the chart reads. */
export type FaithfulnessCurvesLike = Pick<FaithfulnessCurves, "kind" | "fractions" | "baseline"> & {
  method: Pick<FaithfulnessCurves["method"], "mean" | "auc">;
  random: Pick<FaithfulnessCurves["random"], "mean" | "lower" | "upper" | "orders" | "auc">;
  edgeDetector?: Pick<FaithfulnessCurves["method"], "mean" | "auc">;
  tests: { vsRandom: { p: number; effect: { estimate: number } } };
};

export interface FaithfulnessChartOptions extends ChartOptions {
  /** y axis title. Default "target score". */
  metric?: string;
  width?: number;
  height?: number;
}

/**
 * The mean curve of one method (or of several named ones, computed on the same inputs), with each
 * curve's mean AUC in its legend entry, against random orders and the edge detector.
 */
export function faithfulnessChart(input: FaithfulnessCurvesLike | { name: string; result: FaithfulnessCurvesLike }[], options: FaithfulnessChartOptions = {}): VegaLiteSpec {
  const entries = Array.isArray(input) ? input : [{ name: "method", result: input }];
  if (!entries.length) throw new ChartError("invalid-input", "faithfulnessChart needs at least one method's curves.");
  const first = entries[0].result;
  const sameAxis = (r: FaithfulnessCurvesLike) => r.kind === first.kind && r.fractions.length === first.fractions.length && r.fractions.every((f, i) => f === first.fractions[i]);
  if (!entries.every((e) => sameAxis(e.result))) throw new ChartError("invalid-input", "the curves differ in kind or steps: chart deletion and insertion (or different steps) separately.");
  const meanAuc = (auc: number[]) => formatNumber(auc.reduce((s, a) => s + a, 0) / auc.length);
  const curves = entries.map(({ name, result }) => ({ name: `${name} (AUC ${meanAuc(result.method.auc)})`, values: result.method.mean }));
  if (first.edgeDetector) curves.push({ name: `edge detector, Sobel (AUC ${meanAuc(first.edgeDetector.auc)})`, values: first.edgeDetector.mean });
  const percent = first.fractions.map((f) => Math.round(f * 1000) / 10);
  const verb = first.kind === "deletion" ? "removed" : "inserted";
  const test = entries.length === 1 ? { name: "paired sign-flip, AUC − random AUC", value: first.tests.vsRandom.effect.estimate, p: first.tests.vsRandom.p } : undefined;
  return curvesAgainstRandom(
    {
      x: percent,
      xTitle: `% of pixels ${verb} (baseline: ${first.baseline})`,
      metric: options.metric ?? "target score",
      curves,
      band: { mean: first.random.mean, lower: first.random.lower, upper: first.random.upper, level: 0.95, orders: first.random.orders },
      seriesTitle: "order",
    },
    { chart: `${first.kind}-curves`, baselines: ["random orders", ...(first.edgeDetector ? ["edge detector"] : [])], statistic: "paired sign-flip test of AUC vs random orders" },
    `${first.kind === "deletion" ? "Deletion" : "Insertion"}: the target score as pixels are ${verb} in each order, vs random orders and an edge detector`,
    { ...options, statistic: options.statistic ?? test },
  );
}
