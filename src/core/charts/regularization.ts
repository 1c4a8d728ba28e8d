// Training with the class-selectivity regulariser at several α (Leavitt & Morcos 2021): per run, the
// mean selectivity it reached and its test accuracy, against the unregularised runs (α = 0, drawn as
// a rule with its band). "Selectivity is needed" predicts that accuracy falls as α < 0 trains
// selectivity away; a flat accuracy panel with a falling selectivity panel falsifies it.
import type { VegaLiteSpec } from "../display";
import { type ChartOptions, ChartError, falsifyChart } from "./spec";

/** One training run: its α, seed, and what it reached. */
export interface RegularizedRun {
  alpha: number;
  seed: number;
  /** Test accuracy. */
  accuracy: number;
  /** Mean class selectivity of the regularised layer(s) on the test set. */
  selectivity: number;
}

export interface RegularizationChartOptions extends ChartOptions {
  /** The regularised layer(s), for the titles. */
  layer?: string;
  width?: number;
  height?: number;
}

/** Test accuracy and mean selectivity against α, one point per run, the α = 0 runs as the baseline. */
export function regularizationChart(runs: RegularizedRun[], options: RegularizationChartOptions = {}): VegaLiteSpec {
  if (!runs.length) throw new ChartError("invalid-input", "regularizationChart needs at least one run.");
  const bad = runs.find((r) => ![r.alpha, r.accuracy, r.selectivity].every(Number.isFinite));
  if (bad) throw new ChartError("invalid-input", `the run with α = ${bad.alpha}, seed ${bad.seed} has a non-finite value: every α, accuracy and selectivity must be a number.`);
  const baseline = runs.filter((r) => r.alpha === 0);
  const measures = [
    { field: "accuracy", title: "test accuracy" },
    { field: "selectivity", title: `mean class selectivity${options.layer ? ` (${options.layer})` : ""}` },
  ] as const;
  const band = (field: "accuracy" | "selectivity") => {
    const values = baseline.map((r) => r[field]);
    return values.length ? [{ mean: values.reduce((a, b) => a + b, 0) / values.length, min: Math.min(...values), max: Math.max(...values) }] : [];
  };
  const x = { field: "alpha", type: "quantitative", title: "α (< 0 trains selectivity away, > 0 trains it in)" };
  const panel = ({ field, title }: (typeof measures)[number]): VegaLiteSpec => ({
    width: options.width ?? 260,
    height: options.height ?? 200,
    layer: [
      { data: { values: band(field) }, mark: { type: "rect", opacity: 0.15, color: "gray" }, encoding: { y: { field: "min", type: "quantitative" }, y2: { field: "max" } } },
      { data: { values: band(field) }, mark: { type: "rule", strokeDash: [4, 3], color: "gray" }, encoding: { y: { field: "mean", type: "quantitative" } } },
      {
        data: { values: runs },
        mark: { type: "line", color: "#4c78a8" },
        encoding: { x, y: { aggregate: "mean", field, type: "quantitative", title, scale: { zero: false } } },
      },
      {
        data: { values: runs },
        mark: { type: "point", filled: true, color: "#4c78a8" },
        encoding: {
          x,
          y: { field, type: "quantitative", title },
          tooltip: [
            { field: "alpha", type: "quantitative", title: "α" },
            { field: "seed", type: "quantitative" },
            { field: "accuracy", type: "quantitative", format: ".4f" },
            { field: "selectivity", type: "quantitative", format: ".3f" },
          ],
        },
      },
    ],
  });
  return falsifyChart(
    { hconcat: measures.map(panel) },
    { chart: "selectivity-regularization", baselines: baseline.length ? [`α = 0 (unregularised, ${baseline.length} runs)`] : [] },
    `Training with the class-selectivity regulariser: accuracy and selectivity vs α${baseline.length ? " (dashed: the α = 0 runs, shaded: their range)" : ""}`,
    options,
  );
}
