// VS Code's notebook shapes <-> the core Notebook, one conversion each way. The serializer saves
// through it (NotebookData), and the linter, the kernel controller and export read an open
// document through it (NotebookDocument, unsaved edits included), so every command sees the
// notebook the file would hold.
import * as vscode from "vscode";
import { isCellId, mergeStreamChunks, newCellId, outputItemFromBytes, outputItemToBytes, type Cell, type Notebook, type Output } from "../core/format";

/** VS Code cell metadata holds every file field of a cell but its kind, language, source and outputs. */
type CellMetadata = { id: string; metadata: Cell["metadata"]; execution?: Cell["execution"]; [field: string]: unknown };

/** What both VS Code shapes of a cell (NotebookCellData, NotebookCell) tell. */
interface CellView {
  kind: vscode.NotebookCellKind;
  language: string;
  source: string;
  metadata: { readonly [key: string]: unknown } | undefined;
  outputs: readonly vscode.NotebookCellOutput[];
}

export function toNotebookData(notebook: Notebook): vscode.NotebookData {
  const { cells, ...rest } = notebook;
  const data = new vscode.NotebookData(cells.map(toCellData));
  data.metadata = rest;
  return data;
}

/** What saving `data` writes. */
export function fromNotebookData(data: vscode.NotebookData): Notebook {
  const cells = data.cells.map((cell): CellView => ({ kind: cell.kind, language: cell.languageId, source: cell.value, metadata: cell.metadata, outputs: cell.outputs ?? [] }));
  return coreNotebook(data.metadata, cells);
}

/** What saving the open document now would write. */
export function fromDocument(document: vscode.NotebookDocument): Notebook {
  const cells = document.getCells().map((cell): CellView => ({ kind: cell.kind, language: cell.document.languageId, source: cell.document.getText(), metadata: cell.metadata, outputs: cell.outputs }));
  return coreNotebook(document.metadata, cells);
}

/** The file-level metadata of the notebook (VS Code keeps the file's top-level fields around it). */
export function fileMetadata(document: vscode.NotebookDocument): Notebook["metadata"] {
  return (document.metadata?.metadata ?? {}) as Notebook["metadata"];
}

function toCellData(cell: Cell): vscode.NotebookCellData {
  const { kind, language, source, outputs, ...metadata } = cell;
  const cellKind = kind === "markdown" ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code;
  const data = new vscode.NotebookCellData(cellKind, source, language);
  data.metadata = metadata satisfies CellMetadata;
  data.outputs = outputs.map(
    (output) =>
      new vscode.NotebookCellOutput(
        output.items.map((item) => new vscode.NotebookCellOutputItem(outputItemToBytes(item), item.mime)),
        output.metadata,
      ),
  );
  return data;
}

function coreNotebook(metadata: { readonly [key: string]: unknown } | undefined, views: readonly CellView[]): Notebook {
  const ids = new Set(views.map((cell) => cell.metadata?.id).filter(isCellId));
  const seen = new Set<string>();
  const cells = views.map((cell): Cell => {
    const own = (cell.metadata ?? {}) as Partial<CellMetadata>;
    let id = own.id;
    // A copied cell carries its original's id; give the copy a new one so ids stay unique. An id
    // outside the safe charset (set through the API) is replaced too: the file would refuse it.
    if (!isCellId(id) || seen.has(id)) {
      id = newCellId(ids);
      ids.add(id);
    }
    seen.add(id);
    return {
      ...own,
      id,
      kind: cell.kind === vscode.NotebookCellKind.Markup ? "markdown" : "code",
      language: cell.language,
      source: cell.source,
      metadata: own.metadata ?? {},
      outputs: cell.outputs.map(fileOutput),
    };
  });
  const rest = (metadata ?? {}) as Partial<Notebook>;
  return { ...rest, format: "falsify", version: 1, metadata: rest.metadata ?? {}, cells };
}

/** Outputs do not change while the user types: each is decoded once (the linter reads on every edit). */
const decoded = new WeakMap<vscode.NotebookCellOutput, Output>();

/** A VS Code output as the file keeps it (console chunks merged: core/format/outputs.ts). */
function fileOutput(output: vscode.NotebookCellOutput): Output {
  let known = decoded.get(output);
  if (!known) {
    known = {
      items: mergeStreamChunks(output.items.map((item) => outputItemFromBytes(item.mime, item.data))),
      ...(output.metadata && Object.keys(output.metadata).length ? { metadata: output.metadata } : {}),
    };
    decoded.set(output, known);
  }
  return known;
}
