// `falsify <command> ...`: the headless face of the same core the extension uses.
import type { CommandSpec } from "../core/command-line";
import { generatorName } from "../core/export/version";
import { EXPORT, exportCommand } from "./export";
import { FMT, fmt } from "./fmt";
import { LINT, lint } from "./lint";
import { MERGE, merge } from "./merge";
import { RUN, run } from "./run";
import { VALIDATE, validate } from "./validate";
import type { CliCommand, CliIo } from "./command";

const COMMANDS: Record<string, { run: CliCommand; spec: CommandSpec }> = {
  validate: { run: validate, spec: VALIDATE },
  fmt: { run: fmt, spec: FMT },
  lint: { run: lint, spec: LINT },
  run: { run, spec: RUN },
  export: { run: exportCommand, spec: EXPORT },
  merge: { run: merge, spec: MERGE },
};

function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const firstSentence = (text: string) => text.replace(/(?<=\.)\s.*$/s, "");
  return [
    "Usage: falsify <command> [options]     (falsify <command> --help: that command's options)",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, { spec }]) => `  ${name.padEnd(width)}  ${firstSentence(spec.summary)}`),
    "",
    "  --version  print the version",
  ].join("\n");
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === "--version" || name === "-v") {
    io.out(generatorName());
    return 0;
  }
  if (name === "--help" || name === "-h") {
    io.out(overview());
    return 0;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    if (name !== undefined) io.err(`falsify: unknown command '${name}'`);
    io.err(overview());
    return 2;
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
