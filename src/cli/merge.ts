// `falsify merge results-*.json [-o merged.json] [--sweep]`: one results file from the shards (and,
// with --sweep, the seeds) of independent jobs, before the statistics. Without -o it prints.
import { writeFileAtomic } from "../core/atomic-write";
import { mergeResults, parseResults, serializeResults, type Results } from "../core/export";
import { MERGE } from "./specs";
import { withCommandLine, type CliCommand } from "./command";
import { readText } from "./read";

export const merge: CliCommand = (args, io) =>
  withCommandLine(MERGE, args, io, async ({ out, sweep }, files) => {
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
    const merged = mergeResults(inputs, files, { sweep: sweep === true });
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
  });
