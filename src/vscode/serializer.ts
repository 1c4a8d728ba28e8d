// The NotebookSerializer: the file format lives in src/core/format; this only maps it onto VS
// Code's NotebookData. A file that cannot be read makes deserialize throw, so VS Code refuses to
// open it and can never save an empty notebook over the user's bytes.
import * as vscode from "vscode";
import {
  isCellId,
  mergeStreamChunks,
  newCellId,
  outputItemFromBytes,
  outputItemToBytes,
  parseNotebook,
  serializeNotebook,
  type Cell,
  type FormatError,
  type Notebook,
  type Output,
} from "../core/format";

export const NOTEBOOK_TYPE = "falsify-notebook";

/** VS Code cell metadata holds every file field of a cell but its kind, language, source and outputs. */
type CellMetadata = { id: string; metadata: Cell["metadata"]; execution?: Cell["execution"]; [field: string]: unknown };

export class FalsifySerializer implements vscode.NotebookSerializer {
  constructor(private readonly onFormatError: (error: FormatError) => void) {}

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const result = parseNotebook(new TextDecoder().decode(content));
    if (!result.ok) {
      this.onFormatError(result.error);
      throw new Error(describeFormatError(result.error));
    }
    return toNotebookData(result.notebook);
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    return new TextEncoder().encode(serializeNotebook(fromNotebookData(data)));
  }
}

export function describeFormatError(error: FormatError): string {
  switch (error.kind) {
    case "syntax":
      return `${error.message} (line ${error.line}, column ${error.column})`;
    case "schema": {
      const first = error.issues[0];
      return first ? `${error.message} (line ${first.line}, column ${first.column})` : error.message;
    }
    case "future-version":
      return error.message;
  }
}

export function toNotebookData(notebook: Notebook): vscode.NotebookData {
  const { cells, ...rest } = notebook;
  const data = new vscode.NotebookData(cells.map(toCellData));
  data.metadata = rest;
  return data;
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

/** VS Code's outputs of a cell as the file keeps them (console chunks merged: stream-chunks.ts). */
export function formatOutputs(outputs: readonly vscode.NotebookCellOutput[]): Output[] {
  return outputs.map((output) => ({
    items: mergeStreamChunks(output.items.map((item) => outputItemFromBytes(item.mime, item.data))),
    ...(output.metadata && Object.keys(output.metadata).length ? { metadata: output.metadata } : {}),
  }));
}

function fromNotebookData(data: vscode.NotebookData): Notebook {
  const ids = new Set(data.cells.map((cell) => cell.metadata?.id).filter(isCellId));
  const seen = new Set<string>();
  const cells = data.cells.map((cell): Cell => {
    const metadata = (cell.metadata ?? {}) as Partial<CellMetadata>;
    let id = metadata.id;
    // A copied cell carries its original's id; give the copy a new one so ids stay unique. An id
    // outside the safe charset (set through the API) is replaced too: the file would refuse it.
    if (!isCellId(id) || seen.has(id)) {
      id = newCellId(ids);
      ids.add(id);
    }
    seen.add(id);
    return {
      ...metadata,
      id,
      kind: cell.kind === vscode.NotebookCellKind.Markup ? "markdown" : "code",
      language: cell.languageId,
      source: cell.value,
      metadata: metadata.metadata ?? {},
      outputs: formatOutputs(cell.outputs ?? []),
    };
  });
  const rest = (data.metadata ?? {}) as Partial<Notebook>;
  return { ...rest, format: "falsify", version: 1, metadata: rest.metadata ?? {}, cells };
}
