// Synthetic vs natural exemplars as predictors of a unit's response: per unit, the held-out pair
// accuracy of a nearest-exemplar predictor with each kind of reference, joined by a line, against
// chance (0.5), with the paired permutation test over units in the subtitle. Units where the
// accuracy is undefined (a dead unit) are listed in the title, never drawn at a made-up value.
import type { VegaLiteSpec } from "../display";
import { ChartError, type ChartOptions, falsifyChart, LEGEND } from "./spec";

/** What the chart reads of interp's `ExemplarPrediction` (the result fits as is). */
export interface ExemplarPredictionLike {
  layer: string;
  chance: number;
  units: { unit: number; natural: number | null; synthetic: number | null; pairs: number }[];
  comparison: { statistic: number; p: number };
}

export function exemplarPredictionChart(result: ExemplarPredictionLike, options: ChartOptions & { width?: number; height?: number } = {}): VegaLiteSpec {
  const drawn = result.units.filter((u) => u.natural !== null && u.synthetic !== null);
  if (drawn.length === 0) throw new ChartError("invalid-input", "no unit has both accuracies defined: nothing to draw.");
  const rows = drawn.flatMap((u) =>
    (["natural", "synthetic"] as const).map((references) => {
      const accuracy = u[references]!;
      if (!(accuracy >= 0 && accuracy <= 1)) throw new ChartError("invalid-input", `unit ${u.unit}'s ${references} accuracy is ${accuracy}: accuracies are shares in [0, 1].`);
      return { unit: `unit ${u.unit}`, references: `${references} exemplars`, accuracy, pairs: u.pairs };
    }),
  );
  const skipped = result.units.filter((u) => !drawn.includes(u)).map((u) => u.unit);
  const order = drawn.map((u) => `unit ${u.unit}`);
  const x = { field: "unit", type: "nominal", sort: order, title: null };
  return falsifyChart(
    {
      width: options.width ?? Math.max(160, 36 * drawn.length),
      height: options.height ?? 200,
      data: { values: rows },
      layer: [
        { mark: { type: "line", color: "gray", opacity: 0.6 }, encoding: { x, y: { field: "accuracy", type: "quantitative" }, detail: { field: "unit" } } },
        {
          mark: { type: "point", filled: true, size: 70 },
          encoding: {
            x,
            y: { field: "accuracy", type: "quantitative", title: "held-out pairs ordered correctly", scale: { domain: [0, 1] } },
            color: { field: "references", type: "nominal", title: "references", legend: LEGEND },
            shape: { field: "references", type: "nominal" },
            tooltip: [{ field: "unit" }, { field: "references" }, { field: "accuracy", type: "quantitative", format: ".3f" }, { field: "pairs", type: "quantitative" }],
          },
        },
        {
          data: { values: [{ accuracy: result.chance, label: `chance ${result.chance}` }] },
          layer: [
            { mark: { type: "rule", strokeDash: [2, 2] }, encoding: { y: { field: "accuracy", type: "quantitative" } } },
            { mark: { type: "text", align: "right", dy: -6, x: "width" }, encoding: { y: { field: "accuracy", type: "quantitative" }, text: { field: "label" } } },
          ],
        },
      ],
    },
    { chart: "exemplar-prediction", baselines: ["chance", "natural exemplars"], statistic: "paired-permutation" },
    `which held-out image activates the unit more? (${result.layer})${skipped.length ? ` · undefined for unit${skipped.length > 1 ? "s" : ""} ${skipped.join(", ")}` : ""}`,
    { ...options, statistic: options.statistic ?? { name: "paired-permutation", value: result.comparison.statistic, p: result.comparison.p } },
  );
}
