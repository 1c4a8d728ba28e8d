import { parseNotebook } from "../core/format";
import type { CliCommand } from "./command";
import { errorLines, readBytes } from "./read";

export const validate: CliCommand = async (files, io) => {
  if (!files.length) {
    io.err("falsify validate: name at least one .falsify file");
    return 2;
  }
  let invalid = 0;
  for (const file of files) {
    const bytes = await readBytes(file, io);
    if (bytes === undefined) {
      invalid++;
      continue;
    }
    const result = parseNotebook(bytes);
    if (!result.ok) {
      invalid++;
      for (const line of errorLines(file, result.error)) io.out(line);
    }
  }
  return invalid ? 1 : 0;
};
