// Long toolkit calls (attribution over many images, sanity checks, ablations) as tasks: they say how
// far they are and stop between chunks when the user interrupts. The toolkit only calls `startTask`;
// where the reports go and what "interrupted" means is installed by the host: the kernel turns
// reports into `progress` messages (one output per call, updated in place in VS Code, a line in
// `falsify run`) and interrupts into its interrupt flag. Outside a host (tests, plain scripts) tasks
// are silent and never interrupted.
//
// Tasks nest: a sanity check runs an attribution per control. Only the outermost task reports; an
// inner task's progress moves the outer one within its current unit, and an interrupt stops both.
import type { TaskProgress } from "./kernel/protocol";

/** One report of a task (its schema is the kernel protocol's, which carries it). */
export type Progress = TaskProgress;

export interface TaskHost {
  report(progress: Progress): void;
  /** True once the user asked to stop the running cell. */
  interrupted(): boolean;
}

/** Thrown by a task when the host says the user interrupted; the caller's state is kept. */
export class TaskInterrupted extends Error {
  override name = "Interrupted";
  constructor(label: string) {
    super(`${label} stopped by the user between two chunks; the kernel's state is kept.`);
  }
}

export interface Task {
  /** Throws `TaskInterrupted` if the user interrupted. Call between chunks. */
  check(): void;
  /** `units` more are done (may be fractional). */
  advance(units?: number): void;
  /** Ends the task (always call: in `finally`). */
  end(): void;
}

/** Reports at most this often, besides the first and last report. */
const REPORT_EVERY_MS = 250;

interface TaskState {
  done: number;
  total: number;
  /** The task running inside this one, if any. */
  child?: TaskState;
  /** The outermost task reports; inner ones have none. */
  report?: (final: boolean) => void;
}

let host: TaskHost | undefined;
let nextTask = 1;
const stack: TaskState[] = [];

/** Installs where task progress goes and how interrupts are read (undefined: silent, never interrupted). */
export function setTaskHost(next: TaskHost | undefined): void {
  host = next;
}

/** Units done, counting the running inner task's share of the current unit. */
function progressOf(state: TaskState): number {
  const inner = state.child ? progressOf(state.child) / Math.max(1, state.child.total) : 0;
  return Math.min(state.total, state.done + inner);
}

/** Starts a task of `total` units; report the work with `advance`, stop on interrupt with `check`. */
export function startTask(label: string, total: number, unit: string): Task {
  const parent = stack.at(-1);
  const state: TaskState = { done: 0, total };
  if (parent) parent.child = state;
  else {
    const id = nextTask++;
    const started = Date.now();
    let last = 0;
    state.report = (final) => {
      if (!host) return;
      const now = Date.now();
      if (!final && last && now - last < REPORT_EVERY_MS) return;
      last = now;
      const done = progressOf(state);
      const elapsedMs = now - started;
      const rate = elapsedMs > 0 ? (1000 * done) / elapsedMs : 0;
      host.report({ task: id, label, done, total, unit, elapsedMs, rate, ...(rate > 0 ? { etaMs: (1000 * (total - done)) / rate } : {}), final });
    };
  }
  stack.push(state);
  const root = stack[0];
  root.report?.(false);
  return {
    check() {
      if (host?.interrupted()) throw new TaskInterrupted(label);
    },
    advance(units = 1) {
      state.done += units;
      root.report?.(false);
    },
    end() {
      const at = stack.indexOf(state);
      if (at >= 0) stack.splice(at);
      if (parent) {
        parent.child = undefined;
        root.report?.(false);
      } else state.report?.(true);
    },
  };
}

/** Runs `body` as a task, ending it whatever happens. */
export async function withTask<T>(label: string, total: number, unit: string, body: (task: Task) => Promise<T>): Promise<T> {
  const task = startTask(label, total, unit);
  try {
    return await body(task);
  } finally {
    task.end();
  }
}

/** One line for a report: "integratedGradients: 12 / 50 steps (24%) · 3.1 steps/s · about 12 s left". */
export function describeProgress(progress: Progress): string {
  const { label, done, total, unit, rate, etaMs, elapsedMs, final } = progress;
  const count = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  const head = `${label}: ${count(done)} / ${count(total)} ${unit} (${Math.floor((100 * done) / Math.max(total, 1))}%)`;
  if (final) return `${head} in ${seconds(elapsedMs)}`;
  const speed = rate > 0 ? ` · ${rate >= 10 ? rate.toFixed(0) : rate.toPrecision(2)} ${unit}/s` : "";
  return `${head}${speed}${etaMs !== undefined ? ` · about ${seconds(etaMs)} left` : ""}`;
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 60 ? `${s < 10 ? s.toFixed(1) : s.toFixed(0)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
