// Activation only registers things and pushes their disposables; the work lives in the modules.
import * as vscode from "vscode";
import { assignCellIds } from "./cell-ids";
import { registerCommands } from "./commands";
import { registerExport } from "./export";
import { registerKernelController } from "./controller";
import { registerLint } from "./lint";
import { log, reportError } from "./log";
import { registerOpenModel } from "./open-model";
import { FalsifySerializer, NOTEBOOK_TYPE, describeFormatError } from "./serializer";
import { openWalkthroughOnFirstStart } from "./walkthrough";

export function activate(context: vscode.ExtensionContext): void {
  try {
    const serializer = new FalsifySerializer((error) => {
      const message = `Falsify could not open this notebook: ${describeFormatError(error)}. The file was not changed; fix it as text and reopen it.`;
      log().error(message);
      void vscode.window.showErrorMessage(message, "Open as Text").then((choice) => {
        if (choice) void openActiveTabAsText();
      });
    });
    context.subscriptions.push(
      vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, serializer, { transientOutputs: false }),
      registerCommands(),
      assignCellIds(),
      registerLint(context),
      registerKernelController(context),
      registerExport(),
      registerOpenModel(context),
    );
    openWalkthroughOnFirstStart(context);
  } catch (error) {
    // VS Code is silent about activation failures; say what broke and where to look.
    reportError("Falsify failed to start. See this log and report the error.", error);
    void vscode.window.showErrorMessage(`Falsify failed to start: ${(error as Error).message}`);
  }
}

export function deactivate(): void {}

async function openActiveTabAsText(): Promise<void> {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri = input && typeof input === "object" && "uri" in input ? (input.uri as vscode.Uri) : undefined;
  if (uri) await vscode.commands.executeCommand("vscode.openWith", uri, "default");
}
