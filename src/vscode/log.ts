// One output channel for the extension; errors reveal it so failures are never silent.
import * as vscode from "vscode";

let channel: vscode.LogOutputChannel | undefined;

export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel("Falsify", { log: true });
  return channel;
}

export function reportError(message: string, error?: unknown): void {
  log().error(message, ...(error === undefined ? [] : [error]));
  log().show(true);
}
