// One kernel session: the cells' shared global state and the runs that change it. Transport-free:
// `send` receives every event, so tests and the IPC entry (main.ts) drive the same code.
import { format } from "node:util";
import { runInThisContext } from "node:vm";
import type { Tf } from "../core/backend";
import { installCellGlobals, KERNEL_HOOKS_GLOBAL, LazyGlobal, mayUseTensorFlow, seedCellRandomness, type Display } from "../core/cell/environment";
import { readCell } from "../core/cell/reading";
import type { Execution } from "../core/format/schema";
import { sourceHash } from "../core/hash";
import { FALSIFY_VERSION } from "../core/export/version";
import { parseHypothesis, type Hypothesis } from "../core/hypothesis";
import { setTaskHost } from "../core/progress";
import { cellScriptName, describeError, type CellScript } from "../core/kernel/stack";
import { compileCell } from "../core/kernel/transpile";
import { mimeBundle } from "../core/kernel/mime-bundle";
import type { ExecuteRequest, KernelError, KernelEvent, Memory, RunStatus } from "../core/kernel/protocol";
import type { KernelHooks } from "../core/kernel/repl";
import type { TensorLike } from "../core/kernel/tensor";
import { Interrupted, InterruptChannel } from "./interrupt";
import { leakWarning, reachableTensors } from "./leaks";
import type { ModuleResolver } from "./modules";
import type { KernelTensorFlow } from "./tensorflow";

export type Send = (event: KernelEvent) => void;

export interface SessionOptions {
  /** tf and the runtime library, loaded when the kernel starts or before the first cell that may use them. */
  tensorflow: KernelTensorFlow;
  modules: ModuleResolver;
  interrupts: InterruptChannel;
  /** The notebook seed the kernel starts with (`rng` exists from the first cell on). */
  seed: number;
  /** Text output a run keeps (console, values displayed as text); what is beyond it is dropped and counted. */
  maxOutputChars: number;
  send: Send;
  /** True for stack frames of the kernel itself (hidden from users). */
  isInternal(frame: string): boolean;
}

export class KernelSession {
  private readonly scripts = new Map<number, CellScript>();
  /** Names declared by cells: the roots of "tensors the user holds". */
  private readonly declared = new Set<string>();
  readonly hypotheses = new Map<string, Hypothesis>();
  private order = 0;
  /** The run console output and display() calls belong to (the last one started). */
  private current = 0;
  /** The run in progress, and how to fail it with an error its code raised but did not await. */
  private running: { order: number; fail(error: KernelError): void } | undefined;
  /** The cell of each run, by execution order: where an error raised after its run ended belongs. */
  private readonly cellOfRun = new Map<number, string | undefined>();
  /** Tensors the cells' variables held after the last run (undefined: too many objects to tell). */
  private heldTensors: number | undefined = 0;
  /** Text output of the current run (console, and values displayed as text): kept so far, and dropped beyond maxOutputChars. */
  private console = { sent: 0, dropped: 0 };

  constructor(private readonly options: SessionOptions) {
    this.installGlobals();
    options.tensorflow.onLoad(({ loaded, runtime }) => {
      this.stopTrainingOnInterrupt(loaded.tf);
      // verdict("H1", ...) finds the hypothesis cells that have run.
      runtime.setHypothesisLookup((id) => this.hypotheses.get(id));
    });
    this.reportTasks();
  }

  /** Long toolkit calls (src/core/progress.ts) report into the running cell, and stop between chunks when it is interrupted. */
  private reportTasks(): void {
    setTaskHost({
      report: (progress) => {
        if (this.running) this.options.send({ type: "progress", id: this.current, progress });
      },
      interrupted: () => this.options.interrupts.interrupted,
    });
  }

  /** tf.memory() (nothing before tfjs loads). */
  memory(): Memory {
    const { numTensors, numBytes } = this.tf?.memory() ?? { numTensors: 0, numBytes: 0 };
    return { numTensors, numBytes };
  }

  private get tf(): Tf | undefined {
    return this.options.tensorflow.current?.loaded.tf;
  }

  /** `Math.random` (so tfjs' unseeded random ops and initialisers) and the cells' `rng` restart from `seed`. */
  seed(seed: number): void {
    (globalThis as Record<string, unknown>).rng = seedCellRandomness(seed);
  }

