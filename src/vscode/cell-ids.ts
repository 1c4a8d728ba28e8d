// Cell ids must exist from the moment a cell does (the linter and the kernel refer to cells by id,
// and an id made up at save time would change on every save). New or pasted cells get one here.
import * as vscode from "vscode";
import { isCellId, newCellId } from "../core/format";
import { NOTEBOOK_TYPE } from "./serializer";

export function assignCellIds(): vscode.Disposable {
  const ensure = (notebook: vscode.NotebookDocument) => {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    const ids = new Set<string>();
    const edits: vscode.NotebookEdit[] = [];
    for (const cell of notebook.getCells()) {
      const id = cell.metadata?.id;
      if (isCellId(id) && !ids.has(id)) {
        ids.add(id);
        continue;
      }
      const fresh = newCellId(ids);
      ids.add(fresh);
      edits.push(vscode.NotebookEdit.updateCellMetadata(cell.index, { ...cell.metadata, id: fresh }));
    }
    if (!edits.length) return;
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebook.uri, edits);
    void vscode.workspace.applyEdit(edit);
  };
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeNotebookDocument((event) => {
      if (event.contentChanges.some((change) => change.addedCells.length)) ensure(event.notebook);
    }),
  );
}
