// Where the cursor is in a hypothesis cell, for completion and hover: which object's fields apply
// (top level, `test`, a `baselines` item, an `alternatives` item) and, on a `key: value` line, which
// field it is. Read from indentation, not from a YAML parse: the cell is usually half-typed.
import { TWO_SIDED_RULES } from "../stats/permutation";
import { ALTERNATIVES, CORRECTIONS, INTERVENTIONS, TEST_KINDS, hypothesisFieldDocs } from "./schema";

export type FieldScope = "" | "test" | "baselines" | "alternatives";

export interface FieldInfo {
  /** Dotted field name as in `hypothesisFieldDocs()`, e.g. "test.kind", "baselines.name". */
  field: string;
  docs: string;
}

/** Values worth offering after `field:`. */
export const FIELD_VALUES: Readonly<Record<string, readonly string[]>> = {
  "test.kind": TEST_KINDS,
  "test.alternative": ALTERNATIVES,
  "test.correction": CORRECTIONS,
  "test.twoSided": TWO_SIDED_RULES,
  intervention: INTERVENTIONS,
};

/** The object whose fields apply on (0-based) line `line`, judged by the lines above it. */
export function scopeAt(text: string, line: number): FieldScope {
  const lines = text.split("\n");
  const current = lines[line] ?? "";
  const indent = indentOf(current.replace(/^(\s*)- /, "$1  "));
  if (indent === 0) return "";
  for (let k = line - 1; k >= 0; k--) {
    const above = lines[k];
    if (!above.trim() || above.trim().startsWith("#")) continue;
    const match = /^(\s*)([A-Za-z]+):\s*$/.exec(above);
    if (match && match[1].length < indent) return isScope(match[2]) ? match[2] : "";
    if (indentOf(above) === 0 && !above.startsWith("-")) return "";
  }
  return "";
}

/** The fields that may be written at this scope, with their docs. */
export function fieldsFor(scope: FieldScope): FieldInfo[] {
  const docs = hypothesisFieldDocs();
  const prefix = scope ? `${scope}.` : "";
  return Object.entries(docs)
    .filter(([name]) => (scope ? name.startsWith(prefix) : !name.includes(".")))
    .map(([field, text]) => ({ field, docs: text }));
}

/** The field named on line `line` (`key:` before the cursor), if it is a known one. */
export function fieldAt(text: string, line: number): FieldInfo | undefined {
  const current = text.split("\n")[line] ?? "";
  const match = /^\s*(?:-\s+)?([A-Za-z]+)\s*:/.exec(current);
  if (!match) return undefined;
  const scope = scopeAt(text, line);
  const field = scope ? `${scope}.${match[1]}` : match[1];
  const docs = hypothesisFieldDocs()[field];
  return docs === undefined ? undefined : { field, docs };
}

function isScope(word: string): word is Exclude<FieldScope, ""> {
  return word === "test" || word === "baselines" || word === "alternatives";
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}
