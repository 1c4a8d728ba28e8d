// Commands: a table of id -> handler, registered in one place.
import * as vscode from "vscode";
import { notebookTemplate } from "../core/format";
import { openExample } from "./examples";
import { toNotebookData } from "./notebook";
import { NOTEBOOK_TYPE } from "./serializer";
import { takeStudy } from "./study";

type Command = (...args: unknown[]) => unknown;

export function registerCommands(): vscode.Disposable {
  const table: Record<string, Command> = {
    "falsify.newNotebook": newNotebook,
    "falsify.openExample": openExample,
    "falsify.takeStudy": takeStudy,
  };
  return vscode.Disposable.from(...Object.entries(table).map(([id, run]) => vscode.commands.registerCommand(id, run)));
}

async function newNotebook(): Promise<void> {
  const document = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, toNotebookData(notebookTemplate()));
  await vscode.window.showNotebookDocument(document);
}
