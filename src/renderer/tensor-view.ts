// A tensor summary (a cell's trailing tensor) as a small view: dtype and shape, the statistics, and
// the values when the kernel sent them (small tensors only).
import { formatNumber } from "../core/charts/spec";
import type { TensorSummary } from "../core/display";
import { escape } from "./verdict-card";

export function tensorHtml(summary: TensorSummary): string {
  const title = `Tensor ${summary.dtype} [${summary.shape.join(", ")}]`;
  const stats = summary.stats
    ? `<dl>${(["min", "max", "mean", "std"] as const).map((name) => `<dt>${name}</dt><dd>${escape(formatNumber(summary.stats![name]))}</dd>`).join("")}</dl>`
    : "";
  const values = summary.values === undefined ? "" : `<pre class="falsify-tensor__values">${escape(JSON.stringify(summary.values))}</pre>`;
  return `<section class="falsify-tensor" aria-label="${escape(title)}"><strong>${escape(title)}</strong>${stats}${values}</section>`;
}
