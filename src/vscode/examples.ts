// "Falsify: Open Example" (the walkthrough's buttons): opens one of the worked examples. When the
// workspace holds the examples (a clone of the repository, or `npm run vscode`), that copy opens;
// otherwise the copy shipped in the extension is copied to ~/falsify-examples first, so running a
// notebook writes next to it and never into the extension's own folder.
import { homedir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";

export const EXAMPLES = ["01-selectivity-ablation", "02-saliency-sanity", "03-representations", "04-linter-tour", "05-implanted-flaw", "06-selectivity-regularizer", "07-forward-prediction", "09-onnx-resnet-sanity"] as const;
const EXTENSION_ID = "falsify.falsify";

export async function openExample(name: unknown = EXAMPLES[0]): Promise<void> {
  const example = typeof name === "string" && (EXAMPLES as readonly string[]).includes(name) ? name : EXAMPLES[0];
  const uri = (await inWorkspace(example)) ?? (await copiedFromExtension(example));
  if (!uri) return;
  await vscode.window.showNotebookDocument(await vscode.workspace.openNotebookDocument(uri));
}

async function inWorkspace(example: string): Promise<vscode.Uri | undefined> {
  const [found] = await vscode.workspace.findFiles(`**/examples/${example}.falsify`, "**/node_modules/**", 1);
  if (found) return found;
  const [root] = await vscode.workspace.findFiles(`${example}.falsify`, undefined, 1);
  return root;
}

/** The example in ~/falsify-examples, copied there (data and models too) from the extension on first use. */
async function copiedFromExtension(example: string): Promise<vscode.Uri | undefined> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) {
    void vscode.window.showErrorMessage(`Falsify: cannot find the extension ${EXTENSION_ID} to copy its examples from.`);
    return undefined;
  }
  const source = vscode.Uri.joinPath(extension.extensionUri, "examples");
  const target = vscode.Uri.file(join(homedir(), "falsify-examples"));
  const wanted = vscode.Uri.joinPath(target, `${example}.falsify`);
  if (await exists(wanted)) return wanted;
  try {
    await vscode.workspace.fs.createDirectory(target);
    for (const [name] of await vscode.workspace.fs.readDirectory(source)) {
      const to = vscode.Uri.joinPath(target, name);
      if (!(await exists(to))) await vscode.workspace.fs.copy(vscode.Uri.joinPath(source, name), to);
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`Falsify: could not copy the examples to ${target.fsPath}: ${(error as Error).message}`);
    return undefined;
  }
  void vscode.window.showInformationMessage(`Falsify: the examples are in ${target.fsPath} (open that folder to see them all).`);
  return wanted;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
