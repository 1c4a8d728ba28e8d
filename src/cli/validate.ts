import { parseNotebook, type FormatError } from "../core/format";
import type { CliCommand } from "./main";
import { readText } from "./read";

export const validate: CliCommand = async (files, io) => {
  if (!files.length) {
    io.err("falsify validate: name at least one .falsify file");
    return 2;
  }
  let invalid = 0;
  for (const file of files) {
    const text = await readText(file, io);
    if (text === undefined) {
      invalid++;
      continue;
    }
    const result = parseNotebook(text);
    if (!result.ok) {
      invalid++;
      for (const line of errorLines(file, result.error)) io.out(line);
    }
  }
  return invalid ? 1 : 0;
};

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
