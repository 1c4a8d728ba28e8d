// The linter's commands: insert a hypothesis, link a cell to one, record an amendment, apply a quick
// fix, reveal a cell (from the panel), show a strength grade (from the CodeLens).
import * as vscode from "vscode";
import { sourceHash } from "../../core/hash";
import { hypothesisForCell, recordAmendment, type Fix } from "../../core/lint";
import type { LintController } from "./controller";
import { APPLY_FIX, RECORD_AMENDMENT, toWorkspaceEdit } from "./fixes";
import { REVEAL_CELL } from "./panel";
import { fileMetadata } from "../notebook";
import { SHOW_STRENGTH, showStrength } from "./strength-lens";
import { NOTEBOOK_TYPE } from "../serializer";

export const INSERT_HYPOTHESIS = "falsify.insertHypothesis";
export const LINK_CELL = "falsify.linkCellToHypothesis";

export function registerLintCommands(controller: LintController): vscode.Disposable {
  const table: Record<string, (...args: never[]) => unknown> = {
    [INSERT_HYPOTHESIS]: () => insertHypothesis(controller),
    [LINK_CELL]: (cell?: vscode.NotebookCell) => linkCell(controller, cell),
    [RECORD_AMENDMENT]: (uri?: vscode.Uri, id?: string) => amend(controller, uri, id),
    [APPLY_FIX]: (uri: vscode.Uri, fix: Fix) => applyFix(uri, fix),
    [REVEAL_CELL]: (uri: vscode.Uri, index: number) => revealCell(uri, index),
    [SHOW_STRENGTH]: (id: string, strength: string, raise: string[]) => showStrength(id, strength, raise),
  };
  return vscode.Disposable.from(...Object.entries(table).map(([id, run]) => vscode.commands.registerCommand(id, run)));
}

function activeNotebook(): vscode.NotebookEditor | undefined {
  const editor = vscode.window.activeNotebookEditor;
  if (editor?.notebook.notebookType === NOTEBOOK_TYPE) return editor;
  void vscode.window.showWarningMessage("Open a Falsify notebook first.");
  return undefined;
}

/** The toolbar's Insert Hypothesis: above the selected cell, scaffolded from what it shows (core's hypothesisForCell). */
async function insertHypothesis(controller: LintController): Promise<void> {
  const editor = activeNotebook();
  if (!editor) return;
  const notebook = editor.notebook;
  const report = controller.lintNow(notebook);
  if (!report) return;
  const fix = hypothesisForCell(report, editor.selection.isEmpty ? undefined : editor.selection.start, notebook.cellCount);
  const inserted = fix.edits.find((e) => e.kind === "insert-cell");
  if (!inserted || !(await vscode.workspace.applyEdit(toWorkspaceEdit(fix, notebook)))) return;
  editor.selection = new vscode.NotebookRange(inserted.index, inserted.index + 1);
  editor.revealRange(editor.selection);
}

async function linkCell(controller: LintController, target?: vscode.NotebookCell): Promise<void> {
  const editor = activeNotebook();
  if (!editor) return;
  const cell = target && "notebook" in target ? target : editor.notebook.cellAt(editor.selection.start);
  const report = controller.report(cell.notebook) ?? controller.lintNow(cell.notebook);
  const hypotheses = report?.hypotheses ?? [];
  if (!hypotheses.length) {
    void vscode.window.showInformationMessage("This notebook has no hypothesis yet: run “Falsify: Insert Hypothesis” first.");
    return;
  }
  const pick = await vscode.window.showQuickPick(
    hypotheses.map((h) => ({ label: h.id, description: h.grade.strength, detail: h.claim })),
    { title: `Link cell ${cell.index + 1} to a hypothesis` },
  );
  if (!pick) return;
  const metadata = (cell.metadata ?? {}) as { metadata?: Record<string, unknown> };
  const edit = new vscode.WorkspaceEdit();
  edit.set(cell.notebook.uri, [vscode.NotebookEdit.updateCellMetadata(cell.index, { ...cell.metadata, metadata: { ...metadata.metadata, hypothesis: pick.label } })]);
  await vscode.workspace.applyEdit(edit);
}

async function amend(controller: LintController, uri?: vscode.Uri, id?: string): Promise<void> {
  const notebook = uri ? vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri.toString()) : activeNotebook()?.notebook;
  if (!notebook) return;
  const report = controller.lintNow(notebook);
  const edited = report?.diagnostics.filter((d) => d.rule === "edited-after-results") ?? [];
  const hypothesis = id ?? (edited.length === 1 ? report?.hypotheses.find((h) => h.cellIndex === edited[0].cellIndex)?.id : (await vscode.window.showQuickPick(report?.hypotheses.map((h) => h.id) ?? [], { title: "Record an amendment to which hypothesis?" })));
  const summary = report?.hypotheses.find((h) => h.id === hypothesis);
  if (!hypothesis || !summary) return;
  const reason = await vscode.window.showInputBox({
    title: `Amend ${hypothesis}`,
    prompt: "Why did the hypothesis change after results were seen? (kept in the notebook's append-only amendment log)",
    validateInput: (value) => (value.trim() ? undefined : "Say why: reviewers will read it."),
  });
  if (!reason?.trim()) return;
  const hash = sourceHash(notebook.cellAt(summary.cellIndex).document.getText());
  const metadata = recordAmendment(fileMetadata(notebook), hypothesis, hash, reason, new Date());
  const edit = new vscode.WorkspaceEdit();
  edit.set(notebook.uri, [vscode.NotebookEdit.updateNotebookMetadata({ ...notebook.metadata, metadata })]);
  await vscode.workspace.applyEdit(edit);
}

async function applyFix(uri: vscode.Uri, fix: Fix): Promise<void> {
  const notebook = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri.toString());
  if (notebook) await vscode.workspace.applyEdit(toWorkspaceEdit(fix, notebook));
}

async function revealCell(uri: vscode.Uri, index: number): Promise<void> {
  const editor = await vscode.window.showNotebookDocument(await vscode.workspace.openNotebookDocument(uri));
  const range = new vscode.NotebookRange(index, index + 1);
  editor.selection = range;
  editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
}
