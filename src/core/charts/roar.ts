// ROAR (interp's `roar`): test accuracy after removing a growing fraction of each image's pixels and
// retraining, in the method's order, in random order (the control) and in a Sobel edge map's order.
// A method whose curve stays with the random one has not found what the model needs.
import type { VegaLiteSpec } from "../display";
import type { RoarResult } from "../interp/faithfulness";
import { type ChartOptions, ChartError, falsifyChart, LEGEND } from "./spec";

/** The parts of interp's `RoarResult` the chart reads. */
export type RoarResultLike = Pick<RoarResult, "fractions" | "method" | "random" | "sobel" | "repeats"> & {
  tests: { vsRandom?: { p: number; effect: { estimate: number } } };
};

export interface RoarChartOptions extends ChartOptions {
  /** The attribution method, for the legend. Default "method". */
  method?: string;
  width?: number;
  height?: number;
}

/** Accuracy after remove-and-retrain per fraction removed: each ordering's mean with its interval over repeats, and every run. */
export function roarChart(result: RoarResultLike, options: RoarChartOptions = {}): VegaLiteSpec {
  const method = options.method ?? "method";
  const series = [
    { name: `${method} order`, curve: result.method },
    ...(result.random ? [{ name: "random removal (control)", curve: result.random }] : []),
    ...(result.sobel ? [{ name: "Sobel edge order (control)", curve: result.sobel }] : []),
  ];
  for (const { name, curve } of series) {
    if (curve.mean.length !== result.fractions.length) throw new ChartError("invalid-input", `${name} has ${curve.mean.length} points for ${result.fractions.length} fractions.`);
  }
  const percent = (f: number) => Math.round(f * 1000) / 10;
  const points = series.flatMap(({ name, curve }) => result.fractions.map((f, k) => ({ series: name, removed: percent(f), mean: curve.mean[k], lower: curve.lower[k], upper: curve.upper[k] })));
  const runs = series.flatMap(({ name, curve }) => result.fractions.flatMap((f, k) => curve.accuracy[k].map((accuracy, repeat) => ({ series: name, removed: percent(f), accuracy, repeat }))));
  const x = { field: "removed", type: "quantitative", title: "% of pixels removed (then retrained)" };
  const colour = { field: "series", type: "nominal", title: null, scale: { domain: series.map((s) => s.name) }, legend: LEGEND };
  const test = result.tests.vsRandom ? { name: "paired sign-flip, method − random accuracy", value: result.tests.vsRandom.effect.estimate, p: result.tests.vsRandom.p } : undefined;
  return falsifyChart(
    {
      width: options.width ?? 400,
      height: options.height ?? 240,
      layer: [
        { data: { values: points }, mark: { type: "errorband", opacity: 0.2 }, encoding: { x, y: { field: "lower", type: "quantitative", title: "test accuracy" }, y2: { field: "upper" }, color: colour } },
        { data: { values: runs }, mark: { type: "point", opacity: 0.35, size: 18 }, encoding: { x, y: { field: "accuracy", type: "quantitative" }, color: colour } },
        {
          data: { values: points },
          mark: { type: "line", point: true },
          encoding: {
            x,
            y: { field: "mean", type: "quantitative" },
            color: colour,
            tooltip: [
              { field: "series", type: "nominal", title: "order" },
              { field: "removed", type: "quantitative", title: "% removed" },
              { field: "mean", type: "quantitative", format: ".3f", title: `mean accuracy (${result.repeats} runs)` },
              { field: "lower", type: "quantitative", format: ".3f", title: "95% CI from" },
              { field: "upper", type: "quantitative", format: ".3f", title: "95% CI to" },
            ],
          },
        },
      ],
    },
    { chart: "roar", baselines: [...(result.random ? ["random removal"] : []), ...(result.sobel ? ["Sobel ordering"] : [])], statistic: test?.name },
    `ROAR: accuracy after removing each order's top pixels and retraining (${result.repeats} runs per point, 95% CI)`,
    { ...options, statistic: options.statistic ?? test },
  );
}
