// Writing a `.falsify` file in its one canonical form: known keys in schema order, every other key
// sorted, two-space indentation, sources as lines, a trailing newline. The same notebook always
// gives the same bytes, so `git diff` shows only what changed.
import { MAX_JSON_DEPTH } from "./json-location";
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

// The second argument of `ordered` and `canonical` is how many containers enclose the values: the
// notebook's fields are inside 1, a cell's inside 3 (notebook, cells, cell), an output's inside 5.
function canonicalNotebook(notebook: Notebook): Record<string, unknown> {
  return ordered(notebook, NOTEBOOK_KEYS, 1, (key, value) => (key === "cells" ? (value as Cell[]).map(canonicalCell) : canonical(value, 1)));
}

function canonicalCell(cell: Cell): Record<string, unknown> {
  return ordered(cell, CELL_KEYS, 3, (key, value) => {
    if (key === "source") return sourceLines(value as string);
    if (key === "outputs") return (value as Output[]).map(canonicalOutput);
    return canonical(value, 3);
  });
}

function canonicalOutput(output: Output): Record<string, unknown> {
  return ordered(output, OUTPUT_KEYS, 5, (key, value) =>
    key === "items" ? (value as OutputItem[]).map((item) => ordered(item, ITEM_KEYS, 7, (_k, v) => canonical(v, 7))) : canonical(value, 5),
  );
}

/**
 * Known keys first in the given order, then the rest sorted; undefined values are dropped. Objects
 * are built with Object.fromEntries, which defines keys: an assigned `__proto__` would be lost.
 */
function ordered(
  object: object,
  known: readonly string[],
  depth: number,
  convert: (key: string, value: unknown) => unknown,
): Record<string, unknown> {
  const source = object as Record<string, unknown>;
  const entries: [string, unknown][] = [];
  for (const key of known) if (Object.hasOwn(source, key) && source[key] !== undefined) entries.push([key, convert(key, source[key])]);
  for (const key of Object.keys(source).sort()) {
    if (!known.includes(key) && source[key] !== undefined) entries.push([key, canonical(source[key], depth)]);
  }
  return Object.fromEntries(entries);
}

/**
 * Any JSON value with object keys sorted at every depth. Deeper than a file may be (MAX_JSON_DEPTH)
 * is refused: a file written so could not be read back.
 */
function canonical(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_JSON_DEPTH) throw new FormatLimitError(`a value nests deeper than ${MAX_JSON_DEPTH} levels, which a notebook file cannot hold`);
  if (Array.isArray(value)) return value.map((item) => canonical(item, depth + 1));
  const source = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(source)
      .sort()
      .filter((key) => source[key] !== undefined)
      .map((key) => [key, canonical(source[key], depth + 1)]),
  );
}

/** Thrown by serializeNotebook for a notebook whose file parseNotebook would refuse. */
export class FormatLimitError extends Error {
  override readonly name = "FormatLimitError";
}