  async execute(request: ExecuteRequest): Promise<RunStatus> {
    const { id } = request;
    const order = ++this.order;
    this.current = id;
    this.console = { sent: 0, dropped: 0 };
    // Before the run's clock starts: loading tfjs is the kernel's time, not the cell's.
    if (!this.tf && request.language === "typescript" && mayUseTensorFlow(readCell(request.source))) await this.options.tensorflow.load();
    const startTime = Date.now();
    const start = performance.now();
    const tensorsBefore = this.memory().numTensors;
    this.options.interrupts.begin(id);
    this.cellOfRun.set(order, request.cellId);
    const raised = new Promise<never>((_, reject) => {
      this.running = { order, fail: (error) => reject(new CellError(error)) };
    });
    raised.catch(() => {}); // observed by the race in runCode; a hypothesis cell never raises
    let status: RunStatus = "ok";
    try {
      const value = request.language === "hypothesis" ? this.registerHypothesis(request.source) : await this.runCode(request, order, raised);
      if (value !== undefined) this.display(id, value);
    } catch (error) {
      status = error instanceof Interrupted || this.options.interrupts.interrupted ? "interrupted" : "error";
      this.options.send({ type: "error", id, error: status === "interrupted" ? interruptedError() : this.describe(error) });
    } finally {
      this.options.interrupts.end();
      this.running = undefined;
    }
    const durationMs = performance.now() - start;
    if (this.console.dropped) this.streamTo(id, "stderr", droppedNote(this.console.dropped, this.options.maxOutputChars));
    this.warnAboutLeaks(id, tensorsBefore);
    const execution: Execution = {
      order,
      success: status === "ok",
      startTime,
      durationMs: Math.round(durationMs * 1000) / 1000,
      // What the run had loaded: a cell that used no tfjs ran on no backend.
      backend: this.options.tensorflow.current?.loaded.backend,
      tfjsVersion: this.options.tensorflow.current?.loaded.tfjsVersion,
      falsifyVersion: FALSIFY_VERSION,
      nodeVersion: process.versions.node,
      sourceHash: sourceHash(request.source),
    };
    this.options.send({ type: "done", id, status, execution, memory: this.memory() });
    return status;
  }

  /**
   * An error no cell awaited: a promise rejected with no handler, a throw in a timer callback. It
   * fails the run in progress when that run's code raised it (or its stack names no cell); otherwise
   * it is reported on the cell whose code raised it, else on the last run's.
   */
  raisedOutsideRun(thrown: unknown): void {
    const error = this.describe(thrown);
    const cause = error.frames[0]?.order;
    if (this.running && (cause === undefined || cause === this.running.order)) return this.running.fail(error);
    const order = cause ?? this.order;
    this.options.send({ type: "late-error", order, cellId: this.cellOfRun.get(order), error });
  }

  private async runCode(request: ExecuteRequest, order: number, raised: Promise<never>): Promise<unknown> {
    const compiled = compileCell(request.source);
    if (!compiled.ok) {
      const { message, line, column } = compiled.error;
      const frame = { order, cellId: request.cellId, line, column };
      throw new CellError({ name: "SyntaxError", message, stack: `SyntaxError: ${message}\n    at cell [${order}]:${line}:${column}`, frames: [frame] });
    }
    const { cell } = compiled;
    this.scripts.set(order, { order, cellId: request.cellId, toCell: cell.toCell });
    for (const name of cell.declared) this.declared.add(name);
    const value = await Promise.race([runInThisContext(cell.code, { filename: cellScriptName(order) }) as Promise<unknown>, raised]);
    // Node reports a rejection nobody handled once the microtasks have drained: one turn of the event
    // loop lets the cell's own unhandled rejections fail this run rather than the next.
    await Promise.race([new Promise((done) => setImmediate(done)), raised]);
    return value;
  }

  private registerHypothesis(source: string): undefined {
    const parsed = parseHypothesis(source);
    if (!parsed.hypothesis) {
      const message = parsed.errors.map((e) => `line ${e.range.line}:${e.range.column}: ${e.message}`).join("\n");
      throw new CellError({ name: "HypothesisError", message, stack: `HypothesisError: ${message}`, frames: [] });
    }
    this.hypotheses.set(parsed.hypothesis.id, parsed.hypothesis);
    return undefined;
  }

  private describe(error: unknown): KernelError {
    if (error instanceof CellError) return error.detail;
    return describeError(error, { lookup: (order) => this.scripts.get(order), isInternal: this.options.isInternal });
  }

  private bundle(value: unknown, mime?: string) {
    return mimeBundle(value, mime, this.isTensor);
  }

  private readonly isTensor = (value: unknown): value is TensorLike & { id: number } => this.tf !== undefined && value instanceof this.tf.Tensor;

  private warnAboutLeaks(id: number, before: number): void {
    const after = this.memory().numTensors;
    if (after === 0 && before === 0) return;
    const roots = [...this.declared].map((name) => (globalThis as Record<string, unknown>)[name]);
    const held = reachableTensors(roots, this.isTensor)?.size;
    const leaked = held === undefined || this.heldTensors === undefined ? 0 : after - before - (held - this.heldTensors);
    this.heldTensors = held;
    if (leaked > 0) this.streamTo(id, "stderr", leakWarning(leaked));
  }

