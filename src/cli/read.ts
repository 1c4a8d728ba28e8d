// Reading the files a command was given, saying on stderr why one could not be read.
import { readFile } from "node:fs/promises";
import { parseNotebook, type FormatError, type Notebook } from "../core/format";
import type { CliIo } from "./command";

/** A file as read: its bytes (a later write checks the file still holds them) and its text. */
export interface Source {
  bytes: Uint8Array;
  text: string;
}

export async function readSource(file: string, io: CliIo): Promise<Source | undefined> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    io.err(`${file}: cannot read: ${error.message}`);
    return undefined;
  });
  return bytes && { bytes, text: new TextDecoder().decode(bytes) };
}

export async function readText(file: string, io: CliIo): Promise<string | undefined> {
  return (await readSource(file, io))?.text;
}

/** The notebook and the bytes it was read from, or undefined after printing `file:line:col: message` lines. */
export async function readNotebook(file: string, io: CliIo): Promise<{ notebook: Notebook; bytes: Uint8Array } | undefined> {
  const source = await readSource(file, io);
  if (source === undefined) return undefined;
  const parsed = parseNotebook(source.text);
  if (parsed.ok) return { notebook: parsed.notebook, bytes: source.bytes };
  for (const line of errorLines(file, parsed.error)) io.err(line);
  return undefined;
}

/** `file:line:col: message`, one line per problem, the format editors and CI annotators read. */
export function errorLines(file: string, error: FormatError): string[] {
  switch (error.kind) {
    case "syntax":
      return [`${file}:${error.line}:${error.column}: ${error.message}`];
    case "schema":
      return error.issues.map((issue) => `${file}:${issue.line}:${issue.column}: ${issue.message}`);
    case "future-version":
      return [`${file}:1:1: ${error.message}`];
  }
}
