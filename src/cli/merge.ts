// `falsify merge results-*.json [-o merged.json] [--sweep]`: one results file from the shards (and,
// with --sweep, the seeds) of independent jobs, before the statistics. Without -o it prints.
import { writeFileAtomic } from "../core/atomic-write";
import { mergeResults, parseResults, serializeResults, type Results } from "../core/export";
import type { CliCommand } from "./command";
import { readText } from "./read";

const USAGE = "Usage: falsify merge <results.json...> [-o merged.json] [--sweep]";

export const merge: CliCommand = async (args, io) => {
  const files: string[] = [];
  let out: string | undefined;
  let sweep = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-o" || arg === "--out") {
      out = args[++i];
      if (!out) {
        io.err(USAGE);
        return 2;
      }
    } else if (arg === "--sweep") sweep = true;
    else if (arg.startsWith("-")) {
      io.err(`falsify merge: unknown option ${arg}\n${USAGE}`);
      return 2;
    } else files.push(arg);
  }
  if (!files.length) {
    io.err(USAGE);
    return 2;
  }
  const inputs: Results[] = [];
  for (const file of files) {
    const text = await readText(file, io);
    if (text === undefined) return 2;
    const parsed = parseResults(text);
    if (!parsed.ok) {
      io.err(`${file}:${parsed.error.line}:${parsed.error.column}: ${parsed.error.message}`);
      return 1;
    }
    inputs.push(parsed.results);
  }
  const merged = mergeResults(inputs, files, { sweep });
  if (!merged.ok) {
    io.err(`falsify merge: refused (${merged.error.kind}): ${merged.error.message}`);
    return 1;
  }
  const text = serializeResults(merged.merged);
  if (!out) {
    io.out(text.trimEnd());
    return 0;
  }
  await writeFileAtomic(out, text);
  const { runs, verdicts, metrics } = merged.merged;
  io.out(`wrote ${out}: ${runs.length} runs, ${verdicts.length} verdicts, ${metrics.length} metrics`);
  return 0;
};
