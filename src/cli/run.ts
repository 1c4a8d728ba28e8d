// `falsify run <notebook.falsify> [options]` (RUN in specs.ts lists them): runs every cell in notebook order in the same kernel process the editor uses, seeded from the
// notebook seed; prints each cell's status and the verdicts; collects results through the same
// run-record code an exported script uses, so both write the same results JSON.
//
// Exit codes: 0 every cell ran (and no verdict tripped --fail-on), 1 a cell failed or a verdict
// tripped --fail-on, 2 usage errors and unreadable notebooks.
import { writeFileAtomic } from "../core/atomic-write";
import { basename, dirname, resolve } from "node:path";
import type { VerdictWord } from "../core/display";
import { notebookSeed } from "../core/cell/environment";
import type { Cell } from "../core/format";
import type { TaskProgress } from "../core/kernel/protocol";
import { describeProgress } from "../core/progress";
import { describeTensorFlow, KernelClient, type CellRun, type KernelStartOptions, type RunListener, type RunResult } from "../kernel/client";
import { chartLines, resultLines, RunRecord } from "../runtime/run-record";
import { parseCommandLine, usageLine, type OptionValues } from "../core/command-line";
import { CI_TIMEOUT_SECONDS, RUN } from "./specs";
import { withCommandLine, type CliCommand, type CliIo } from "./command";
import { cellLog } from "./log-output";
import { readNotebook } from "./read";
import { writeOutputsBack, type RanCell } from "./write-back";

export interface RunOptions {
  notebook: string;
  out?: string;
  /** Write every chart the cells display as an SVG file here (named as exported scripts name them). */
  svgDir?: string;
  /** Charts may read data files inside the notebook's folder (they read no file without it). */
  allowChartFiles?: boolean;
  write: boolean;
  failOn?: Exclude<VerdictWord, "supported">;
  /** Seconds a cell may run before it is interrupted, then killed (0: no limit). */
  timeout?: number;
  /** Console text a cell's run keeps (the kernel's default otherwise). */
  maxOutputChars?: number;
  /** Print what each cell prints (stdout, stderr, displays' text) as it runs. */
  logOutput?: boolean;
}


/** Kernel start options for tests (a kernel bundle built from src) and other hosts. */
export type KernelOverrides = Partial<Omit<KernelStartOptions, "notebookDir">>;

export const run: CliCommand = (args, io) => runCommand(args, io);

export function runCommand(args: string[], io: CliIo, kernel: KernelOverrides = {}): Promise<number> {
  return withCommandLine(RUN, args, io, async (values, operands) => {
    const options = runOptions(values, operands);
    if (typeof options === "string") {
      io.err(`falsify run: ${options}\n${usageLine(RUN)}`);
      return 2;
    }
    return runNotebook(options, io, kernel);
  });
}

/** The run's options from its command line, or what is wrong with it. */
export function parseRunArgs(args: readonly string[]): RunOptions | string {
  const parsed = parseCommandLine(RUN, args);
  if (parsed.kind === "parsed") return runOptions(parsed.values, parsed.operands);
  return parsed.kind === "error" ? parsed.message : parsed.text;
}

function runOptions(values: OptionValues<typeof RUN.options>, [notebook]: string[]): RunOptions | string {
  const options: RunOptions = {
    notebook,
    out: values.out,
    svgDir: values["svg-dir"],
    allowChartFiles: values["allow-chart-files"] === true,
    write: values.write === true,
    failOn: values["fail-on"] as RunOptions["failOn"],
    logOutput: values["log-output"] === true,
  };
  for (const [flag, min, unit] of [["timeout", 0, "of seconds (0: no limit)"], ["max-output-chars", 1, "of characters"]] as const) {
    const text = values[flag];
    if (text === undefined) continue;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min) return `--${flag} takes a whole number ${unit} (got ${text})`;
    if (flag === "timeout") options.timeout = value;
    else options.maxOutputChars = value;
  }
  if (options.timeout === undefined && process.env.CI) options.timeout = CI_TIMEOUT_SECONDS;
  return options;
}

