// A CKA similarity matrix (layers × layers of one model, or layers of one model × another), each cell
// labelled with its value. Naming control rows/columns (a randomly initialised model, say) records
// them as the chart's baselines.
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
  const cells = matrix.flatMap((values, i) => values.map((cka, j) => ({ row: rows[i], column: columns[j], cka })));
  const kernel = options.kernel ?? "linear";
  const cell = options.cell ?? 28;
  const position = {
    x: { field: "column", type: "ordinal", sort: columns, title: options.columnTitle ?? "layer" },
    y: { field: "row", type: "ordinal", sort: rows, title: options.rowTitle ?? "layer" },
  };
  return falsifyChart(
    {
      data: { values: cells },
      width: { step: cell },
      height: { step: cell },
      encoding: position,
      layer: [
        {
          mark: { type: "rect" },
          encoding: {
            color: { field: "cka", type: "quantitative", title: `CKA (${kernel})`, scale: { scheme: "viridis", domain: [0, 1] } },
            tooltip: [
              { field: "row", type: "nominal" },
              { field: "column", type: "nominal" },
              { field: "cka", type: "quantitative", format: ".3f", title: "CKA" },
            ],
          },
        },
        {
          mark: { type: "text", fontSize: Math.max(7, Math.round(cell / 3.2)) },
          encoding: {
            text: { field: "cka", type: "quantitative", format: ".2f" },
            // Dark text on the light (high) end of viridis, light text on the dark end.
            color: { condition: { test: "datum.cka > 0.6", value: "black" }, value: "white" },
          },
        },
      ],
    },
    { chart: "cka-matrix", baselines: options.controls ?? [], statistic: `CKA (${kernel})` },
    `representation similarity (${kernel} CKA)`,
    options,
  );
}