  private streamTo(id: number, name: "stdout" | "stderr", text: string): void {
    this.options.send({ type: "stream", id, name, text });
  }

  /** What the last started run receives from console and process.stdout/stderr, within the run's text allowance (keepText). */
  stream(name: "stdout" | "stderr", text: string): void {
    if (!this.current) return this.options.send({ type: "log", level: name === "stderr" ? "warn" : "info", text });
    const kept = this.keepText(text);
    if (kept) this.streamTo(this.current, name, kept);
  }

  /**
   * A displayed value. One that is only text (a cell's trailing string, `display(text)`) shares the
   * run's text allowance with the console: a 50 MB string is as easy to display as to print. Rich
   * outputs (charts, verdicts, tensors, images) are kept whole.
   */
  private display(id: number, value: unknown, mime?: string): void {
    let items = this.bundle(value, mime);
    if (items.every((item) => typeof item.data === "string" && item.encoding === undefined && item.mime.startsWith("text/"))) {
      items = items.map((item) => ({ ...item, data: this.keepText(item.data as string) })).filter((item, i) => item.data !== "" || items[i].data === "");
      if (!items.length) return;
    }
    this.options.send({ type: "display", id, items });
  }

  /**
   * The part of `text` the run keeps: a run keeps the first maxOutputChars characters of its text
   * output; the rest is counted, and the run ends with a note saying how much.
   */
  private keepText(text: string): string {
    const room = this.options.maxOutputChars - this.console.sent;
    // A cut between the two halves of a surrogate pair would leave half a character.
    const cut = text.length <= room ? text.length : room - (room > 0 && isHighSurrogate(text.charCodeAt(room - 1)) ? 1 : 0);
    this.console.sent += cut;
    if (cut < text.length) {
      this.console.dropped += text.length - cut;
      // What is kept is the start of the output, without gaps: nothing more is kept.
      this.console.sent = this.options.maxOutputChars;
    }
    return text.slice(0, cut);
  }

  /**
   * An interrupt ends the cell awaiting `model.fit(...)`, but tfjs would go on training behind it,
   * racing the next cell for the model. Models in fit/fitDataset are tracked, and an interrupt sets
   * tfjs' own `stopTraining`, which ends the fit after the current batch.
   */
  private stopTrainingOnInterrupt(tf: Tf): void {
    const training = new Set<{ stopTraining: boolean }>();
    const prototype = tf.LayersModel.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const method of ["fit", "fitDataset"]) {
      const original = prototype[method];
      prototype[method] = async function (this: { stopTraining: boolean }, ...args: unknown[]) {
        training.add(this);
        try {
          return await original.apply(this, args);
        } finally {
          training.delete(this);
        }
      };
    }
    this.options.interrupts.onInterrupt(() => training.forEach((model) => (model.stopTraining = true)));
  }

  private installGlobals(): void {
    const { interrupts, modules, tensorflow } = this.options;
    const hooks: KernelHooks = { i: interrupts.flag, stop: interrupts.stop, race: interrupts.race, import: modules.import };
    Object.defineProperty(globalThis, KERNEL_HOOKS_GLOBAL, { value: hooks, enumerable: false });
    const display: Display = (value, mime) => {
      if (this.current) this.display(this.current, value, mime);
    };
    const rng = seedCellRandomness(this.options.seed);
    const tf = new LazyGlobal(() => tensorflow.loadNow().loaded.tf);
    const fx = new LazyGlobal(() => tensorflow.loadNow().runtime);
    installCellGlobals({ tf, display, hypotheses: this.hypotheses, fx, rng, require: modules.require });
    const write = (name: "stdout" | "stderr") => (...args: unknown[]) => this.stream(name, `${format(...args)}\n`);
    console.log = console.info = console.debug = write("stdout");
    console.error = console.warn = write("stderr");
    for (const name of ["stdout", "stderr"] as const) {
      process[name].write = ((chunk: string | Uint8Array) => {
        this.stream(name, typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
        return true;
      }) as typeof process.stdout.write;
    }
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function droppedNote(dropped: number, kept: number): string {
  const count = (n: number) => n.toLocaleString("en-US");
  return `\n[falsify: this cell printed or displayed ${count(dropped)} more characters of text than the ${count(kept)} a run keeps; they were dropped (setting falsify.kernel.maxOutputChars, falsify run --max-output-chars)]\n`;
}

/** An error already in its final shape (syntax errors, hypothesis errors). */
class CellError extends Error {
  constructor(readonly detail: KernelError) {
    super(detail.message);
  }
}

function interruptedError(): KernelError {
  const error = new Interrupted();
  return { name: error.name, message: error.message, stack: `${error.name}: ${error.message}`, frames: [] };
}
