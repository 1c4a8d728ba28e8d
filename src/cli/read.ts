// Reading the files a command was given, saying on stderr why one could not be read.
import { readFile } from "node:fs/promises";
import { decodeUtf8, parseNotebook, type FormatError, type Notebook } from "../core/format";
import type { CliIo } from "./command";

export async function readBytes(file: string, io: CliIo): Promise<Uint8Array | undefined> {
  return readFile(file).catch((error: NodeJS.ErrnoException) => {
    io.err(`${file}: cannot read: ${error.message}`);
    return undefined;
  });
}

/** A file's text, or undefined after saying why it cannot be read (invalid UTF-8 with its position). */
export async function readText(file: string, io: CliIo): Promise<string | undefined> {
  const bytes = await readBytes(file, io);
  if (bytes === undefined) return undefined;
  const decoded = decodeUtf8(bytes);
  if (decoded.ok) return decoded.text;
  io.err(`${file}:${decoded.position.line}:${decoded.position.column}: ${decoded.message}`);
  return undefined;
}

/** The notebook and the bytes it was read from, or undefined after printing `file:line:col: message` lines. */
export async function readNotebook(file: string, io: CliIo): Promise<{ notebook: Notebook; bytes: Uint8Array } | undefined> {
  const bytes = await readBytes(file, io);
  if (bytes === undefined) return undefined;
  const parsed = parseNotebook(bytes);
  if (parsed.ok) return { notebook: parsed.notebook, bytes };
  for (const line of errorLines(file, parsed.error)) io.err(line);
  return undefined;
}

/** `file:line:col: message`, one line per problem, the format editors and CI annotators read. */
export function errorLines(file: string, error: FormatError): string[] {
  switch (error.kind) {
    case "schema":
      return error.issues.map((issue) => `${file}:${issue.line}:${issue.column}: ${issue.message}`);
    case "future-version":
      return [`${file}:1:1: ${error.message}`];
    default:
      return [`${file}:${error.line}:${error.column}: ${error.message}`];
  }
}
