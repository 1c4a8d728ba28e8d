import { writeFileAtomic } from "../core/atomic-write";
import { parseNotebook, serializeNotebook } from "../core/format";
import { FMT } from "./specs";
import { withCommandLine, type CliCommand } from "./command";
import { errorLines, readBytes } from "./read";

export const fmt: CliCommand = (args, io) =>
  withCommandLine(FMT, args, io, async (values, files) => {
    const check = values.check === true;
    const fixIds = values["fix-ids"] === true;
    let failed = 0;
    for (const file of files) {
      const bytes = await readBytes(file, io);
      if (bytes === undefined) {
        failed++;
        continue;
      }
      const result = parseNotebook(bytes, { fixIds });
      if (!result.ok) {
        // Never rewrite what we could not read.
        failed++;
        for (const line of errorLines(file, result.error)) io.err(line);
        continue;
      }
      for (const { index, from, to } of result.renamed ?? []) io.out(`${file}: cell ${index + 1}: id ${JSON.stringify(from) ?? "(none)"} -> ${to}`);
      const canonical = serializeNotebook(result.notebook);
      if (Buffer.from(canonical).equals(bytes)) continue;
      if (check) {
        failed++;
        io.out(`${file}: not in canonical form (run: falsify fmt ${file})`);
      } else {
        const written = await writeFileAtomic(file, canonical, { unchanged: bytes }).then(
          () => true,
          (error: Error) => (io.err(`${file}: not formatted: ${error.message}`), false),
        );
        if (written) io.out(`${file}: formatted`);
        else failed++;
      }
    }
    return failed ? 1 : 0;
  });
