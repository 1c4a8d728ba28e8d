import { writeFile } from "node:fs/promises";
import { parseNotebook, serializeNotebook } from "../core/format";
import type { CliCommand } from "./command";
import { errorLines, readText } from "./read";

export const fmt: CliCommand = async (args, io) => {
  const check = args.includes("--check");
  const fixIds = args.includes("--fix-ids");
  const files = args.filter((arg) => arg !== "--check" && arg !== "--fix-ids");
  if (!files.length) {
    io.err("falsify fmt: name at least one .falsify file");
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    const text = await readText(file, io);
    if (text === undefined) {
      failed++;
      continue;
    }
    const result = parseNotebook(text, { fixIds });
    if (!result.ok) {
      // Never rewrite what we could not read.
      failed++;
      for (const line of errorLines(file, result.error)) io.err(line);
      continue;
    }
    for (const { index, from, to } of result.renamed ?? []) io.out(`${file}: cell ${index + 1}: id ${JSON.stringify(from) ?? "(none)"} -> ${to}`);
    const canonical = serializeNotebook(result.notebook);
    if (canonical === text) continue;
    if (check) {
      failed++;
      io.out(`${file}: not in canonical form (run: falsify fmt ${file})`);
    } else {
      await writeFile(file, canonical);
      io.out(`${file}: formatted`);
    }
  }
  return failed ? 1 : 0;
};
