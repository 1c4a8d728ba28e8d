// `falsify <command> ...`: the headless face of the same core the extension uses.
import { join } from "node:path";
import type { CommandSpec } from "../core/command-line";
import { generatorName } from "../core/export/version";
import { spawnKernel } from "../kernel/spawn";
import { withCommandLine, type CliCommand, type CliIo } from "./command";
import { EXPORT, FMT, LINT, MERGE, RUN, VALIDATE } from "./specs";

// The commands are loaded when one runs, not for `--help` or `--version`: in dist/ they are a bundle
// of their own (commands.js), since compiling it (TypeScript, zod, vega, the kernel client) is what
// made `falsify --help` take 1.5 s. `run` is a bundle of its own (run.js, without TypeScript: 0.5 MB,
// not 4.3), and starts its kernel process before loading it, so the two load side by side.
const commands = () => require("./commands") as typeof import("./commands");
const COMMANDS: Record<string, { spec: CommandSpec; load: () => CliCommand }> = {
  validate: { spec: VALIDATE, load: () => commands().validate },
  fmt: { spec: FMT, load: () => commands().fmt },
  lint: { spec: LINT, load: () => commands().lint },
  run: { spec: RUN, load: loadRun },
  export: { spec: EXPORT, load: () => commands().exportCommand },
  merge: { spec: MERGE, load: () => commands().merge },
};

function loadRun(): CliCommand {
  const kernel = spawnKernel({ kernelScript: join(__dirname, "kernel.js"), cwd: process.cwd() });
  try {
    const { runCommand } = require("./run") as typeof import("./run");
    // Killed when the command ends, whether or not it came to use it (a notebook that does not parse).
    return (args, io) => runCommand(args, io, { process: kernel }).finally(() => kernel.kill());
  } catch (error) {
    kernel.kill();
    throw error;
  }
}

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
  // The command line is checked (and --help answered) before the command's module loads.
  return withCommandLine(command.spec, args, io, () => command.load()(args, io));
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
