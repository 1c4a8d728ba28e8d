// What `display(value, mime?)` and a cell's trailing value turn into: alternative renderings, best
// first, following the display contract (src/core/display.ts). Every Falsify MIME type travels with
// a `text/plain` companion, so an output stays readable where Falsify's renderer is not installed
// (another editor, a text-only view of the file, a script's console).
import { inspect } from "node:util";
import { describeChart } from "../charts/spec";
import { verdictText } from "../charts/verdict";
import { chartMeta, isMetric, isTensorSummary, isVerdict, MIME, type Metric } from "../display";
import type { OutputItem } from "../format/schema";
import { summarizeTensor, tensorText, type TensorLike } from "./tensor";

export function mimeBundle(value: unknown, mime: string | undefined, isTensor: (value: unknown) => value is TensorLike): OutputItem[] {
  if (mime) return withText(explicitItem(value, mime));
  if (isTensor(value)) return withText({ mime: MIME.tensor, data: summarizeTensor(value) });
  if (isVerdict(value)) return withText({ mime: MIME.verdict, data: value });
  if (chartMeta(value)) return withText({ mime: MIME.chart, data: value });
  if (isVegaLite(value)) return [{ mime: MIME.vegaLite, data: value }, { mime: MIME.text, data: "[Vega-Lite chart]" }];
  return [{ mime: MIME.text, data: typeof value === "string" ? value : inspect(value, { depth: 4, maxArrayLength: 100, breakLength: 100 }) }];
}

/**
 * The `text/plain` reading of a Falsify MIME type's data, or undefined for other MIME types and for
 * data that is not what its MIME type promises (the renderer then shows the error).
 */
export function falsifyText(mime: string, data: unknown): string | undefined {
  switch (mime) {
    case MIME.verdict:
      return isVerdict(data) ? verdictText(data) : undefined;
    case MIME.chart:
      return chartMeta(data) ? `[Falsify chart] ${describeChart(data)}` : undefined;
    case MIME.tensor:
      return isTensorSummary(data) ? tensorText(data) : undefined;
    case MIME.metric:
      return isMetric(data) ? metricText(data) : undefined;
    default:
      return undefined;
  }
}

/** "accuracy = 0.93": a recorded metric as one line. */
export function metricText(metric: Metric): string {
  return `${metric.name} = ${JSON.stringify(metric.value)}`;
}

function withText(item: OutputItem): OutputItem[] {
  const text = falsifyText(item.mime, item.data);
  return text === undefined ? [item] : [item, { mime: MIME.text, data: text }];
}

function explicitItem(value: unknown, mime: string): OutputItem {
  if (value instanceof Uint8Array) return { mime, data: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64"), encoding: "base64" };
  if (/[+/]json$/.test(mime)) return { mime, data: value };
  if (mime.startsWith("text/") || mime === MIME.svg || typeof value === "string") return { mime, data: String(value) };
  return { mime, data: value };
}

/** A Vega-Lite spec: says so in `$schema`, or has a mark/composition and data or encoding. */
export function isVegaLite(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const spec = value as Record<string, unknown>;
  if (typeof spec.$schema === "string") return spec.$schema.includes("vega-lite");
  const composed = ["layer", "hconcat", "vconcat", "concat", "facet", "repeat"].some((key) => key in spec);
  return ("mark" in spec || composed) && ("data" in spec || "encoding" in spec || composed);
}
