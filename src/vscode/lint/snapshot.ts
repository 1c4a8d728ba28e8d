// An open notebook as the linter's input: the core `Notebook` shape read from a NotebookDocument.
// Only what the linter reads is decoded: Falsify/Vega-Lite JSON outputs (parsed once per output
// object, since outputs do not change while the user types); images are kept as MIME types only.
import * as vscode from "vscode";
import { MIME } from "../../core/display";
import type { Cell, Notebook, Output } from "../../core/format";

const JSON_MIMES = new Set<string>([MIME.chart, MIME.verdict, MIME.vegaLite]);
const decoded = new WeakMap<vscode.NotebookCellOutput, Output>();

export function notebookSnapshot(document: vscode.NotebookDocument): Notebook {
  const metadata = (document.metadata?.metadata ?? {}) as Notebook["metadata"];
  return { format: "falsify", version: 1, metadata, cells: document.getCells().map(cellSnapshot) };
}

/** The file-level metadata of the notebook (VS Code keeps the file's top-level fields around it). */
export function fileMetadata(document: vscode.NotebookDocument): Notebook["metadata"] {
  return (document.metadata?.metadata ?? {}) as Notebook["metadata"];
}

function cellSnapshot(cell: vscode.NotebookCell): Cell {
  const metadata = (cell.metadata ?? {}) as { id?: string; metadata?: Cell["metadata"]; execution?: Cell["execution"] };
  return {
    id: typeof metadata.id === "string" ? metadata.id : `#${cell.index}`,
    kind: cell.kind === vscode.NotebookCellKind.Markup ? "markdown" : "code",
    language: cell.document.languageId,
    source: cell.document.getText(),
    metadata: metadata.metadata ?? {},
    outputs: cell.outputs.map(outputSnapshot),
    ...(metadata.execution ? { execution: metadata.execution } : {}),
  };
}

function outputSnapshot(output: vscode.NotebookCellOutput): Output {
  let known = decoded.get(output);
  if (!known) {
    known = { items: output.items.map((item) => ({ mime: item.mime, data: JSON_MIMES.has(item.mime) ? parseJson(item.data) : null })) };
    decoded.set(output, known);
  }
  return known;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
