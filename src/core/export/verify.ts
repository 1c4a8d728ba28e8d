// The last check before a script is written: parsed as one program, its top-level statements must be
// exactly the runtime's own statements and the exported cells' statements, in order. Text that was
// made inert (comments: the header, markers, markdown) must add none and must not swallow or join
// any. A failure here means notebook text would have become code; the export is refused.
import ts from "typescript";
import type { ExportError } from "./plan";

/** A piece of a script as the generator means it. */
export type ScriptPart =
  /** Already made inert by `comment()`; "" is a blank line. */
  | { kind: "comment"; text: string }
  /** One statement the generator writes itself (runtime calls, hoisted imports). */
  | { kind: "runtime"; text: string }
  /** A cell's code as the script runs it. */
  | { kind: "cell"; cellId: string; text: string };

/** The script text of the parts: each on its own line(s), in order. */
export function assemble(parts: readonly ScriptPart[]): string {
  return parts.map((part) => `${part.text}\n`).join("");
}

/** Why `assemble(parts)` is not exactly the parts' statements, or undefined when it is. */
export function verifyScript(parts: readonly ScriptPart[]): ExportError | undefined {
  const expected: { text: string; cellId: string }[] = [];
  for (const part of parts) {
    const statements = statementsOf(part.text);
    const cellId = part.kind === "cell" ? part.cellId : "";
    if (part.kind === "comment" && statements.length) return injected(cellId, `comment text holds code: ${statements[0]}`);
    if (part.kind === "runtime" && statements.length !== 1) return injected(cellId, `a runtime line is ${statements.length} statements: ${part.text}`);
    for (const text of statements) expected.push({ text, cellId });
  }
  const actual = statementsOf(assemble(parts));
  const at = actual.findIndex((text, i) => text !== expected[i]?.text);
  if (at < 0 && actual.length === expected.length) return undefined;
  const index = at < 0 ? actual.length : at;
  const cellId = expected[Math.min(index, expected.length - 1)]?.cellId ?? "";
  const found = actual[index] === undefined ? "nothing" : JSON.stringify(actual[index].slice(0, 200));
  return injected(cellId, `statement ${index + 1} of the script is ${found}, not ${JSON.stringify((expected[index]?.text ?? "the end of the script").slice(0, 200))}`);
}

function statementsOf(text: string): string[] {
  const file = ts.createSourceFile("script.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return file.statements.map((statement) => statement.getText(file));
}

function injected(cellId: string, detail: string): ExportError {
  return { kind: "not-inert", cellId, message: `the script would run code that is in no exported cell (${detail}); nothing was written` };
}
