// Errors from cells, as the user should read them: frames in cell code point at the cell's line and
// column (`cell [3]:2:5`, 3 being the run that defined the code), the kernel's own frames are gone.
import { inspect } from "node:util";
import type { CellFrame, KernelError } from "./protocol";

/** What the kernel remembers about each run, to map its frames. */
export interface CellScript {
  order: number;
  cellId?: string;
  toCell(line: number, column: number): { line: number; column: number } | undefined;
}

/** The file name a run's script is compiled under; stack frames carry it. */
export function cellScriptName(order: number): string {
  return `falsify-cell-${order}.js`;
}

const CELL_FILE = /falsify-cell-(\d+)\.js:(\d+):(\d+)/;
const FRAME = /^\s+at /;

export interface StackOptions {
  lookup(order: number): CellScript | undefined;
  /** True for frames of the kernel itself (its script, Node internals), which are hidden. */
  isInternal(frame: string): boolean;
}

export function describeError(thrown: unknown, options: StackOptions): KernelError {
  const error = thrown instanceof Error ? thrown : undefined;
  const name = error?.name ?? "Error";
  // A thrown non-Error reads as Node's REPL shows it: `Uncaught { code: 3 }`.
  const message = error ? error.message : `Uncaught ${inspect(thrown)}`;
  const frames: CellFrame[] = [];
  const lines: string[] = [];
  for (const line of (error?.stack ?? "").split("\n")) {
    if (!FRAME.test(line)) continue;
    const match = CELL_FILE.exec(line);
    if (match) {
      const script = options.lookup(Number(match[1]));
      const at = script?.toCell(Number(match[2]), Number(match[3]));
      if (!script || !at) continue; // generated code of the wrapper: nothing to show
      frames.push({ order: script.order, cellId: script.cellId, line: at.line, column: at.column });
      lines.push(line.replace(CELL_FILE, `cell [${script.order}]:${at.line}:${at.column}`));
    } else if (!options.isInternal(line)) {
      lines.push(line);
    }
  }
  return { name, message, stack: [`${name}: ${message}`, ...lines].join("\n"), frames };
}
