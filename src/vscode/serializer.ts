// The NotebookSerializer: the file format lives in src/core/format, its mapping onto VS Code's
// NotebookData in notebook.ts. A file that cannot be read makes deserialize throw, so VS Code refuses to
// open it and can never save an empty notebook over the user's bytes.
import * as vscode from "vscode";
import { parseNotebook, serializeNotebook, type FormatError } from "../core/format";
import { fromNotebookData, toNotebookData } from "./notebook";

export const NOTEBOOK_TYPE = "falsify-notebook";

export class FalsifySerializer implements vscode.NotebookSerializer {
  constructor(private readonly onFormatError: (error: FormatError) => void) {}

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const result = parseNotebook(content);
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
    case "schema": {
      const first = error.issues[0];
      return first ? `${error.message} (line ${first.line}, column ${first.column})` : error.message;
    }
    case "future-version":
      return error.message;
    default:
      return `${error.message} (line ${error.line}, column ${error.column})`;
  }
}
