// What every Falsify chart has in common: the Vega-Lite schema, its `usermeta.falsify` metadata
// (read by the linter to decide "baselined" and "quantified"), the options every builder accepts,
// and the typed error a builder or renderer raises on input it cannot draw.
import { type ChartMeta, chartMeta, type VegaLiteSpec } from "../display";

/** Options every chart builder accepts. */
export interface ChartOptions {
  /** The hypothesis id (e.g. "H1") the chart is evidence for; recorded in the chart's metadata. */
  hypothesis?: string;
  /** Overrides the builder's default title. */
  title?: string;
  /** A test result to show with the chart (in its subtitle); its name becomes `ChartMeta.statistic`. */
  statistic?: ShownStatistic;
}

export interface ShownStatistic {
  /** e.g. "permutation", "spearman", "welch-t". */
  name: string;
  value?: number;
  p?: number;
}

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

export type ChartErrorKind = "invalid-input" | "invalid-spec" | "unloadable-data" | "renderer-unavailable" | "rasteriser-unavailable";

/** Raised on input a chart cannot draw; `kind` says which, the message says what to change. */
export class ChartError extends Error {
  override readonly name = "ChartError";
  constructor(
    readonly kind: ChartErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Wraps a builder's Vega-Lite body with the schema, title and Falsify metadata. Builders never set
 * `config`, so the notebook renderer is free to apply the editor's theme.
 */
export function falsifyChart(body: VegaLiteSpec, meta: ChartMeta, title: string, options: ChartOptions): VegaLiteSpec {
  const subtitle = options.statistic ? describeStatistic(options.statistic) : undefined;
  const falsify: ChartMeta = definedOnly({
    chart: meta.chart,
    hypothesis: options.hypothesis ?? meta.hypothesis,
    baselines: meta.baselines,
    statistic: options.statistic?.name ?? meta.statistic,
    distribution: meta.distribution,
  });
  const prefix = options.hypothesis ? `${options.hypothesis}: ` : "";
  const text = options.title ?? `${prefix}${title}`;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: subtitle ? { text, subtitle } : text,
    ...body,
    usermeta: { falsify },
  };
}

/** Series legends go under the plot with full labels: they name the baseline, so they must be read whole. */
export const LEGEND = { orient: "bottom", direction: "vertical", labelLimit: 0, symbolOpacity: 1 };

/**
 * What a chart is evidence for, in one line: the renderer's caption under a Falsify chart and the
 * `text/plain` companion of a chart output ("hypothesis H1 · baselines: random orders · statistic: permutation").
 */
export function describeChart(spec: unknown): string {
  const meta = chartMeta(spec);
  if (!meta) return "chart metadata missing: the linter will not count this chart as baselined";
  return [
    meta.hypothesis ? `hypothesis ${meta.hypothesis}` : "no hypothesis",
    meta.baselines.length ? `baselines: ${meta.baselines.join(", ")}` : "no baseline",
    meta.statistic ? `statistic: ${meta.statistic}` : "no statistic",
    ...(meta.distribution ? ["shown within its distribution"] : []),
  ].join(" · ");
}

/** "permutation: 2.31, p = 0.004" — how a statistic is written on a chart. */
export function describeStatistic(statistic: ShownStatistic): string {
  const parts = [statistic.value === undefined ? statistic.name : `${statistic.name}: ${formatNumber(statistic.value)}`];
  if (statistic.p !== undefined) parts.push(formatP(statistic.p));
  return parts.join(", ");
}

/** Three significant digits, no exponent for ordinary magnitudes: what a reader compares by eye. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(3)));
}

/** "p = 0.032", or "p < 0.001" below what a permutation test of ordinary size can resolve. */
export function formatP(p: number): string {
  return p < 0.001 ? "p < 0.001" : `p = ${formatNumber(p)}`;
}

/** Drops undefined fields so specs serialise (and snapshot) the same whichever options were given. */
export function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** Checks that a matrix is a non-empty rectangle of finite numbers; returns its [rows, columns]. */
export function matrixShape(matrix: number[][], what: string): [number, number] {
  const rows = matrix.length;
  const columns = matrix[0]?.length ?? 0;
  if (rows === 0 || columns === 0) throw new ChartError("invalid-input", `${what} is empty: pass a non-empty number[][] (rows of columns).`);
  matrix.forEach((row, index) => {
    if (row.length !== columns) throw new ChartError("invalid-input", `${what} is ragged: row ${index} has ${row.length} values, row 0 has ${columns}.`);
    const bad = row.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) throw new ChartError("invalid-input", `${what}[${index}][${bad}] is ${row[bad]}: every value must be a finite number.`);
  });
  return [rows, columns];
}

/** Checks that parallel series have the lengths the x values promise. */
export function sameLength(expected: number, series: Record<string, readonly number[]>): void {
  for (const [name, values] of Object.entries(series)) {
    if (values.length !== expected) throw new ChartError("invalid-input", `${name} has ${values.length} values but there are ${expected} x positions: pass one value per position.`);
  }
}
