// Probe accuracy per layer beside the same probe on a control task (Hewitt & Liang 2019): a probe
// that learns random labels as well as real ones shows the probe's capacity, not the layer's content.
import type { VegaLiteSpec } from "../display";
import { type ChartOptions, ChartError, falsifyChart, LEGEND, sameLength } from "./spec";

export interface ProbeAccuracyInput {
  /** Layer names, input to output. */
  layers: string[];
  /** Probe accuracy on the real task, per layer. */
  accuracy: number[];
  /** The same probe on the control task (e.g. labels assigned at random per word type), per layer. */
  control: number[];
  /** Chance accuracy (e.g. 1 / classes), drawn as a rule. */
  chance?: number;
  /** An interval per layer for the real task (e.g. over seeds). */
  interval?: { lower: number[]; upper: number[] };
}

/** One layer's probe and control-task probe; interp's `probeWithControl` result is one as is. */
export interface LayerProbe {
  layer: string;
  task: { testAccuracy: number; majorityBaseline: number };
  control: { testAccuracy: number };
}

export interface ProbeAccuracyOptions extends ChartOptions {
  /** Name of the probed property, e.g. "part of speech". */
  property?: string;
  width?: number;
  height?: number;
}

/**
 * Probe accuracy per layer against the control task. Takes the series, or one probe result per
 * layer (held-out accuracies; the chance rule is the majority-class baseline of the test split).
 */
export function probeAccuracy(input: ProbeAccuracyInput | readonly LayerProbe[], options: ProbeAccuracyOptions = {}): VegaLiteSpec {
  if (Array.isArray(input)) return probeAccuracy(fromProbes(input as readonly LayerProbe[]), options);
  return probeAccuracyChart(input as ProbeAccuracyInput, options);
}

function fromProbes(probes: readonly LayerProbe[]): ProbeAccuracyInput {
  if (probes.length === 0) throw new ChartError("invalid-input", "probeAccuracy needs at least one layer's probe.");
  return {
    layers: probes.map((probe) => probe.layer),
    accuracy: probes.map((probe) => probe.task.testAccuracy),
    control: probes.map((probe) => probe.control.testAccuracy),
    chance: Math.max(...probes.map((probe) => probe.task.majorityBaseline)),
  };
}

function probeAccuracyChart(input: ProbeAccuracyInput, options: ProbeAccuracyOptions): VegaLiteSpec {
  const n = input.layers.length;
  sameLength(n, { accuracy: input.accuracy, control: input.control, ...(input.interval ? { "interval.lower": input.interval.lower, "interval.upper": input.interval.upper } : {}) });
  const task = options.property ? `${options.property} probe` : "probe";
  const control = "control task";
  const rows = input.layers.flatMap((layer, i) => [
    { layer, series: task, accuracy: input.accuracy[i], selectivity: input.accuracy[i] - input.control[i], lower: input.interval?.lower[i], upper: input.interval?.upper[i] },
    { layer, series: control, accuracy: input.control[i], selectivity: input.accuracy[i] - input.control[i] },
  ]);
  const x = { field: "layer", type: "ordinal", sort: input.layers, title: "layer", axis: { labelAngle: 0 } };
  const series = { field: "series", type: "nominal", title: null, scale: { domain: [task, control] }, legend: LEGEND };
  const layers: VegaLiteSpec[] = [
    {
      params: [{ name: "task", select: { type: "point", fields: ["series"] }, bind: "legend" }],
      mark: { type: "line", point: true },
      encoding: {
        x,
        y: { field: "accuracy", type: "quantitative", title: "accuracy", scale: { domain: [0, 1] } },
        color: series,
        opacity: { condition: { param: "task", value: 1, empty: true }, value: 0.2 },
        tooltip: [
          { field: "layer", type: "nominal" },
          { field: "series", type: "nominal", title: "task" },
          { field: "accuracy", type: "quantitative", format: ".3f" },
          { field: "selectivity", type: "quantitative", format: ".3f", title: "selectivity (probe − control)" },
        ],
      },
    },
  ];
  // Appended, not prepended: the first layer's legend is the one kept, and it carries the selection binding.
  if (input.interval) {
    layers.push({
      transform: [{ filter: { field: "series", equal: task } }],
      // Short end ticks: the default spans the whole step between layers and runs into the neighbours' ranges.
      mark: { type: "errorbar", ticks: { size: 10 } },
      encoding: { x, y: { field: "lower", type: "quantitative", title: "accuracy" }, y2: { field: "upper" }, color: series },
    });
  }
  if (input.chance !== undefined) {
    layers.push({ data: { values: [{ chance: input.chance }] }, mark: { type: "rule", strokeDash: [2, 2], color: "gray" }, encoding: { y: { field: "chance", type: "quantitative" } } });
  }
  return falsifyChart(
    { data: { values: rows }, width: options.width ?? Math.max(240, 48 * n), height: options.height ?? 220, layer: layers },
    { chart: "probe-accuracy", baselines: [control, ...(input.chance !== undefined ? ["chance"] : [])] },
    `${task} accuracy per layer vs the control task`,
    options,
  );
}
