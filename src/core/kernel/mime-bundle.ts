// What `display(value, mime?)` and a cell's trailing value turn into: alternative renderings, best
// first, following the display contract (src/core/display.ts).
import { inspect } from "node:util";
import { chartMeta, isVerdict, MIME, type Verdict } from "../display";
import type { OutputItem } from "../format/schema";
import { summarizeTensor, tensorText, type TensorLike } from "./tensor";

export function mimeBundle(value: unknown, mime: string | undefined, isTensor: (value: unknown) => value is TensorLike): OutputItem[] {
  if (mime) return [explicitItem(value, mime)];
  if (isTensor(value)) {
    const summary = summarizeTensor(value);
    return [
      { mime: MIME.tensor, data: summary },
      { mime: MIME.text, data: tensorText(summary) },
    ];
  }
  if (isVerdict(value)) return [{ mime: MIME.verdict, data: value }, { mime: MIME.text, data: verdictText(value) }];
  if (chartMeta(value)) return [{ mime: MIME.chart, data: value }, { mime: MIME.text, data: "[Falsify chart]" }];
  if (isVegaLite(value)) return [{ mime: MIME.vegaLite, data: value }, { mime: MIME.text, data: "[Vega-Lite chart]" }];
  return [{ mime: MIME.text, data: typeof value === "string" ? value : inspect(value, { depth: 4, maxArrayLength: 100, breakLength: 100 }) }];
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

function verdictText(v: Verdict): string {
  return `${v.hypothesis}: ${v.verdict} (${v.test}, p = ${v.p.toPrecision(3)}, ${v.effect.name} ${v.effect.estimate.toPrecision(3)}) — ${v.reason}`;
}
