import { parseNotebook } from "../core/format";
import { VALIDATE } from "./specs";
import { withCommandLine, type CliCommand } from "./command";
import { errorLines, readBytes } from "./read";

export const validate: CliCommand = (args, io) =>
  withCommandLine(VALIDATE, args, io, async (_, files) => {
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
  });
