// Quick fixes on falsify diagnostics: whatever fixes the linter attached to the finding.
import * as vscode from "vscode";
import type { LintController } from "./controller";
import { cellOf } from "./controller";
import { toCodeAction } from "./fixes";

export class LintCodeActions implements vscode.CodeActionProvider {
  // A getter: a static field would read `vscode` when the module loads, before activation.
  static get metadata(): vscode.CodeActionProviderMetadata {
    return { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  }

  constructor(private readonly controller: LintController) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const cell = cellOf(document);
    if (!cell) return [];
    return context.diagnostics
      .filter((d) => d.source === "falsify")
      .flatMap((d) => this.controller.fixesFor(cell, d).map((fix) => toCodeAction(fix, cell.notebook, d)));
  }
}
