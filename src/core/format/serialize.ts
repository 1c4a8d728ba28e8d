// Writing a `.falsify` file in its one canonical form: known keys in schema order, every other key
// sorted, two-space indentation, sources as lines, a trailing newline. The same notebook always
// gives the same bytes, so `git diff` shows only what changed.
import type { Cell, Notebook, Output, OutputItem } from "./schema";

const NOTEBOOK_KEYS = ["format", "version", "metadata", "cells"];
const CELL_KEYS = ["id", "kind", "language", "source", "metadata", "outputs", "execution"];
const OUTPUT_KEYS = ["items", "metadata"];
const ITEM_KEYS = ["mime", "encoding", "data"];

export function serializeNotebook(notebook: Notebook): string {
  return `${JSON.stringify(canonicalNotebook(notebook), null, 2)}\n`;
}

/** Source text as the stored list of lines: "a\nb" -> ["a\n", "b"], "" -> []. */
export function sourceLines(source: string): string[] {
  return source === "" ? [] : source.split(/(?<=\n)/);
}

function canonicalNotebook(notebook: Notebook): Record<string, unknown> {
  return ordered(notebook, NOTEBOOK_KEYS, (key, value) => (key === "cells" ? (value as Cell[]).map(canonicalCell) : canonical(value)));
}

function canonicalCell(cell: Cell): Record<string, unknown> {
  return ordered(cell, CELL_KEYS, (key, value) => {
    if (key === "source") return sourceLines(value as string);
    if (key === "outputs") return (value as Output[]).map(canonicalOutput);
    return canonical(value);
  });
}

function canonicalOutput(output: Output): Record<string, unknown> {
  return ordered(output, OUTPUT_KEYS, (key, value) =>
    key === "items" ? (value as OutputItem[]).map((item) => ordered(item, ITEM_KEYS, (_k, v) => canonical(v))) : canonical(value),
  );
}

/** Known keys first in the given order, then the rest sorted; undefined values are dropped. */
function ordered(
  object: object,
  known: readonly string[],
  convert: (key: string, value: unknown) => unknown,
): Record<string, unknown> {
  const source = object as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of known) if (source[key] !== undefined) out[key] = convert(key, source[key]);
  for (const key of Object.keys(source).sort()) {
    if (!known.includes(key) && source[key] !== undefined) out[key] = canonical(source[key]);
  }
  return out;
}

/** Any JSON value with object keys sorted at every depth. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source).sort()) if (source[key] !== undefined) out[key] = canonical(source[key]);
  return out;
}