async function runNotebook(options: RunOptions, io: CliIo, overrides: KernelOverrides): Promise<number> {
  const path = resolve(options.notebook);
  const read = await readNotebook(options.notebook, io);
  if (!read) return 2;
  const { notebook } = read;
  const ran = new Map<string, RanCell>();
  const seed = notebookSeed(notebook.metadata);
  const record = new RunRecord();
  record.begin({ notebook: basename(path), seed });

  // tfjs-node from the notebook's folder (the kernel looks there first), the workspace (the current
  // folder), or the one installed with this falsify: a notebook anywhere gets the fastest backend there is.
  const searchFrom = [process.cwd(), __dirname];
  // tfjs loads before the first cell that may use it: a notebook that never does is not kept waiting for it.
  const kernel = await KernelClient.start({ notebookDir: dirname(path), seed, searchFrom, maxOutputChars: options.maxOutputChars, tensorflow: "on-first-use", ...overrides, onLog: (line, level) => level !== "info" && io.err(line.trimEnd()) });
  let failed: Cell | undefined;
  let timedOut: { cell: Cell; killed: boolean } | undefined;
  const raisedLate: string[] = [];
  kernel.onLateError(({ order, cellId, error }) => {
    const cell = cellId ?? `[${order}]`;
    raisedLate.push(cell);
    io.out(`  error    ${cell} (raised after the cell ended)`);
    for (const line of error.stack.split("\n")) if (line) io.out(`           ${line}`);
  });
  try {
    const loaded = kernel.info.tensorflow;
    io.out(`falsify run: ${basename(path)}, seed ${seed}${loaded ? `, ${describeTensorFlow(loaded)}` : ""}`);
    kernel.onTensorFlow((info) => io.out(`  ${describeTensorFlow(info)}`));
    for (const cell of notebook.cells) {
      const language = runnableLanguage(cell);
      if (!language) continue;
      if (failed) {
        io.out(`  skipped  ${cell.id}`);
        continue;
      }
      const log = options.logOutput ? cellLog(io) : undefined;
      if (log) io.out(`  running  ${cell.id}`);
      const progress = progressLines(io);
      const listener: RunListener = (event, output) => (event.type === "progress" ? progress(event.progress) : log?.listener(event, output));
      const { result, stopped } = await executeWithin(kernel, { source: cell.source, language, cellId: cell.id }, options.timeout, listener);
      log?.flush();
      if (stopped && result.status !== "ok") timedOut = { cell, killed: stopped === "killed" };
      record.observeOutputs(result.outputs, cell.id);
      const ms = result.execution?.durationMs === undefined ? "" : ` (${Math.round(result.execution.durationMs)} ms)`;
      if (result.status === "ok") io.out(`  ok       ${cell.id}${ms}`);
      else {
        failed = cell;
        io.out(`  ${result.status.padEnd(8)} ${cell.id}${ms}`);
        const detail = result.error?.stack ?? result.died ?? "";
        for (const line of detail.split("\n")) if (line) io.out(`           ${line}`);
      }
      ran.set(cell.id, { source: cell.source, language: cell.language, outputs: result.outputs, execution: result.execution });
    }
  } finally {
    kernel.dispose();
  }

  const results = record.results();
  for (const line of resultLines(results)) io.out(line);
  if (options.out) {
    await writeFileAtomic(options.out, record.serializedResults());
    io.out(`wrote ${options.out}`);
  }
  const charts = options.svgDir ? await record.writeCharts(options.svgDir, options.allowChartFiles ? { filesIn: dirname(path) } : {}) : undefined;
  const chartReport = charts && options.svgDir ? chartLines(charts, options.svgDir) : { out: [], err: [] };
  for (const line of chartReport.out) io.out(line);
  for (const line of chartReport.err) io.err(`falsify run: ${line}`);
  const writeBack = options.write ? await writeOutputsBack(path, read.bytes, ran) : undefined;
  if (writeBack?.written) io.out(`wrote outputs into ${options.notebook}${writeBack.merged ? " (it changed during the run: merged by cell id)" : ""}`);
  if (writeBack && !writeBack.written) io.err(`falsify run: did not write outputs into ${options.notebook}: ${writeBack.reason}`);
  if (timedOut) {
    const how = timedOut.killed ? "did not stop when interrupted and was killed with the kernel" : "was interrupted";
    io.err(`falsify run: cell ${timedOut.cell.id} ran longer than ${options.timeout} s (--timeout; ${CI_TIMEOUT_SECONDS / 60} min by default in CI) and ${how}; the cells after it did not run`);
    return 1;
  }
  if (failed) {
    io.err(`falsify run: cell ${failed.id} failed; the cells after it did not run`);
    return 1;
  }
  if (raisedLate.length) {
    io.err(`falsify run: ${raisedLate.join(", ")} raised an error after ${raisedLate.length > 1 ? "their runs" : "its run"} ended`);
    return 1;
  }
  if (chartReport.err.length || (writeBack && !writeBack.written)) return 1;
  const tripped = results.verdicts.filter((v) => trips(v.verdict, options.failOn));
  if (tripped.length) {
    io.err(`falsify run: --fail-on ${options.failOn}: ${tripped.map((v) => `${v.hypothesis} ${v.verdict}`).join(", ")}`);
    return 1;
  }
  return 0;
}

