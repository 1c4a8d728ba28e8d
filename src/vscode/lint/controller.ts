// Keeps every open Falsify notebook linted: on open, on every edit (debounced), on output and
// metadata changes, and when settings change. Publishes diagnostics per cell, remembers the latest
// report for the panel, CodeLens and quick fixes, and records preregistration hashes the first time
// a hypothesis gets a verdict.
import * as vscode from "vscode";
import { sourceHash } from "../../core/hash";
import { Linter, recordFirstResult, type Diagnostic, type Fix, type LintReport, type LintSettings } from "../../core/lint";
import { log } from "../log";
import { NOTEBOOK_TYPE } from "../serializer";
import { toVscodeRange } from "./ranges";
import { fileMetadata, fromDocument } from "../notebook";

const DEBOUNCE_MS = 200;

// A function, not a table built at load: the bundle reads nothing of `vscode` until activation.
function severity(level: Diagnostic["severity"]): vscode.DiagnosticSeverity {
  switch (level) {
    case "error":
      return vscode.DiagnosticSeverity.Error;
    case "warning":
      return vscode.DiagnosticSeverity.Warning;
    case "info":
      return vscode.DiagnosticSeverity.Information;
  }
}

interface NotebookState {
  linter: Linter;
  report?: LintReport;
  /** Cell document URIs that currently carry diagnostics, so emptied cells can be cleared. */
  cellUris: vscode.Uri[];
  timer?: ReturnType<typeof setTimeout>;
}

export class LintController implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection("falsify");
  private readonly states = new Map<string, NotebookState>();
  private readonly changed = new vscode.EventEmitter<vscode.NotebookDocument>();
  /** Fires after a notebook was linted. */
  readonly onDidLint = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly extensionUri: vscode.Uri) {
    this.subscriptions = [
      vscode.workspace.onDidOpenNotebookDocument((notebook) => this.schedule(notebook, 0)),
      vscode.workspace.onDidChangeNotebookDocument((event) => this.schedule(event.notebook)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        const notebook = notebookOf(event.document);
        if (notebook) this.schedule(notebook);
      }),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => this.forget(notebook)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration("falsify.lint")) for (const notebook of vscode.workspace.notebookDocuments) this.schedule(notebook, 0);
      }),
    ];
    for (const notebook of vscode.workspace.notebookDocuments) this.schedule(notebook, 0);
  }

  report(notebook: vscode.NotebookDocument): LintReport | undefined {
    return this.states.get(notebook.uri.toString())?.report;
  }

  /** The quick fixes of the finding shown as `diagnostic` in `cell`. */
  fixesFor(cell: vscode.NotebookCell, diagnostic: vscode.Diagnostic): Fix[] {
    const report = this.report(cell.notebook);
    const rule = typeof diagnostic.code === "object" ? diagnostic.code.value : diagnostic.code;
    const found = report?.diagnostics.find(
      (d) => d.cellIndex === cell.index && d.rule === rule && d.message === diagnostic.message && toVscodeRange(d.range, cell.document).isEqual(diagnostic.range),
    );
    return found?.fixes ?? [];
  }

  /** Lints now (tests and commands); editing goes through the debounce. */
  lintNow(notebook: vscode.NotebookDocument): LintReport | undefined {
    if (notebook.notebookType !== NOTEBOOK_TYPE || notebook.isClosed) return undefined;
    const state = this.state(notebook);
    clearTimeout(state.timer);
    const report = state.linter.lint(fromDocument(notebook), settings());
    for (const error of report.internalErrors) log().error(`linter: ${error}`);
    state.report = report;
    this.publish(notebook, state, report);
    void this.preregister(notebook, report);
    this.changed.fire(notebook);
    return report;
  }

  dispose(): void {
    for (const state of this.states.values()) clearTimeout(state.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
  }

  private schedule(notebook: vscode.NotebookDocument, delay = DEBOUNCE_MS): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    const state = this.state(notebook);
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      try {
        this.lintNow(notebook);
      } catch (error) {
        log().error("lint failed", error);
      }
    }, delay);
  }

  private state(notebook: vscode.NotebookDocument): NotebookState {
    const key = notebook.uri.toString();
    let state = this.states.get(key);
    if (!state) {
      state = { linter: new Linter(), cellUris: [] };
      this.states.set(key, state);
    }
    return state;
  }

  private publish(notebook: vscode.NotebookDocument, state: NotebookState, report: LintReport): void {
    const byCell = new Map<number, vscode.Diagnostic[]>();
    for (const d of report.diagnostics) {
      if (d.cellIndex >= notebook.cellCount) continue;
      const cell = notebook.cellAt(d.cellIndex);
      const diagnostic = new vscode.Diagnostic(toVscodeRange(d.range, cell.document), d.message, severity(d.severity));
      diagnostic.source = "falsify";
      diagnostic.code = { value: d.rule, target: vscode.Uri.joinPath(this.extensionUri, "media", "docs", "rules", `${d.rule}.md`) };
      byCell.set(d.cellIndex, [...(byCell.get(d.cellIndex) ?? []), diagnostic]);
    }
    for (const uri of state.cellUris) this.diagnostics.delete(uri);
    state.cellUris = [];
    for (const [index, list] of byCell) {
      const uri = notebook.cellAt(index).document.uri;
      this.diagnostics.set(uri, list);
      state.cellUris.push(uri);
    }
  }

  /** The first verdict of a hypothesis fixes the hash of its cell in the notebook metadata. */
  private async preregister(notebook: vscode.NotebookDocument, report: LintReport): Promise<void> {
    let metadata = fileMetadata(notebook);
    let changed = false;
    for (const h of report.hypotheses) {
      if (!h.reading.tests.length || h.cellIndex >= notebook.cellCount) continue;
      const next = recordFirstResult(metadata, h.id, sourceHash(notebook.cellAt(h.cellIndex).document.getText()), h.cellId, new Date());
      if (next) [metadata, changed] = [next, true];
    }
    if (!changed) return;
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebook.uri, [vscode.NotebookEdit.updateNotebookMetadata({ ...notebook.metadata, metadata })]);
    await vscode.workspace.applyEdit(edit);
  }

  private forget(notebook: vscode.NotebookDocument): void {
    const state = this.states.get(notebook.uri.toString());
    if (!state) return;
    clearTimeout(state.timer);
    for (const uri of state.cellUris) this.diagnostics.delete(uri);
    this.states.delete(notebook.uri.toString());
    this.changed.fire(notebook);
  }
}

/** The notebook a cell's text document belongs to. */
export function notebookOf(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (document.uri.scheme !== "vscode-notebook-cell") return undefined;
  return vscode.workspace.notebookDocuments.find((notebook) => notebook.notebookType === NOTEBOOK_TYPE && notebook.getCells().some((cell) => cell.document === document));
}

export function cellOf(document: vscode.TextDocument): vscode.NotebookCell | undefined {
  return notebookOf(document)?.getCells().find((cell) => cell.document === document);
}

function settings(): LintSettings {
  return { rules: vscode.workspace.getConfiguration("falsify.lint").get<Record<string, unknown>>("rules") ?? {} };
}
