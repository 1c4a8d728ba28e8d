// A recorded metric (`record(name, value)`) as a small labelled view: a number, or a list of numbers
// (per class, per layer), as formatted values; an object of scalars (several quantities recorded
// together) as a definition list; anything else as its JSON. Its exact JSON is in the output's text/plain companion and in the results.
import { formatNumber } from "../core/charts/spec";
import type { Metric } from "../core/display";
import { escape } from "./verdict-card";

/** Longest JSON shown in full; the rest is cut with a note (the results file keeps all of it). */
const MAX_JSON = 2_000;
/** Longest list of numbers shown inline. */
const MAX_LIST = 100;

export function metricHtml(metric: Metric): string {
  return [
    `<section class="falsify-metric" aria-label="${escape(`metric ${metric.name}`)}">`,
    `<span class="falsify-metric__kind">metric</span> <strong class="falsify-metric__name">${escape(metric.name)}</strong>`,
    valueHtml(metric.value),
    `</section>`,
  ].join("");
}

function valueHtml(value: unknown): string {
  if (typeof value === "number") return ` = <span class="falsify-metric__value">${escape(formatNumber(value))}</span>`;
  if (Array.isArray(value) && value.length <= MAX_LIST && value.every((item) => typeof item === "number")) {
    return ` = <span class="falsify-metric__value">[${escape(value.map(formatNumber).join(", "))}]</span>`;
  }
  if (isFlatRecord(value)) {
    const rows = Object.entries(value).map(([key, field]) => `<dt>${escape(key)}</dt><dd>${escape(scalarText(field))}</dd>`);
    return `<dl>${rows.join("")}</dl>`;
  }
  const json = JSON.stringify(value, null, 1) ?? "null";
  const shown = json.length > MAX_JSON ? `${json.slice(0, MAX_JSON)}\n… (${json.length - MAX_JSON} more characters; the results JSON has all of it)` : json;
  return `<pre class="falsify-metric__json">${escape(shown)}</pre>`;
}

/** An object whose fields are all numbers, strings, booleans or null: one row each. */
function isFlatRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const fields = Object.values(value);
  return fields.length > 0 && fields.every((field) => field === null || ["number", "string", "boolean"].includes(typeof field));
}

function scalarText(value: unknown): string {
  return typeof value === "number" ? formatNumber(value) : String(value);
}
