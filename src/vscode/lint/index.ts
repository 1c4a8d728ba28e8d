// The linter in the editor: diagnostics, quick fixes, the Falsifiability panel, strength CodeLens,
// captions under charts, completion and hover in hypothesis cells, and the linter's commands.
import * as vscode from "vscode";
import { NOTEBOOK_TYPE } from "../serializer";
import { ChartCaptions } from "./captions";
import { LintCodeActions } from "./code-actions";
import { registerLintCommands } from "./commands";
import { LintController } from "./controller";
import { HypothesisCompletion, HypothesisHover } from "./hypothesis-editing";
import { FalsifiabilityPanel, PANEL_VIEW } from "./panel";
import { StrengthLens } from "./strength-lens";

export function registerLint(context: vscode.ExtensionContext): vscode.Disposable {
  const controller = new LintController(context.extensionUri);
  const panel = new FalsifiabilityPanel(controller);
  const lens = new StrengthLens(controller);
  const cells: vscode.DocumentSelector = [{ notebookType: NOTEBOOK_TYPE }];
  const hypothesisCells: vscode.DocumentSelector = [{ notebookType: NOTEBOOK_TYPE, language: "hypothesis" }];
  return vscode.Disposable.from(
    controller,
    panel,
    lens,
    new ChartCaptions(controller),
    vscode.window.registerTreeDataProvider(PANEL_VIEW, panel),
    vscode.languages.registerCodeActionsProvider(cells, new LintCodeActions(controller), LintCodeActions.metadata),
    vscode.languages.registerCodeLensProvider(hypothesisCells, lens),
    vscode.languages.registerCompletionItemProvider(hypothesisCells, new HypothesisCompletion(), ":", " "),
    vscode.languages.registerHoverProvider(hypothesisCells, new HypothesisHover()),
    registerLintCommands(controller),
  );
}
