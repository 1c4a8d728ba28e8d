// The kernel protocol: every message between a client (the VS Code controller, `falsify run`) and
// the kernel process. This zod schema is the single source of truth; the kernel validates what it
// receives with it, the client's types are inferred from it, and
// `schemas/kernel-protocol.schema.json` is generated from it.
//
// Transport: requests and events travel over the Node IPC channel of the kernel process. Interrupts
// travel over a separate pipe (fd 3, one JSON `ControlMessage` per line) read by a worker thread, so
// they arrive while the kernel's main thread is stuck in user code.
import { z } from "zod";
import { DEFAULT_SEED } from "../cell/environment";
import { Execution, OutputItem } from "../format/schema";

export const BackendName = z.enum(["tensorflow", "wasm", "cpu"]);

/**
 * Text output (console, values displayed as text) kept per run unless configured
 * (`falsify.kernel.maxOutputChars`, `falsify run --max-output-chars`): a cell printing 50 MB would
 * otherwise put 50 MB into the notebook file.
 */
export const DEFAULT_MAX_OUTPUT_CHARS = 1_000_000;

/** Sent once, first: where the notebook lives and which backend to try. The kernel answers `ready`. */
export const InitRequest = z.object({
  type: z.literal("init"),
  /** Folder of the notebook: the kernel's cwd, the base of relative imports and npm resolution. */
  notebookDir: z.string(),
  /** More folders to resolve `@tensorflow/tfjs-node` from (workspace, extension), after notebookDir. */
  searchFrom: z.array(z.string()).default([]),
  /** Use this backend or a slower one. */
  prefer: BackendName.optional(),
  /** A bundled tfjs (+ setWasmPaths) and its wasm folder, for the packaged extension. */
  bundled: z.object({ module: z.string(), wasmDir: z.string() }).optional(),
  /** The notebook seed (`metadata.seed`, else 0): Math.random and the cells' `rng` start from it. */
  seed: z.number().finite().default(DEFAULT_SEED),
  /** Text a run keeps (stdout, stderr and values displayed as text, together); the rest is dropped, and a note says how much. */
  maxOutputChars: z.number().int().positive().default(DEFAULT_MAX_OUTPUT_CHARS),
  /**
   * When TensorFlow.js and the runtime library (`tf`, `fx`) load: as the kernel starts (the editor
   * starts one when a notebook opens, so the first Run does not wait for them), or before the first
   * cell that may use them (`falsify run`: a notebook that never does pays nothing for them; a
   * `tensorflow` event says when they load).
   */
  tensorflow: z.enum(["at-start", "on-first-use"]).default("at-start"),
});

/** Run one cell. `id` is chosen by the client and tags every event the run produces. */
export const ExecuteRequest = z.object({
  type: z.literal("execute"),
  id: z.number().int().positive(),
  /** `typescript` cells run as code; `hypothesis` cells are parsed and registered in `hypotheses`. */
  language: z.enum(["typescript", "hypothesis"]).default("typescript"),
  source: z.string(),
  /** The notebook's cell id, when there is one (labels stack frames, keys `hypotheses`). */
  cellId: z.string().optional(),
});

/** Seed `Math.random` (hence tfjs' unseeded random ops and initialisers) and the cells' `rng`. */
export const SeedRequest = z.object({ type: z.literal("seed"), seed: z.number().finite() });

export const ShutdownRequest = z.object({ type: z.literal("shutdown") });

export const KernelRequest = z.discriminatedUnion("type", [InitRequest, ExecuteRequest, SeedRequest, ShutdownRequest]);
export type KernelRequest = z.input<typeof KernelRequest>;
export type InitRequest = z.input<typeof InitRequest>;
export type ExecuteRequest = z.input<typeof ExecuteRequest>;

/** On the control pipe: stop the run `id` (or whatever runs, when omitted); state is kept. */
export const ControlMessage = z.object({ type: z.literal("interrupt"), id: z.number().int().positive().optional() });
export type ControlMessage = z.infer<typeof ControlMessage>;

export const Memory = z.object({ numTensors: z.number(), numBytes: z.number() });
export type Memory = z.infer<typeof Memory>;

/** The TensorFlow.js a kernel runs cells on. */
export const TensorFlowInfo = z.object({
  backend: BackendName,
  tfjsVersion: z.string(),
  /** Why faster backends were not used. */
  notes: z.array(z.string()),
  /** Why this backend, in one line: where @tensorflow/tfjs-node was found, or why a slower one runs. */
  why: z.string().optional(),
});
export type TensorFlowInfo = z.infer<typeof TensorFlowInfo>;

export const ReadyEvent = z.object({
  type: z.literal("ready"),
  pid: z.number(),
  nodeVersion: z.string(),
  /** Absent until a cell needs it when the kernel loads it on first use (then a `tensorflow` event). */
  tensorflow: TensorFlowInfo.optional(),
  memory: Memory,
});
export type ReadyEvent = z.infer<typeof ReadyEvent>;

