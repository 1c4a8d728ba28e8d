// Applies a linter fix to a notebook as the editor does (src/vscode/lint/fixes.ts): text edits on the
// cells as they were, then the new cells (their indices are positions in the notebook before the fix).
import assert from "node:assert/strict";
import type { Cell, Notebook } from "../../../src/core/format";
import { lintNotebook, type Fix } from "../../../src/core/lint";

export const sourceOf = (cell: Cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);

export function applyFix(notebook: Notebook, fix: Fix, idPrefix: string): void {
  for (const edit of fix.edits) {
    if (edit.kind !== "insert-text") continue;
    const cell = notebook.cells[edit.cellIndex];
    const lines = sourceOf(cell).split("\n");
    const line = lines[edit.line - 1] ?? "";
    lines[edit.line - 1] = line.slice(0, edit.column - 1) + edit.text + line.slice(edit.column - 1);
    cell.source = lines.join("\n");
  }
  const inserts = fix.edits.flatMap((edit) => (edit.kind === "insert-cell" ? [edit] : [])).sort((a, b) => b.index - a.index);
  for (const [k, edit] of inserts.entries()) {
    notebook.cells.splice(edit.index, 0, { id: `${idPrefix}-${k}`, kind: "code", language: edit.language, source: edit.source, metadata: {}, outputs: [] });
  }
}

/** Finds the fix titled `title` on the first `rule` finding and applies it; new cells get ids `fix-<rule>-<k>`. */
export function applyNamedFix(notebook: Notebook, rule: string, title: string): void {
  const diagnostic = lintNotebook(notebook).diagnostics.find((d) => d.rule === rule);
  const fix = diagnostic?.fixes?.find((f) => f.title === title);
  assert.ok(fix, `${rule} offers "${title}" (offered: ${diagnostic?.fixes?.map((f) => f.title).join(", ")})`);
  applyFix(notebook, fix, `fix-${rule}`);
}
