// Starts a kernel process and talks to it. Used by the VS Code controller and by `falsify run`, so
// it knows nothing of VS Code.
//
//   const kernel = await KernelClient.start({ notebookDir });
//   const run = await kernel.execute({ source: "1 + 1" }, (event) => ...stream it...);
//   run.status, run.outputs (the notebook's Output[]), run.execution
//   kernel.interrupt(); kernel = await kernel.restart(); kernel.dispose();
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Writable } from "node:stream";
import { MIME } from "../core/display";
import { addOutput, outputsHash } from "../core/format/outputs";
import type { Execution, Output } from "../core/format/schema";
import type { BackendName } from "../core/backend";
import { kernelProcessEnded, spawnKernel } from "./spawn";
import type { ExecuteRequest, InitRequest, KernelError, KernelEvent, KernelRequest, LateErrorEvent, Memory, ProgressEvent, ReadyEvent, RunEvent, RunStatus, TensorFlowInfo } from "../core/kernel/protocol";

export interface KernelStartOptions {
  /** Folder of the notebook: the kernel's cwd, the base of relative imports and npm resolution. */
  notebookDir: string;
  /** More folders to find `@tensorflow/tfjs-node` in (workspace folders, the extension). */
  searchFrom?: string[];
  /** Use this backend or a slower one (tensorflow > wasm > cpu). */
  prefer?: BackendName;
  /** The notebook seed (`notebookSeed(metadata)`): Math.random and the cells' `rng` start from it. */
  seed?: number;
  /** Text output a run keeps (default DEFAULT_MAX_OUTPUT_CHARS); a note says how much more was dropped. */
  maxOutputChars?: number;
  /** When tfjs and the runtime library load (default: as the kernel starts; `info.tensorflow` says which backend). */
  tensorflow?: InitRequest["tensorflow"];
  /** A bundled tfjs and its wasm folder; default: dist/tfjs.js and dist/wasm/ beside the kernel script, if built. */
  bundled?: { module: string; wasmDir: string };
  /** The kernel bundle; default `kernel.js` next to this code (dist/). */
  kernelScript?: string;
  /** Default `process.execPath` (Electron in desktop VS Code: run as Node through ELECTRON_RUN_AS_NODE). */
  execPath?: string;
  /** Node flags for the kernel, e.g. `--max-old-space-size=8192`. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** A kernel process spawnKernel started already (`falsify run` starts it first); the options above that start one are then unused. */
  process?: ChildProcess;
  /** The kernel's own output: native library messages, uncaught errors between runs, crash reports. */
  onLog?: (text: string, level: "info" | "warn" | "error") => void;
}

export type KernelInfo = Omit<ReadyEvent, "type">;

export interface CellRun {
  source: string;
  language?: ExecuteRequest["language"];
  cellId?: string;
}

export interface RunResult {
  /** `died`: the kernel process ended during the run (see `died` for why). */
  status: RunStatus | "died";
  /** The run's outputs in the notebook format, console chunks merged. */
  outputs: Output[];
  /** What the notebook records about the run, with the hash of `outputs`. */
  execution?: Execution;
  error?: KernelError;
  memory?: Memory;
  died?: string;
}

/** Sees each event of a run as it happens, with the index in `outputs` of the output it went into (stream, display, error). */
export type RunListener = (event: RunEvent, output: number) => void;

interface PendingRun {
  result: RunResult;
  onEvent?: RunListener;
  resolve(result: RunResult): void;
}

