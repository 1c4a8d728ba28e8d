// "Export as Script": the notebook (or a cell with the cells it depends on) as a standalone script.
// Glue only: the export is src/core/export, applied to the notebook as saving would write it (so
// unsaved edits are exported too).
import * as vscode from "vscode";
import { readFile } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { writeFileAtomic } from "../core/atomic-write";
import { exportScript } from "../core/export";
import { generatorName } from "../core/export/version";
import { fromDocument } from "./notebook";
import { NOTEBOOK_TYPE } from "./serializer";

export function registerExport(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand("falsify.exportScript", () => exportActive(false)),
    vscode.commands.registerCommand("falsify.exportCellScript", (cell?: vscode.NotebookCell) => exportActive(true, cell)),
  );
}

async function exportActive(cellOnly: boolean, clicked?: vscode.NotebookCell): Promise<void> {
  const editor = vscode.window.activeNotebookEditor;
  const document = clicked?.notebook ?? editor?.notebook;
  if (!document || document.notebookType !== NOTEBOOK_TYPE) {
    void vscode.window.showErrorMessage("Export as Script: open a Falsify notebook first.");
    return;
  }
  const selected = clicked ?? (editor ? document.cellAt(editor.selection.start) : undefined);
  const selectedId = selected?.kind === vscode.NotebookCellKind.Code ? (selected.metadata?.id as string | undefined) : undefined;
  let cellId: string | undefined;
  if (cellOnly) {
    if (!selectedId) {
      void vscode.window.showErrorMessage("Export Cell as Script: select a code cell (saved at least once, so it has an id).");
      return;
    }
    cellId = selectedId;
  } else if (selectedId) {
    const choice = await vscode.window.showQuickPick(
      [
        { label: "Whole notebook", cellId: undefined },
        { label: `Cell ${selectedId} and the cells it depends on`, cellId: selectedId },
      ],
      { title: "Export as Script" },
    );
    if (!choice) return;
    cellId = choice.cellId;
  }

  const notebook = fromDocument(document);
  const name = basename(document.uri.fsPath);
  // By default one .mjs that carries its runtime and runs anywhere with node alone; TypeScript
  // scripts need the falsify package where they run.
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(document.uri, "..", `${name.replace(/\.falsify$/, "")}${cellId ? `.${cellId}` : ""}.mjs`),
    filters: { "Bundled JavaScript (runs with node alone)": ["mjs"], "TypeScript (needs the falsify package)": ["ts", "mts"] },
    title: "Export as Script",
  });
  if (!target) return;
  const notebookDir = relative(dirname(target.fsPath), dirname(document.uri.fsPath)).split(sep).join("/") || ".";
  const bundle = target.fsPath.endsWith(".mjs") ? { runtime: await readFile(join(__dirname, "standalone.js"), "utf8") } : undefined;
  const result = exportScript(notebook, { notebookName: name, generator: generatorName(), cellId, language: bundle ? "mjs" : "ts", notebookDir, ...(bundle ? { bundle } : {}) });
  if (!result.ok) {
    const index = document.getCells().findIndex((cell) => cell.metadata?.id === result.error.cellId);
    const show = await vscode.window.showErrorMessage(`Export refused: ${result.error.message}`, ...(index >= 0 ? ["Show Cell"] : []));
    if (show && editor) editor.revealRange(new vscode.NotebookRange(index, index + 1), vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
    return;
  }
  // On disk, the same atomic write as `falsify export -o` (a full disk leaves no half script).
  if (target.scheme === "file") await writeFileAtomic(target.fsPath, result.script);
  else await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.script));
  await vscode.window.showTextDocument(target);
}
