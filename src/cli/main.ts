// `falsify <command> ...`: the headless face of the same core the extension uses.
import { exportCommand } from "./export";
import { fmt } from "./fmt";
import { lint } from "./lint";
import { merge } from "./merge";
import { run } from "./run";
import { validate } from "./validate";
import type { CliCommand, CliIo } from "./command";

const COMMANDS: Record<string, { run: CliCommand; usage: string }> = {
  validate: { run: validate, usage: "falsify validate <file...>            check files against the format" },
  fmt: { run: fmt, usage: "falsify fmt <file...> [--check] [--fix-ids]   rewrite files in canonical form (--fix-ids: rename unsafe or repeated cell ids)" },
  lint: { run: lint, usage: "falsify lint <file...> [--format text|json|sarif] [--max-warnings N]   check falsifiability" },
  run: { run, usage: "falsify run <notebook> [--out results.json] [--svg-dir dir [--allow-chart-files]] [--write] [--fail-on falsified|inconclusive] [--timeout SECONDS] [--max-output-chars N]   run all cells headless" },
  export: { run: exportCommand, usage: "falsify export <notebook> [--cell ID] [--bundle] [-o file.ts|.mjs]   a standalone script (cell + dependencies); --bundle: one .mjs that runs anywhere" },
  merge: { run: merge, usage: "falsify merge <results.json...> [-o merged.json] [--sweep]   combine shard/seed results" },
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    if (name !== undefined && name !== "--help" && name !== "-h") io.err(`falsify: unknown command '${name}'`);
    io.err(["Usage:", ...Object.values(COMMANDS).map((c) => `  ${c.usage}`)].join("\n"));
    return name === "--help" || name === "-h" ? 0 : 2;
  }
  return command.run(args, io);
}

if (require.main === module) {
  runCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`falsify: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = 2;
    },
  );
}
