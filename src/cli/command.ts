// What every `falsify <command>` is: a function of its arguments and an output pair. In a module of
// its own so the commands import it without importing main.ts, which imports them (no cycle).
import { parseCommandLine, type CommandSpec, type OptionSpec, type OptionValues } from "../core/command-line";

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** A command returns its exit code: 0 success, 1 a finding (invalid, not canonical...), 2 a usage error. */
export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

/**
 * Runs `run` with the command line read by `spec` (core/command-line.ts): `--help` prints the usage
 * and exits 0; a usage error prints what is wrong and the usage line, and exits 2.
 */
export async function withCommandLine<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  args: readonly string[],
  io: CliIo,
  run: (values: OptionValues<O>, operands: string[]) => Promise<number>,
): Promise<number> {
  const parsed = parseCommandLine(spec, args);
  if (parsed.kind === "help") {
    io.out(parsed.text);
    return 0;
  }
  if (parsed.kind === "error") {
    io.err(`${spec.name}: ${parsed.message}`);
    return 2;
  }
  return run(parsed.values, parsed.operands);
}
