// Ablation curves: accuracy as units are removed in the order a hypothesis names (e.g. most
// class-selective first), against the band that random orders of the same units trace. A curve
// inside the band says the order does not matter (Morcos et al. 2018).
import type { ChartMeta, VegaLiteSpec } from "../display";
import { type ChartOptions, ChartError, falsifyChart, LEGEND, sameLength } from "./spec";

/** Accuracy after ablating `unitsAblated[i]` units in random orders: mean and an interval. */
export interface RandomBand {
  mean: number[];
  lower: number[];
  upper: number[];
  /** The interval's coverage, e.g. 0.95. */
  level: number;
  /** How many random orders made the band. */
  orders?: number;
}

/** interp's `cumulativeAblation` result is one as is. */
export interface AblationCurvesInput {
  /** The ablated layer, for the title. */
  layer?: string;
  /** x positions: the number of units ablated at each step. */
  unitsAblated: number[];
  /** Curves for the orders under test, e.g. { order: "selectivity, high first", accuracy: [...] }. */
  curves: { order: string; accuracy: number[] }[];
  /** The random-order baseline: a band, or the raw curves (one accuracy array per random order). */
  random: RandomBand | { draws: number[][]; level?: number };
}

export interface AblationCurvesOptions extends ChartOptions {
  /** y axis title. Default "accuracy". */
  metric?: string;
  width?: number;
  height?: number;
}

export function ablationCurves(input: AblationCurvesInput, options: AblationCurvesOptions = {}): VegaLiteSpec {
  const band = "draws" in input.random ? randomBand(input.random.draws, input.random.level ?? 0.95) : input.random;
  const metric = options.metric ?? "accuracy";
  return curvesAgainstRandom(
    { x: input.unitsAblated, xTitle: "units ablated", metric, curves: input.curves.map((c) => ({ name: c.order, values: c.accuracy })), band, seriesTitle: "order" },
    { chart: "ablation-curves", baselines: ["random orders"] },
    `${metric} as units${input.layer ? ` of ${input.layer}` : ""} are ablated, by order vs random orders`,
    options,
  );
}

/** What `curvesAgainstRandom` draws: curves over x positions, against a random-order band. */
export interface CurvesAgainstRandom {
  x: number[];
  xTitle: string;
  /** The y axis title. */
  metric: string;
  curves: { name: string; values: number[] }[];
  band: RandomBand;
  /** What a curve is, in tooltips (e.g. "order", "method"). */
  seriesTitle: string;
}

/**
 * Curves over x against the band random orders trace (mean dashed, interval shaded): the body of
 * the ablation curves and of the faithfulness (deletion/insertion) curves.
 */
export function curvesAgainstRandom(input: CurvesAgainstRandom, meta: ChartMeta, title: string, options: ChartOptions & { width?: number; height?: number }): VegaLiteSpec {
  const { x, band, metric } = input;
  sameLength(x.length, { "random.mean": band.mean, "random.lower": band.lower, "random.upper": band.upper });
  for (const curve of input.curves) sameLength(x.length, { [`curve "${curve.name}"`]: curve.values });
  const randomName = `random orders (mean, ${Math.round(band.level * 100)}% interval${band.orders ? `, ${band.orders} orders` : ""})`;
  const bandRows = x.map((units, i) => ({ units, mean: band.mean[i], lower: band.lower[i], upper: band.upper[i], series: randomName }));
  const curveRows = input.curves.flatMap((curve) => x.map((units, i) => ({ units, accuracy: curve.values[i], series: curve.name })));
  const xAxis = { field: "units", type: "quantitative", title: input.xTitle };
  const series = { field: "series", type: "nominal", title: null, scale: { domain: [randomName, ...input.curves.map((c) => c.name)] }, legend: LEGEND };
  return falsifyChart(
    {
      width: options.width ?? 400,
      height: options.height ?? 240,
      layer: [
        {
          data: { values: bandRows },
          // Click a legend entry to bring that order forward. The param lives on the first layer
          // because layers' merged legend keeps the first layer's legend, and with it the binding.
          params: [{ name: "order", select: { type: "point", fields: ["series"] }, bind: "legend" }],
          mark: { type: "area", opacity: 0.25 },
          encoding: { x: xAxis, y: { field: "lower", type: "quantitative", title: metric, scale: { zero: false } }, y2: { field: "upper" }, color: series },
        },
        {
          data: { values: bandRows },
          mark: { type: "line", strokeDash: [4, 3] },
          encoding: {
            x: xAxis,
            y: { field: "mean", type: "quantitative" },
            color: series,
            tooltip: [
              { field: "units", type: "quantitative", title: input.xTitle },
              { field: "mean", type: "quantitative", format: ".3~g" },
              { field: "lower", type: "quantitative", format: ".3~g" },
              { field: "upper", type: "quantitative", format: ".3~g" },
            ],
          },
        },
        {
          data: { values: curveRows },
          mark: { type: "line", point: true },
          encoding: {
            x: xAxis,
            y: { field: "accuracy", type: "quantitative" },
            color: series,
            opacity: { condition: { param: "order", value: 1, empty: true }, value: 0.2 },
            tooltip: [
              { field: "series", type: "nominal", title: input.seriesTitle },
              { field: "units", type: "quantitative", title: input.xTitle },
              { field: "accuracy", type: "quantitative", format: ".3~g", title: metric },
            ],
          },
        },
      ],
    },
    meta,
    title,
    options,
  );
}

/** The mean and the central `level` percentile interval of random-order curves, per x position. */
export function randomBand(draws: number[][], level = 0.95): RandomBand {
  if (draws.length === 0) throw new ChartError("invalid-input", "random.draws is empty: pass one accuracy curve per random order.");
  const positions = draws[0].length;
  draws.forEach((draw, index) => sameLength(positions, { [`random.draws[${index}]`]: draw }));
  const tail = (1 - level) / 2;
  const columns = Array.from({ length: positions }, (_, i) => draws.map((draw) => draw[i]).sort((a, b) => a - b));
  return {
    mean: columns.map((column) => column.reduce((sum, value) => sum + value, 0) / column.length),
    lower: columns.map((column) => quantile(column, tail)),
    upper: columns.map((column) => quantile(column, 1 - tail)),
    level,
    orders: draws.length,
  };
}

/** Linear interpolation between order statistics (numpy's default, "type 7"). `sorted` ascending. */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}
