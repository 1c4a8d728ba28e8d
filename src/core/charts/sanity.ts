// Charts straight from a sanity-check report (what interp's `sanityCheck` returns): the grid for one
// example, and the similarity of every control's maps to the method's over all examples, so the
// grid's example is not shown alone and the verdict can be read off the spread.
import type { VegaLiteSpec } from "../display";
import type { SanityControlResult, SanityReport, SimilarityMeasure } from "../interp/sanity";
import { attributionGrid, type ComparedMap, type SanityGridInput, type SanityGridOptions } from "./attribution";
import { type ChartOptions, ChartError, falsifyChart, formatNumber } from "./spec";

/** The parts of interp's `SanityReport` the charts read (a `SanityReport` is one); any similarity may be missing. */
export type SanityReportLike = Pick<SanityReport, "method" | "n" | "images" | "maps"> & {
  controls: (Pick<SanityControlResult, "id" | "kind" | "label" | "layers" | "maps"> &
    Partial<Pick<SanityControlResult, "blocks" | "mapStatus" | "degenerate">> & { similarity: Partial<Record<SimilarityMeasure, number[]>> })[];
};

type Control = SanityReportLike["controls"][number];

/** Why a control's similarity is undefined for `example` ("constant output: zero map"), if it is. */
function undefinedBecause(control: Control, example: number): string | undefined {
  const status = control.mapStatus?.[example];
  const degenerate = control.degenerate?.examples.includes(example) ? control.degenerate : undefined;
  if (!degenerate && (status === undefined || status === "ok")) return undefined;
  const map = status && status !== "ok" ? `${status} map` : "degenerate map";
  return degenerate?.reason === "constant-output" ? `degenerate: constant output, ${map}` : `degenerate: ${map}`;
}

export interface SanityReportGridOptions extends SanityGridOptions {
  /** Which example of the report to draw. Default 0. */
  example?: number;
  /** Rank correlation to title the panels with: of |maps| (Adebayo et al.'s choice, default) or signed. */
  rank?: "spearmanAbs" | "spearman";
  /** Leave out the independent-randomisation panels (there is one per layer). Default false. */
  withoutIndependent?: boolean;
}

/** The sanity grid of one example of a report: its map beside every control's, with their similarities. */
export function sanityGrid(report: SanityReportLike, options: SanityReportGridOptions = {}): VegaLiteSpec {
  const example = options.example ?? 0;
  if (!Number.isInteger(example) || example < 0 || example >= report.n) {
    throw new ChartError("invalid-input", `example ${example} is not in the report: pick 0 to ${report.n - 1}.`);
  }
  const rank = options.rank ?? "spearmanAbs";
  const compared = (control: Control): ComparedMap => ({ map: control.maps[example], spearman: control.similarity[rank]?.[example], ssim: control.similarity.ssim?.[example], undefinedBecause: undefinedBecause(control, example) });
  const ofKind = (kind: Control["kind"]) => report.controls.filter((control) => control.kind === kind);
  const labelRandomised = ofKind("label-randomised")[0];
  const edgeDetector = ofKind("edge-detector")[0];
  const input: SanityGridInput = {
    image: report.images[example],
    method: { name: report.method, map: report.maps[example] },
    cascading: ofKind("cascading").map((control) => ({ layer: control.blocks?.at(-1) ?? control.layers.at(-1) ?? control.id, ...compared(control) })),
    independent: options.withoutIndependent ? [] : ofKind("independent").map((control) => ({ layer: control.blocks?.[0] ?? control.layers[0] ?? control.id, ...compared(control) })),
    labelRandomised: labelRandomised && compared(labelRandomised),
    edgeDetector: edgeDetector && compared(edgeDetector),
  };
  return attributionGrid(input, { ...options, title: options.title ?? `${report.method}: sanity checks on example ${example} of ${report.n}` });
}

export interface SanitySimilarityOptions extends ChartOptions {
  /** Which similarity to plot. Default "spearmanAbs". */
  measure?: SimilarityMeasure;
  width?: number;
}

/**
 * Per control, each example's similarity between the control's map and the method's map (one tick
 * per example) and their mean. Maps that stay similar under randomisation fail the sanity check.
 */
export function sanitySimilarity(report: SanityReportLike, options: SanitySimilarityOptions = {}): VegaLiteSpec {
  const measure = options.measure ?? "spearmanAbs";
  const missing = report.controls.filter((control) => !control.similarity[measure]);
  const values = (control: Control) => control.similarity[measure] ?? [];
  if (report.controls.length === 0 || missing.length) {
    throw new ChartError("invalid-input", report.controls.length === 0 ? "the report has no controls to compare with." : `no "${measure}" similarity for ${missing.map((c) => c.id).join(", ")}: pick a measure the report has (${Object.keys(report.controls[0].similarity).join(", ")}).`);
  }
  const labels = report.controls.map((control) => control.label);
  // Undefined similarities (NaN: a degenerate map) cannot be drawn as ticks; each control that has
  // them says so in a text mark on its row, so they are shown, not averaged away.
  const rows = report.controls.flatMap((control) => values(control).flatMap((value, example) => (Number.isFinite(value) ? [{ control: control.label, example, value }] : [])));
  const means = report.controls.flatMap((control) => {
    const finite = values(control).filter(Number.isFinite);
    if (!finite.length) return [];
    const mean = finite.reduce((sum, value) => sum + value, 0) / finite.length;
    const left = values(control).length - finite.length;
    return [{ control: control.label, mean, label: `mean ${formatNumber(mean)} (n = ${finite.length}${left ? `; ${left} undefined` : ""})` }];
  });
  const undefinedRows = report.controls.flatMap((control) => {
    const left = values(control).filter((value) => !Number.isFinite(value)).length;
    if (!left) return [];
    const why = control.degenerate ? ` (degenerate: ${control.degenerate.reason.replace("-", " ")})` : "";
    return [{ control: control.label, text: `⚠ ${left} of ${values(control).length} undefined${why}` }];
  });
  const y = { field: "control", type: "nominal", sort: labels, title: null, axis: { labelLimit: 0 } };
  const bounded = ["spearman", "spearmanAbs", "ssim"].includes(measure);
  const x = { field: "value", type: "quantitative", title: `${measure} with the method's map`, ...(bounded ? { scale: { domain: [-1, 1] } } : {}) };
  return falsifyChart(
    {
      width: options.width ?? 360,
      height: { step: 22 },
      layer: [
        {
          data: { values: rows },
          mark: { type: "tick", opacity: 0.5, thickness: 1 },
          encoding: { x, y, tooltip: [{ field: "control", type: "nominal" }, { field: "example", type: "quantitative" }, { field: "value", type: "quantitative", format: ".3f", title: measure }] },
        },
        {
          data: { values: means },
          mark: { type: "tick", thickness: 3, color: "#e45756" },
          encoding: { x: { field: "mean", type: "quantitative" }, y, tooltip: [{ field: "control", type: "nominal" }, { field: "label", type: "nominal", title: "mean" }] },
        },
        ...(undefinedRows.length
          ? [{ data: { values: undefinedRows }, mark: { type: "text", align: "left", dx: 4, color: "#b35900", fontWeight: "bold" }, encoding: { x: { datum: bounded ? -1 : 0, type: "quantitative" }, y, text: { field: "text" } } }]
          : []),
      ],
    },
    { chart: "sanity-similarity", baselines: labels, statistic: measure, distribution: true },
    `${report.method}: similarity of control maps to the method's, over ${report.n} examples`,
    options,
  );
}
