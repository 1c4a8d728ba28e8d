// A CKA similarity matrix (layers × layers of one model, or layers of one model × another), each cell
// labelled with its value. Naming control rows/columns (a randomly initialised model, say) records
// them as the chart's baselines. Other measures over the same rows and columns (SVCCA, PWCCA, mean
// CCA) are drawn as extra rows of panels under it, on the same [0, 1] colour scale, so a conclusion
// that holds for one measure only shows as such.
import type { VegaLiteSpec } from "../display";
import { type ChartOptions, ChartError, falsifyChart, matrixShape } from "./spec";

export interface CkaMatrixOptions extends ChartOptions {
  /** Row labels (layers, or models), top to bottom. */
  rows: string[];
  /** Column labels; default: the row labels (a square layers × layers matrix). */
  columns?: string[];
  /** Axis titles, e.g. "model A" / "model B". Default "layer". */
  rowTitle?: string;
  columnTitle?: string;
  /** Labels among rows/columns that are controls (e.g. "random init"): they become the chart's baselines. */
  controls?: string[];
  /** Which CKA: "linear" (default) or "rbf". */
  kernel?: "linear" | "rbf";
  /** Pixel size of one cell. Default 28. */
  cell?: number;
  /** More measures of the same pairs, by name (e.g. `{ SVCCA: [...], PWCCA: [...] }`), each the matrix's shape: one more row of panels each. */
  measures?: Record<string, number[][]>;
}

export function ckaMatrix(matrix: number[][], options: CkaMatrixOptions): VegaLiteSpec {
  const [height, width] = matrixShape(matrix, "CKA matrix");
  const rows = options.rows;
  const columns = options.columns ?? rows;
  if (rows.length !== height || columns.length !== width) {
    throw new ChartError("invalid-input", `CKA matrix is ${height}×${width} but there are ${rows.length} row and ${columns.length} column labels: pass one label per row and column.`);
  }
  const unknown = (options.controls ?? []).filter((name) => !rows.includes(name) && !columns.includes(name));
  if (unknown.length) throw new ChartError("invalid-input", `controls ${unknown.map((n) => `"${n}"`).join(", ")} are not row or column labels.`);
  const kernel = options.kernel ?? "linear";
  const main = `CKA (${kernel})`;
  const measures: [string, number[][]][] = [[main, matrix], ...Object.entries(options.measures ?? {})];
  for (const [name, values] of measures.slice(1)) {
    const [h, w] = matrixShape(values, `measure "${name}"`);
    if (h !== height || w !== width) throw new ChartError("invalid-input", `measure "${name}" is ${h}×${w} but the CKA matrix is ${height}×${width}: pass one value per row and column pair.`);
  }
  const many = measures.length > 1;
  const field = many ? "similarity" : "cka";
  const cells = measures.flatMap(([measure, values]) => values.flatMap((row, i) => row.map((value, j) => ({ ...(many ? { measure } : {}), row: rows[i], column: columns[j], [field]: value }))));
  const cell = options.cell ?? 28;
  const position = {
    x: { field: "column", type: "ordinal", sort: columns, title: options.columnTitle ?? "layer" },
    y: { field: "row", type: "ordinal", sort: rows, title: options.rowTitle ?? "layer" },
  };
  const panel = {
    width: { step: cell },
    height: { step: cell },
    encoding: position,
    layer: [
      {
        mark: { type: "rect" },
        encoding: {
          color: { field, type: "quantitative", title: many ? "similarity" : main, scale: { scheme: "viridis", domain: [0, 1] } },
          tooltip: [
            ...(many ? [{ field: "measure", type: "nominal" }] : []),
            { field: "row", type: "nominal" },
            { field: "column", type: "nominal" },
            { field, type: "quantitative", format: ".3f", title: many ? "similarity" : "CKA" },
          ],
        },
      },
      {
        mark: { type: "text", fontSize: Math.max(7, Math.round(cell / 3.2)) },
        encoding: {
          text: { field, type: "quantitative", format: ".2f" },
          // Dark text on the light (high) end of viridis, light text on the dark end.
          color: { condition: { test: `datum.${field} > 0.6`, value: "black" }, value: "white" },
        },
      },
    ],
  };
  const body = many
    ? { data: { values: cells }, facet: { row: { field: "measure", type: "nominal", sort: measures.map(([name]) => name), title: null } }, spec: panel }
    : { data: { values: cells }, ...panel };
  const names = measures.map(([name]) => name).join(", ");
  return falsifyChart(
    body,
    { chart: "cka-matrix", baselines: options.controls ?? [], statistic: names },
    many ? `representation similarity (${names})` : `representation similarity (${kernel} CKA)`,
    options,
  );
}
