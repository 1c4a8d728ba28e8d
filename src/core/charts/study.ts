// A forward-prediction study's result: accuracy per condition with its exact (Clopper–Pearson)
// interval, each participant's accuracies joined across conditions (the paired comparison the test
// makes), and chance (1 / number of choices) as a rule. The control condition and chance are the
// chart's baselines; the paired permutation comparison is its statistic.
import type { VegaLiteSpec } from "../display";
import { type ChartOptions, ChartError, falsifyChart } from "./spec";

/** What the chart reads of `analyzeStudy`'s result (it fits as is). */
export interface StudyAnalysisLike {
  study: string;
  chance: number;
  conditions: { id: string; label: string; explained: boolean; accuracy: number; ci: [number, number]; trials: number }[];
  byParticipant: Record<string, Record<string, number>>;
  comparisons: { condition: string; control: string; difference: number; test: { p: number } }[];
}

export interface StudyChartOptions extends ChartOptions {
  width?: number;
  height?: number;
}

export function studyChart(analysis: StudyAnalysisLike, options: StudyChartOptions = {}): VegaLiteSpec {
  if (!analysis.conditions.length) throw new ChartError("invalid-input", "the study analysis has no condition to draw.");
  const label = new Map(analysis.conditions.map((c) => [c.id, c.label]));
  const order = analysis.conditions.map((c) => c.label);
  const bars = analysis.conditions.map((c) => ({ condition: c.label, accuracy: c.accuracy, lower: c.ci[0], upper: c.ci[1], trials: c.trials }));
  const people = Object.entries(analysis.byParticipant).flatMap(([participant, byCondition]) =>
    Object.entries(byCondition).map(([condition, accuracy]) => ({ participant, condition: label.get(condition) ?? condition, accuracy })),
  );
  const x = { field: "condition", type: "nominal", sort: order, title: null, axis: { labelAngle: 0 } };
  const y = { field: "accuracy", type: "quantitative", title: "forward-prediction accuracy", scale: { domain: [0, 1] }, axis: { format: "%" } };
  const first = analysis.comparisons[0];
  const controls = analysis.conditions.filter((c) => !c.explained).map((c) => c.label);
  return falsifyChart(
    {
      width: options.width ?? Math.max(160, 110 * order.length),
      height: options.height ?? 240,
      layer: [
        {
          data: { values: people },
          mark: { type: "line", opacity: 0.25, strokeWidth: 1, color: "#888888" },
          encoding: { x, y, detail: { field: "participant", type: "nominal" } },
        },
        {
          data: { values: bars },
          layer: [
            { mark: { type: "point", filled: true, size: 90 }, encoding: { x, y, tooltip: [{ field: "condition", type: "nominal" }, { field: "accuracy", type: "quantitative", format: ".1%" }, { field: "lower", type: "quantitative", format: ".1%", title: "interval from" }, { field: "upper", type: "quantitative", format: ".1%", title: "interval to" }, { field: "trials", type: "quantitative" }] } },
            { mark: { type: "rule", strokeWidth: 2 }, encoding: { x, y: { field: "lower", type: "quantitative" }, y2: { field: "upper" } } },
          ],
        },
        {
          data: { values: [{ accuracy: analysis.chance, label: `chance (${Math.round(analysis.chance * 1000) / 10}%)` }] },
          layer: [
            { mark: { type: "rule", strokeDash: [4, 3] }, encoding: { y: { field: "accuracy", type: "quantitative" } } },
            { mark: { type: "text", align: "right", dy: -6, x: "width" }, encoding: { y: { field: "accuracy", type: "quantitative" }, text: { field: "label" } } },
          ],
        },
      ],
    },
    { chart: "study", baselines: [...controls, "chance"], statistic: first ? "paired-permutation" : "binomial" },
    `${analysis.study}: forward-prediction accuracy per condition (grey: each participant)`,
    {
      ...options,
      statistic: options.statistic ?? (first ? { name: "paired-permutation", value: first.difference, p: first.test.p } : undefined),
    },
  );
}
