// A CodeLens on each hypothesis cell: its strength and what would raise it.
import * as vscode from "vscode";
import type { LintController } from "./controller";
import { cellOf } from "./controller";

export const SHOW_STRENGTH = "falsify.showStrength";

export class StrengthLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly controller: LintController) {
    this.subscription = controller.onDidLint(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const cell = cellOf(document);
    const report = cell && this.controller.report(cell.notebook);
    const h = report?.hypotheses.find((x) => x.cellIndex === cell?.index);
    if (!h) return [];
    const raise = h.grade.raise.length ? ` — to raise it: ${h.grade.raise[0]}${h.grade.raise.length > 1 ? ` (+${h.grade.raise.length - 1})` : ""}` : "";
    const title = `${h.id}: ${h.grade.strength} hypothesis${raise}`;
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title, command: SHOW_STRENGTH, arguments: [h.id, h.grade.strength, h.grade.raise] })];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export async function showStrength(id: string, strength: string, raise: string[]): Promise<void> {
  const detail = raise.length ? `To raise it:\n• ${raise.join("\n• ")}` : "It dissociates competing explanations: the top of the ladder.";
  await vscode.window.showInformationMessage(`${id} is a ${strength} hypothesis (Leavitt & Morcos's ladder).`, { modal: true, detail });
}
