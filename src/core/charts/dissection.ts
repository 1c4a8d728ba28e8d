// Network dissection at a glance: every unit's best IoU with a concept, ranked, next to the same
// curve for random directions of the layer, with Bau et al.'s IoU threshold. Colour says which
// concept a unit was labelled with; a hollow point is a label that did not survive the masks
// shuffled across images (its adjusted p is not below alpha), so "passes the IoU rule" and
// "follows the concept in each image" are told apart on the chart itself.
import type { VegaLiteSpec } from "../display";
import { type ChartOptions, ChartError, falsifyChart, LEGEND } from "./spec";

/** What the chart reads of interp's `Dissection` (the result fits as is). */
export interface DissectionLike {
  layer: string;
  iouThreshold: number;
  alpha: number;
  units: DissectedUnitLike[];
  random: { units: DissectedUnitLike[] };
  comparison?: { statistic: number; p: number };
}

export interface DissectedUnitLike {
  unit: number;
  label: string | null;
  bestIou: number;
  iou: number[];
  pAdjusted: number[];
  significant: boolean;
}

export interface DissectionChartOptions extends ChartOptions {
  width?: number;
  height?: number;
}

const RANDOM = "random directions";
const UNLABELLED = "no concept";

export function dissectionChart(dissection: DissectionLike, options: DissectionChartOptions = {}): VegaLiteSpec {
  if (dissection.units.length === 0) throw new ChartError("invalid-input", "the dissection has no units to draw.");
  const points = (units: DissectedUnitLike[], source: string) =>
    [...units]
      .sort((a, b) => b.bestIou - a.bestIou)
      .map((u, rank) => {
        if (!Number.isFinite(u.bestIou)) throw new ChartError("invalid-input", `${source} ${u.unit} has IoU ${u.bestIou}: every IoU must be a finite number.`);
        const best = u.iou.indexOf(u.bestIou);
        return {
          source,
          rank: rank + 1,
          unit: u.unit,
          iou: u.bestIou,
          concept: source === RANDOM ? RANDOM : (u.label ?? UNLABELLED),
          pAdjusted: u.pAdjusted[best],
          survives: u.significant ? "yes" : "no",
        };
      });
  const rows = [...points(dissection.units, "unit"), ...points(dissection.random.units, RANDOM)];
  const concepts = [...new Set(rows.filter((r) => r.source === "unit").map((r) => r.concept))].sort();
  const color = { field: "concept", type: "nominal", title: "best concept", scale: { domain: [...concepts, ...(dissection.random.units.length ? [RANDOM] : [])] }, legend: LEGEND };
  const baselines = [...(dissection.random.units.length ? [RANDOM] : []), "masks shuffled across images"];
  return falsifyChart(
    {
      width: options.width ?? 360,
      height: options.height ?? 220,
      layer: [
        {
          data: { values: rows },
          transform: [{ filter: { field: "source", equal: RANDOM } }],
          mark: { type: "line", strokeDash: [4, 3], point: { size: 20 } },
          encoding: { x: { field: "rank", type: "quantitative" }, y: { field: "iou", type: "quantitative" }, color },
        },
        {
          data: { values: rows },
          transform: [{ filter: { field: "source", equal: "unit" } }],
          mark: { type: "point", size: 60, strokeWidth: 2 },
          encoding: {
            x: { field: "rank", type: "quantitative", title: "unit, ranked by its best IoU", axis: { format: "d", tickMinStep: 1 } },
            y: { field: "iou", type: "quantitative", title: "best IoU with a concept" },
            color,
            fill: { condition: { test: "datum.survives === 'yes'", field: "concept", type: "nominal", scale: color.scale, legend: null }, value: "transparent" },
            tooltip: [
              { field: "unit", type: "quantitative" },
              { field: "concept", type: "nominal" },
              { field: "iou", type: "quantitative", format: ".3f", title: "IoU" },
              { field: "pAdjusted", type: "quantitative", format: ".3g", title: "adjusted p (shuffled masks)" },
            ],
          },
        },
        {
          data: { values: [{ iou: dissection.iouThreshold, label: `IoU threshold ${dissection.iouThreshold}` }] },
          layer: [
            { mark: { type: "rule", strokeDash: [2, 2] }, encoding: { y: { field: "iou", type: "quantitative" } } },
            { mark: { type: "text", align: "right", dy: -6, x: "width" }, encoding: { y: { field: "iou", type: "quantitative" }, text: { field: "label" } } },
          ],
        },
      ],
    },
    { chart: "dissection", baselines, statistic: "permutation" },
    `dissection of ${dissection.layer}: hollow = label rejected by shuffled masks (adjusted p ≥ ${dissection.alpha})`,
    {
      ...options,
      statistic: options.statistic ?? (dissection.comparison ? { name: "permutation", value: dissection.comparison.statistic, p: dissection.comparison.p } : undefined),
    },
  );
}
