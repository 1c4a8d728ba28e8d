// The first time Falsify starts in a VS Code profile, its walkthrough opens ("Get started with
// Falsify": the worked examples, Run All, the linter's tour), unless the user has turned that off.
// VS Code does this itself for extensions installed from the Marketplace in a running window, not for
// one installed before start (`npm run vscode`, `code --install-extension`).
import * as vscode from "vscode";

const SHOWN = "falsify.walkthroughShown";
export const WALKTHROUGH = "falsify.gettingStarted";

export function openWalkthroughOnFirstStart(context: vscode.ExtensionContext): void {
  if (context.globalState.get<boolean>(SHOWN)) return;
  // VS Code's own switch is machine-scoped, which a remote extension host (code-server) does not read
  // from the user's settings: Falsify's own setting works everywhere.
  if (!vscode.workspace.getConfiguration("falsify.walkthrough").get<boolean>("openOnFirstStart", true)) return;
  if (!vscode.workspace.getConfiguration("workbench.welcomePage").get<boolean>("walkthroughs.openOnInstall", true)) return;
  void context.globalState.update(SHOWN, true);
  void vscode.commands.executeCommand("workbench.action.openWalkthrough", `${context.extension.id}#${WALKTHROUGH}`, false);
}
