// Long toolkit calls (attribution over many images, sanity checks, ablations) as tasks: they say how
// far they are and stop between chunks when the user interrupts. The toolkit only calls `startTask`;
// where the reports go and what "interrupted" means is installed by the host: the kernel turns
// reports into `progress` messages (one output per call, updated in place in VS Code, a line in
// `falsify run`) and interrupts into its interrupt flag. Outside a host (tests, plain scripts) tasks
// are silent and never interrupted.
//
// Tasks nest: a sanity check runs an attribution per control. Only the outermost task reports; an
// inner task's progress moves the outer one within its current unit, and an interrupt stops both.

export interface Progress {
  /** Which call, unique within the process (a host keys one output per task). */
  task: number;
  /** What runs, e.g. "integratedGradients". */
  label: string;
  done: number;
  total: number;
  /** What is counted, e.g. "images", "steps", "controls". */
  unit: string;
  elapsedMs: number;
  /** Units per second so far (0 before the first unit). */
  rate: number;
  /** Estimated time to the end at that rate (undefined before the first unit). */
  etaMs?: number;
  /** The last report of the task: it ended (finished, failed or interrupted). */
  final: boolean;
}

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
