// What every `falsify <command>` is: a function of its arguments and an output pair. In a module of
// its own so the commands import it without importing main.ts, which imports them (no cycle).

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** A command returns its exit code: 0 success, 1 a finding (invalid, not canonical...), 2 a usage error. */
export type CliCommand = (args: string[], io: CliIo) => Promise<number>;