export class KernelClient {
  /** Why the kernel process ended on its own (crash, out of memory); undefined while it lives. */
  deathReason: string | undefined;
  /** tf.memory() after the last run. */
  memory: Memory | undefined;
  private readonly runs = new Map<number, PendingRun>();
  private readonly deathListeners = new Set<(reason: string) => void>();
  private readonly memoryListeners = new Set<(memory: Memory) => void>();
  private readonly lateErrorListeners = new Set<(event: LateErrorEvent) => void>();
  private readonly tensorflowListeners = new Set<(info: TensorFlowInfo) => void>();
  private seeded: (() => void) | undefined;
  private nextId = 1;
  private disposed = false;
  private stderrTail = "";

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: KernelStartOptions,
    readonly info: KernelInfo,
  ) {}

  static start(options: KernelStartOptions): Promise<KernelClient> {
    const kernelScript = options.kernelScript ?? join(__dirname, "kernel.js");
    const child = options.process ?? spawnKernel({ ...options, kernelScript, cwd: options.notebookDir });
    const ended = options.process && kernelProcessEnded(options.process);
    if (ended) return Promise.reject(new Error(`kernel did not start: ${ended}`));
    return new Promise((resolve, reject) => {
      let client: KernelClient | undefined;
      let stderr = "";
      const log = options.onLog ?? (() => {});
      child.stdout?.setEncoding("utf8").on("data", (text: string) => log(text, "info"));
      child.stderr?.setEncoding("utf8").on("data", (text: string) => {
        if (client) client.stderrTail = (client.stderrTail + text).slice(-4000);
        else stderr = (stderr + text).slice(-4000);
        log(text, "warn");
      });
      child.on("message", (event: KernelEvent) => {
        if (client) client.receive(event);
        else if (event.type === "ready") {
          const { type: _, ...info } = event;
          client = new KernelClient(child, options, info);
          client.stderrTail = stderr;
          resolve(client);
        } else if (event.type === "log") log(event.text, event.level);
      });
      child.on("error", (error) => {
        if (!client) reject(new Error(`kernel did not start: ${error.message}`));
      });
      child.on("exit", (code, signal) => {
        if (client) client.exited(code, signal);
        else reject(new Error(`kernel did not start: ${deathReason(code, signal, stderr)}`));
      });
      const bundled = options.bundled ?? bundledTfjs(dirname(kernelScript));
      const init: KernelRequest = {
        type: "init",
        notebookDir: options.notebookDir,
        searchFrom: options.searchFrom ?? [],
        prefer: options.prefer,
        bundled,
        seed: options.seed,
        maxOutputChars: options.maxOutputChars,
        tensorflow: options.tensorflow,
      };
      child.send(init);
    });
  }

  get alive(): boolean {
    return !this.disposed && this.deathReason === undefined;
  }

  /** True while a run is queued or running. */
  get busy(): boolean {
    return this.runs.size > 0;
  }

  /** Runs one cell; `onEvent` sees its output as it happens. Runs are queued in the kernel in call order. */
  execute(cell: CellRun, onEvent?: RunListener): Promise<RunResult> {
    if (!this.alive) return Promise.resolve({ status: "died", outputs: [], died: this.deathReason ?? "the kernel was shut down" });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.runs.set(id, { result: { status: "ok", outputs: [] }, onEvent, resolve });
      this.send({ type: "execute", id, language: cell.language ?? "typescript", source: cell.source, cellId: cell.cellId });
    });
  }

  /** Stops the running cell (all of them when none is named), keeping the kernel's state. */
  interrupt(): void {
    if (this.alive) (this.child.stdio[3] as Writable).write(`${JSON.stringify({ type: "interrupt" })}\n`);
  }

  /** Seeds Math.random (tfjs' random ops and initialisers) and the cells' `rng`; waits for earlier runs. */
  seed(seed: number): Promise<void> {
    return new Promise((resolve) => {
      this.seeded = resolve;
      this.send({ type: "seed", seed });
    });
  }

  /** tf.memory() after each run. */
  onMemory(listener: (memory: Memory) => void): () => void {
    this.memoryListeners.add(listener);
    return () => this.memoryListeners.delete(listener);
  }

  /** An error a cell's code raised after its run ended (a timer, a promise nobody awaited). */
  onLateError(listener: (event: LateErrorEvent) => void): () => void {
    this.lateErrorListeners.add(listener);
    return () => this.lateErrorListeners.delete(listener);
  }

  /** tfjs loaded on first use (`info.tensorflow` is then set): before the run that needed it starts. */
  onTensorFlow(listener: (info: TensorFlowInfo) => void): () => void {
    this.tensorflowListeners.add(listener);
    return () => this.tensorflowListeners.delete(listener);
  }

  /** Called once if the kernel dies on its own (not after `dispose`). */
  onDeath(listener: (reason: string) => void): () => void {
    this.deathListeners.add(listener);
    return () => this.deathListeners.delete(listener);
  }

  /** A fresh kernel with the same options; this one is disposed. */
  async restart(): Promise<KernelClient> {
    this.dispose();
    return KernelClient.start(this.options);
  }

  /** Kills the kernel process; pending runs end as `died`. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.child.kill("SIGKILL");
    this.endRuns("the kernel was shut down");
  }

  private send(request: KernelRequest): void {
    this.child.send(request);
  }

  private receive(event: KernelEvent): void {
    switch (event.type) {
      case "progress": {
        // Shown while the run lasts, never one of its outputs (-1: not in the result).
        const run = this.runs.get(event.id);
        run?.onEvent?.(event, -1);
        return;
      }
      case "stream":
      case "display":
      case "error":
      case "done": {
        const run = this.runs.get(event.id);
        if (!run) return this.options.onLog?.(`output of a finished run: ${JSON.stringify(event)}`, "info");
        const output = collect(run.result, event);
        run.onEvent?.(event, output);
        if (event.type === "done") {
          this.runs.delete(event.id);
          this.memory = event.memory;
          for (const listener of this.memoryListeners) listener(event.memory);
          run.resolve(run.result);
        }
        return;
      }
      case "late-error":
        if (!this.lateErrorListeners.size) this.options.onLog?.(`cell ${event.cellId ?? `[${event.order}]`} raised after it ended: ${event.error.stack}`, "error");
        for (const listener of this.lateErrorListeners) listener(event);
        return;
      case "seeded":
        this.seeded?.();
        return;
      case "tensorflow": {
        const { type: _, ...info } = event;
        this.info.tensorflow = info;
        for (const listener of this.tensorflowListeners) listener(info);
        return;
      }
      case "log":
        this.options.onLog?.(event.text, event.level);
        return;
      case "ready":
        return;
    }
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.disposed) return;
    const reason = deathReason(code, signal, this.stderrTail);
    this.deathReason = reason;
    this.endRuns(reason);
    for (const listener of this.deathListeners) listener(reason);
  }

  private endRuns(reason: string): void {
    for (const run of this.runs.values()) run.resolve({ ...run.result, status: "died", died: reason });
    this.runs.clear();
    this.seeded?.();
  }
}

/** Adds one event to a run's result; returns the index of the output it went into (-1 for done). */
function collect(result: RunResult, event: Exclude<RunEvent, ProgressEvent>): number {
  const outputs = result.outputs;
  switch (event.type) {
    case "stream":
      return addOutput(outputs, { items: [{ mime: event.name === "stdout" ? MIME.stdout : MIME.stderr, data: event.text }] });
    case "display":
      return addOutput(outputs, { items: event.items });
    case "error":
      result.error = event.error;
      return addOutput(outputs, { items: [{ mime: MIME.error, data: { name: event.error.name, message: event.error.message, stack: event.error.stack } }] });
    case "done":
      result.status = event.status;
      result.execution = { ...event.execution, outputsHash: outputsHash(outputs) };
      result.memory = event.memory;
      return -1;
  }
}

/** "tfjs 4.22.0 on tensorflow (@tensorflow/tfjs-node from ...)": which TensorFlow.js runs the cells, and why that backend. */
export function describeTensorFlow(info: TensorFlowInfo): string {
  return `tfjs ${info.tfjsVersion} on ${info.backend}${info.why ? ` (${info.why})` : ""}`;
}

/** dist/tfjs.js and dist/wasm/ beside the kernel (a packaged extension), when they are there. */
function bundledTfjs(dir: string): KernelStartOptions["bundled"] {
  const module = join(dir, "tfjs.js");
  return existsSync(module) ? { module, wasmDir: join(dir, "wasm") } : undefined;
}

function deathReason(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  if (/heap out of memory|Allocation failed/i.test(stderr)) return "out of memory (JavaScript heap)";
  if (signal) return `killed by ${signal}`;
  const lastLine = stderr.trim().split("\n").pop();
  return `exited with code ${code}${lastLine ? `: ${lastLine}` : ""}`;
}
