// The distribution view: a quantity over the whole data set, with the example(s) a notebook shows
// marked inside it, so no single example is presented alone ("question your wow").
import type { VegaLiteSpec } from "../display";
import { histogram, kernelDensity, percentileRank } from "./histogram";
import { type ChartOptions, ChartError, falsifyChart, formatNumber } from "./spec";

export interface MarkedExample {
  value: number;
  /** e.g. "example 17" or "the cat image". */
  label?: string;
}

export interface DistributionViewOptions extends ChartOptions {
  /** What the values measure, for the axis (e.g. "max activation of unit 12"). */
  quantity?: string;
  /** Number of bins (default: Sturges' rule). */
  bins?: number;
  /** Overlay a kernel density estimate and show densities instead of counts. Default false. */
  density?: boolean;
  width?: number;
  height?: number;
}

/** A histogram of `values` over the data set with each shown example as a labelled rule at its percentile. */
export function distributionView(values: readonly number[], examples: readonly (MarkedExample | number)[], options: DistributionViewOptions = {}): VegaLiteSpec {
  if (examples.length === 0) throw new ChartError("invalid-input", "distributionView needs at least one example to mark: the point is to show where the example sits.");
  const shown = examples.map((given): MarkedExample => (typeof given === "number" ? { value: given } : given));
  const low = Math.min(...values, ...shown.map((m) => m.value));
  const high = Math.max(...values, ...shown.map((m) => m.value));
  const marked = shown.map((example, index) => {
    const percentile = ordinal(Math.round(100 * percentileRank(values, example.value)));
    // Labels sit above the plot, one row each (pixel offsets, the last row nearest the plot), so no
    // bar hides them; each runs from its rule towards the middle of the axis, so it stays over the plot.
    const rightHalf = example.value > (low + high) / 2;
    return {
      value: example.value,
      label: `${example.label ?? `example ${index + 1}`}: ${formatNumber(example.value)} (${percentile} percentile)`,
      labelY: -8 - LABEL_ROW * (shown.length - 1 - index),
      align: rightHalf ? "right" : "left",
    };
  });
  const bins = histogram(values, { bins: options.bins, extent: [low, high] });
  const quantity = options.quantity ?? "value";
  const y = options.density ? "density" : "count";
  const layers: VegaLiteSpec[] = [
    {
      data: { values: bins },
      mark: { type: "bar", binSpacing: 0, opacity: 0.6 },
      encoding: {
        x: { field: "start", type: "quantitative", bin: { binned: true }, title: quantity },
        x2: { field: "end" },
        y: { field: y, type: "quantitative", title: options.density ? "density" : `examples (n = ${values.length})` },
        tooltip: [
          { field: "start", type: "quantitative", format: ".3~g", title: "from" },
          { field: "end", type: "quantitative", format: ".3~g", title: "to" },
          { field: "count", type: "quantitative" },
        ],
      },
    },
  ];
  if (options.density) {
    layers.push({
      data: { values: kernelDensity(values, { extent: [low, high] }) },
      mark: { type: "line" },
      encoding: { x: { field: "x", type: "quantitative" }, y: { field: "density", type: "quantitative" } },
    });
  }
  layers.push(
    {
      data: { values: marked },
      mark: { type: "rule", strokeWidth: 2, color: "#e45756" },
      encoding: { x: { field: "value", type: "quantitative" }, tooltip: [{ field: "label", type: "nominal", title: "shown example" }] },
    },
    ...(["left", "right"] as const).filter((align) => marked.some((m) => m.align === align)).map((align) => ({
      data: { values: marked.filter((m) => m.align === align) },
      mark: { type: "text", align, dx: align === "left" ? -2 : 2, baseline: "bottom", color: "#e45756" },
      encoding: { x: { field: "value", type: "quantitative" }, y: { field: "labelY", type: "quantitative", scale: null }, text: { field: "label" } },
    })),
  );
  return falsifyChart(
    { width: options.width ?? 400, height: options.height ?? 200, layer: layers },
    { chart: "distribution", baselines: [`data set (n = ${values.length})`], distribution: true },
    `${quantity}: the shown example${marked.length > 1 ? "s" : ""} within the data set`,
    options,
  );
}

/** Pixel height of one example's label row above the plot. */
const LABEL_ROW = 14;

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}