/** Seconds between two progress lines of one task (its first and last lines always print). */
const PROGRESS_EVERY_S = 5;

/** A long toolkit call's progress as lines on stderr: when it starts, every few seconds, and when it ends. */
export function progressLines(io: { err(line: string): void }, now: () => number = Date.now): (progress: TaskProgress) => void {
  const printed = new Map<number, number>();
  return (progress) => {
    const last = printed.get(progress.task);
    if (!progress.final && last !== undefined && now() - last < PROGRESS_EVERY_S * 1000) return;
    printed.set(progress.task, now());
    io.err(`           ${describeProgress(progress)}`);
  };
}

/**
 * Runs a cell; past `seconds` it is interrupted, and if it has not stopped after a grace period
 * (as long as the limit, 1 to 10 s: a cell stuck in native code never sees the interrupt) the
 * kernel is killed, which ends the run as died.
 */
async function executeWithin(kernel: KernelClient, cell: CellRun, seconds: number | undefined, onEvent?: RunListener): Promise<{ result: RunResult; stopped?: "interrupted" | "killed" }> {
  if (!seconds) return { result: await kernel.execute(cell, onEvent) };
  let stopped: "interrupted" | "killed" | undefined;
  let kill: NodeJS.Timeout | undefined;
  const stop = () => {
    stopped = "interrupted";
    kernel.interrupt();
    kill = setTimeout(() => {
      stopped = "killed";
      kernel.dispose();
    }, Math.min(10, Math.max(1, seconds)) * 1000);
  };
  let limit = setTimeout(stop, seconds * 1000);
  // The cell's time starts once tfjs loaded for it (the run's own clock starts then too).
  const loaded = kernel.onTensorFlow(() => {
    clearTimeout(limit);
    if (!stopped) limit = setTimeout(stop, seconds * 1000);
  });
  try {
    return { result: await kernel.execute(cell, onEvent), stopped };
  } finally {
    loaded();
    clearTimeout(limit);
    clearTimeout(kill);
  }
}

/** What the kernel runs: TypeScript cells, and hypothesis cells (registered for hypotheses.get). */
function runnableLanguage(cell: Cell): "typescript" | "hypothesis" | undefined {
  if (cell.language === "hypothesis") return "hypothesis";
  return cell.kind === "code" && cell.language === "typescript" ? "typescript" : undefined;
}

/** `--fail-on inconclusive` is the stricter gate: it also fails on falsified. */
function trips(word: VerdictWord, failOn: RunOptions["failOn"]): boolean {
  if (failOn === "falsified") return word === "falsified";
  if (failOn === "inconclusive") return word !== "supported";
  return false;
}
