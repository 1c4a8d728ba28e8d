// The one place where the linter's 1-based, end-exclusive cell positions become VS Code ranges:
// 0-based, clamped to the cell's current text (it may have changed since the lint), and never empty
// (an empty range would draw no squiggle).
import * as vscode from "vscode";
import type { CellRange } from "../../core/hypothesis";

export function toVscodeRange(range: CellRange, document: vscode.TextDocument): vscode.Range {
  const zero = (n: number) => Math.max(0, Math.floor(n) - 1);
  const clamped = document.validateRange(new vscode.Range(zero(range.line), zero(range.column), zero(range.endLine), zero(range.endColumn)));
  if (!clamped.isEmpty || document.lineCount === 0) return clamped;
  const line = document.lineAt(clamped.start.line).range;
  return line.isEmpty ? clamped : line;
}

export function toVscodePosition(line: number, column: number, document: vscode.TextDocument): vscode.Position {
  return document.validatePosition(new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1)));
}
