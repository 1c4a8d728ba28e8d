import { parseNotebook } from "../core/format";
import { defineCommand } from "../core/command-line";
import { withCommandLine, type CliCommand } from "./command";
import { errorLines, readBytes } from "./read";

export const VALIDATE = defineCommand({
  name: "falsify validate",
  operands: "<file...>",
  summary: "Check files against the .falsify format. Exit 1 and print file:line:col: message for each invalid file.",
  minOperands: 1,
  options: {},
});

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