/**
 * TensorFlow.js loaded on first use: before the run of the cell that may use it starts (its clock
 * starts after), or while a cell runs that reached `tf` in a way its reading did not show.
 */
export const TensorFlowEvent = TensorFlowInfo.extend({ type: z.literal("tensorflow") });
export type TensorFlowEvent = z.infer<typeof TensorFlowEvent>;

/** console output of a run, as it happens. */
export const StreamEvent = z.object({ type: z.literal("stream"), id: z.number(), name: z.enum(["stdout", "stderr"]), text: z.string() });
export type StreamEvent = z.infer<typeof StreamEvent>;

/** How far a long toolkit call is (src/core/progress.ts): one task per call, reported as it goes. */
export const TaskProgress = z.object({
  /** Which call, unique within the kernel (a client keeps one progress output per task). */
  task: z.number(),
  /** What runs, e.g. "integratedGradients". */
  label: z.string(),
  done: z.number(),
  total: z.number(),
  /** What is counted, e.g. "images", "steps", "controls". */
  unit: z.string(),
  elapsedMs: z.number(),
  /** Units per second so far (0 before the first unit). */
  rate: z.number(),
  /** Estimated time to the end at that rate. */
  etaMs: z.number().optional(),
  /** The task's last report (it finished, failed or was interrupted): a client removes its progress output. */
  final: z.boolean(),
});
export type TaskProgress = z.infer<typeof TaskProgress>;

/** Progress of a long call in a run: shown in place (VS Code) or as a line (`falsify run`), never kept as an output. */
export const ProgressEvent = z.object({ type: z.literal("progress"), id: z.number(), progress: TaskProgress });
export type ProgressEvent = z.infer<typeof ProgressEvent>;

/** A `display(...)` call or the value of the cell's trailing expression: alternative renderings, best first. */
export const DisplayEvent = z.object({ type: z.literal("display"), id: z.number(), items: z.array(OutputItem) });
export type DisplayEvent = z.infer<typeof DisplayEvent>;

/** A frame of a cell error's stack that points into a cell. */
export const CellFrame = z.object({
  /** Execution order of the cell run that defined the code (the `[n]` VS Code shows). */
  order: z.number(),
  cellId: z.string().optional(),
  /** 1-based line and column in the cell's source. */
  line: z.number(),
  column: z.number(),
});
export type CellFrame = z.infer<typeof CellFrame>;

export const KernelError = z.object({
  name: z.string(),
  message: z.string(),
  /** `name: message` and the frames, mapped to cell line/column, kernel frames removed. */
  stack: z.string(),
  frames: z.array(CellFrame),
});
export type KernelError = z.infer<typeof KernelError>;

export const ErrorEvent = z.object({ type: z.literal("error"), id: z.number(), error: KernelError });
export type ErrorEvent = z.infer<typeof ErrorEvent>;

export const RunStatus = z.enum(["ok", "error", "interrupted"]);
export type RunStatus = z.infer<typeof RunStatus>;

/** The run ended; `execution` is what the notebook records about it. */
export const DoneEvent = z.object({
  type: z.literal("done"),
  id: z.number(),
  status: RunStatus,
  execution: Execution,
  memory: Memory,
});
export type DoneEvent = z.infer<typeof DoneEvent>;

/**
 * An error raised by a run's code after that run ended (a timer callback, a promise nobody awaited):
 * it belongs to the cell whose code raised it (`order`, the run its stack points into; else the last
 * run). Errors raised while a run is in progress fail that run instead (an `error` event).
 */
export const LateErrorEvent = z.object({ type: z.literal("late-error"), order: z.number(), cellId: z.string().optional(), error: KernelError });
export type LateErrorEvent = z.infer<typeof LateErrorEvent>;

/** Answer to `seed`. */
export const SeededEvent = z.object({ type: z.literal("seeded"), seed: z.number() });

/** Something the kernel wants the client's log to have (warnings, errors outside any run). */
export const LogEvent = z.object({ type: z.literal("log"), level: z.enum(["info", "warn", "error"]), text: z.string() });

export const KernelEvent = z.discriminatedUnion("type", [ReadyEvent, TensorFlowEvent, StreamEvent, DisplayEvent, ProgressEvent, ErrorEvent, DoneEvent, LateErrorEvent, SeededEvent, LogEvent]);
export type KernelEvent = z.infer<typeof KernelEvent>;
/** Events that belong to one run. */
export type RunEvent = StreamEvent | DisplayEvent | ProgressEvent | ErrorEvent | DoneEvent;

/** The JSON Schema published in `schemas/kernel-protocol.schema.json`. */
export function kernelProtocolJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(z.object({ request: KernelRequest, control: ControlMessage, event: KernelEvent }).partial(), {
    io: "input",
    unrepresentable: "any",
  });
  return { ...schema, $id: "https://falsify.dev/schemas/kernel-protocol.schema.json", title: "Falsify kernel protocol" };
}
