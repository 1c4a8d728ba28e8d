// A linter fix (plain data) as a VS Code code action: a command that applies its edit (new cells, text
// inserted in a cell), or the command that asks for an amendment's reason.
import * as vscode from "vscode";
import { newCellId } from "../../core/format";
import type { Fix } from "../../core/lint";
import { toVscodePosition } from "./ranges";

export const RECORD_AMENDMENT = "falsify.recordAmendment";
export const APPLY_FIX = "falsify.applyFix";

export function toCodeAction(fix: Fix, notebook: vscode.NotebookDocument, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  const amendment = fix.edits.find((e) => e.kind === "record-amendment");
  if (amendment) {
    action.command = { command: RECORD_AMENDMENT, title: fix.title, arguments: [notebook.uri, amendment.hypothesis] };
    return action;
  }
  // Applied by a command, not as the action's edit: VS Code saves the files a code action's edit
  // touches when it spans several (files.refactoring.autoSave), and an untitled notebook then asks
  // where to save. An extension's applyEdit is no refactoring: nothing is saved, nothing prompts.
  action.command = { command: APPLY_FIX, title: fix.title, arguments: [notebook.uri, fix] };
  action.isPreferred = fix.edits.some((e) => e.kind === "insert-cell");
  return action;
}

export function toWorkspaceEdit(fix: Fix, notebook: vscode.NotebookDocument): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const ids = new Set(notebook.getCells().map((cell) => cell.metadata?.id).filter((id): id is string => typeof id === "string"));
  const cellEdits: vscode.NotebookEdit[] = [];
  for (const e of fix.edits) {
    if (e.kind === "insert-cell") {
      const id = newCellId(ids);
      ids.add(id);
      const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, e.source, e.language);
      cell.metadata = { id, metadata: {} };
      cellEdits.push(vscode.NotebookEdit.insertCells(e.index, [cell]));
    } else if (e.kind === "insert-text" && e.cellIndex < notebook.cellCount) {
      const document = notebook.cellAt(e.cellIndex).document;
      edit.insert(document.uri, toVscodePosition(e.line, e.column, document), e.text);
    }
  }
  // Text edits name cells by URI, so inserting cells in the same edit does not shift them.
  if (cellEdits.length) edit.set(notebook.uri, cellEdits);
  return edit;
}
