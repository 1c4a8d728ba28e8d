// Reading the files a command was given, saying on stderr why one could not be read.
import { readFile } from "node:fs/promises";
import { parseNotebook, type FormatError, type Notebook } from "../core/format";
import type { CliIo } from "./command";

export async function readText(file: string, io: CliIo): Promise<string | undefined> {
  return readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    io.err(`${file}: cannot read: ${error.message}`);
    return undefined;
  });
}

/** The notebook, or undefined after printing `file:line:col: message` lines. */
export async function readNotebook(file: string, io: CliIo): Promise<Notebook | undefined> {
  const text = await readText(file, io);
  if (text === undefined) return undefined;
  const parsed = parseNotebook(text);
  if (parsed.ok) return parsed.notebook;
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
