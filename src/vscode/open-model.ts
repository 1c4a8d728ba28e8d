// "Falsify: Open Model...": pick a model file (ONNX, Keras, tfjs), see what it is and which toolkit
// methods apply (core's inspectModel, computed in a short-lived kernel so the extension host never
// loads tfjs), and get a cell that loads it in the active Falsify notebook (or a new one).
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import * as vscode from "vscode";
import type { ModelInspection } from "../core/data/inspect";
import { inspectionHtml } from "../core/data/inspection-html";
import { KernelClient } from "../kernel/client";
import { inspectInKernel } from "../kernel/inspect-model";
import { log } from "./log";
import { NOTEBOOK_TYPE } from "./serializer";

export function registerOpenModel(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand("falsify.openModel", () => openModel(context));
}

async function openModel(context: vscode.ExtensionContext): Promise<void> {
  const [uri] =
    (await vscode.window.showOpenDialog({
      canSelectMany: false,
      title: "Open a model to study",
      filters: { "Models (ONNX, Keras, tfjs)": ["onnx", "keras", "h5", "json"] },
    })) ?? [];
  if (!uri) return;
  const path = uri.fsPath;
  let inspection: ModelInspection;
  try {
    inspection = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Falsify: opening ${basename(path)}` }, () => inspect(context, path));
  } catch (error) {
    log().error(`Open Model: ${(error as Error).message}`);
    void vscode.window.showErrorMessage(`Falsify could not open ${basename(path)}: ${(error as Error).message}`);
    return;
  }
  const panel = vscode.window.createWebviewPanel("falsify.model", basename(path), vscode.ViewColumn.Beside, { enableScripts: false });
  panel.webview.html = inspectionHtml(inspection);
  await insertLoadCell(path, inspection);
}

/** The inspection, computed by the kernel bundle (the one place tfjs and the importers are loaded). */
async function inspect(context: vscode.ExtensionContext, path: string): Promise<ModelInspection> {
  const client = await KernelClient.start({
    notebookDir: dirname(path),
    searchFrom: [...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath), context.extensionPath],
    kernelScript: join(context.extensionPath, "dist", "kernel.js"),
  });
  try {
    return await inspectInKernel(client, path);
  } finally {
    client.dispose();
  }
}

/** A code cell loading the model: after the selection of the active Falsify notebook, else in a new notebook. */
async function insertLoadCell(path: string, inspection: ModelInspection): Promise<void> {
  const editor = vscode.window.activeNotebookEditor;
  const notebook = editor?.notebook.notebookType === NOTEBOOK_TYPE ? editor.notebook : undefined;
  const from = notebook?.uri.scheme === "file" ? dirname(notebook.uri.fsPath) : undefined;
  const relativePath = from ? relative(from, path) : undefined;
  const shown = relativePath && !relativePath.startsWith("..") && !isAbsolute(relativePath) ? relativePath.split("\\").join("/") : path;
  const source = [
    `// ${basename(path)}: ${inspection.format}, input [${inspection.inputShape.map((d) => d ?? "batch").join(", ")}], ${inspection.layers.length} layers, ${inspection.parameters.toLocaleString("en")} parameters`,
    `import { loadModel } from "falsify";`,
    "",
    `const loaded = await loadModel(${JSON.stringify(shown)});`,
    `if (loaded.kind !== "layers") throw new Error("expected a layers model");`,
    "const model = loaded.model;",
  ].join("\n");
  const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, source, "typescript");
  if (notebook && editor) {
    const at = editor.selection.isEmpty ? notebook.cellCount : editor.selection.end;
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(at, [cell])]);
    await vscode.workspace.applyEdit(edit);
    return;
  }
  const document = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, new vscode.NotebookData([cell]));
  await vscode.window.showNotebookDocument(document, { viewColumn: vscode.ViewColumn.One });
}
