// Does a method find an implanted flaw? Each localisation score (relevance mass, rank accuracy,
// pointing game) as a mean with its interval, per method, for the flawed model and for its clean
// twin, against the chance level a map without information reaches (the mask's area fraction).
// One method is a localisation chart; several are the method scoreboard's chart.
import type { VegaLiteSpec } from "../display";
import type { LocalisationMetric, LocalisationResult } from "../interp/flaws";
import { type ChartOptions, ChartError, falsifyChart, LEGEND } from "./spec";

/** The parts of interp's `LocalisationResult` the chart reads. */
export type LocalisationResultLike = Pick<LocalisationResult, "n" | "summary" | "twinSummary" | "chanceLevel"> & {
  tests: Record<LocalisationMetric, { vsChance: { p: number }; vsTwin?: { p: number } }>;
};

export interface LocalisationChartOptions extends ChartOptions {
  /** Names the two models. Default "flawed model" and "clean twin". */
  models?: [string, string];
  /** Width of each metric's panel. Default 200. */
  width?: number;
}

const METRIC_TITLES: Record<LocalisationMetric, string> = { relevanceMass: "relevance mass", rankAccuracy: "rank accuracy", pointingGame: "pointing game" };

/** Localisation scores of one result, or of several named ones (one row per method), against chance and the clean twin. */
export function localisationChart(input: LocalisationResultLike | { name: string; result: LocalisationResultLike }[], options: LocalisationChartOptions = {}): VegaLiteSpec {
  const entries = Array.isArray(input) ? input : [{ name: "method", result: input }];
  if (!entries.length) throw new ChartError("invalid-input", "localisationChart needs at least one method's localisation result.");
  const [flawed, twin] = options.models ?? ["flawed model", "clean twin"];
  const chance = entries[0].result.chanceLevel;
  if (entries.some((e) => Math.abs(e.result.chanceLevel - chance) > 1e-12)) throw new ChartError("invalid-input", "the results were scored against different masks (chance levels differ): chart them separately.");
  const rows = entries.flatMap(({ name, result }) =>
    (Object.keys(METRIC_TITLES) as LocalisationMetric[]).flatMap((metric) => [
      { method: name, model: flawed, metric: METRIC_TITLES[metric], ...result.summary[metric], p: result.tests[metric].vsChance.p, pTwin: result.tests[metric].vsTwin?.p },
      ...(result.twinSummary ? [{ method: name, model: twin, metric: METRIC_TITLES[metric], ...result.twinSummary[metric] }] : []),
    ]).map(({ ci, ...row }) => ({ ...row, lower: ci[0], upper: ci[1], chance })),
  );
  const withTwin = entries.some((e) => e.result.twinSummary);
  const y = { field: "method", type: "nominal", sort: entries.map((e) => e.name), title: null, axis: { labelLimit: 0 } };
  const x = { field: "mean", type: "quantitative", title: "score (mean, 95% CI); dashed: chance", scale: { domain: [0, 1] } };
  const colour = { field: "model", type: "nominal", title: null, scale: { domain: withTwin ? [flawed, twin] : [flawed] }, legend: LEGEND };
  const yOffset = { field: "model", type: "nominal", scale: { domain: [flawed, twin] } };
  return falsifyChart(
    {
      data: { values: rows },
      facet: { column: { field: "metric", type: "nominal", sort: Object.values(METRIC_TITLES), title: null } },
      spec: {
        width: options.width ?? 200,
        height: { step: withTwin ? 28 : 18 },
        layer: [
          { mark: { type: "rule", strokeDash: [4, 3], color: "gray" }, encoding: { x: { field: "chance", type: "quantitative" } } },
          { mark: { type: "errorbar", ticks: true }, encoding: { y, yOffset, x: { field: "lower", type: "quantitative", title: x.title }, x2: { field: "upper" }, color: colour } },
          {
            mark: { type: "point", filled: true, size: 60 },
            encoding: {
              y,
              yOffset,
              x,
              color: colour,
              tooltip: [
                { field: "method", type: "nominal" },
                { field: "model", type: "nominal" },
                { field: "metric", type: "nominal" },
                { field: "mean", type: "quantitative", format: ".3f" },
                { field: "lower", type: "quantitative", format: ".3f", title: "95% CI from" },
                { field: "upper", type: "quantitative", format: ".3f", title: "95% CI to" },
                { field: "n", type: "quantitative", title: "maps with relevance" },
                { field: "chance", type: "quantitative", format: ".3f", title: "chance (mask area)" },
                { field: "p", type: "quantitative", format: ".2g", title: "p vs chance" },
                { field: "pTwin", type: "quantitative", format: ".2g", title: "p vs clean twin" },
              ],
            },
          },
        ],
      },
    },
    { chart: "localisation", baselines: ["chance (mask area)", ...(withTwin ? [twin] : [])], statistic: `paired sign-flip vs chance${withTwin ? " and vs the clean twin" : ""}` },
    entries.length > 1 ? `Which methods find the implanted flaw? Localisation against chance${withTwin ? " and the clean twin" : ""}` : `Localisation of the implanted flaw against chance${withTwin ? " and the clean twin" : ""}`,
    options,
  );
}
