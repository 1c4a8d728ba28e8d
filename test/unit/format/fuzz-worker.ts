// Runs the fuzz cases in a worker thread, so that the test (on the main thread) can see a case that
// never returns and end it: the worker writes the case and stage it is in to shared memory.
import { parentPort, workerData } from "node:worker_threads";
import { checkCase, corpus, makeCase, STAGES, type Failure } from "./fuzz-cases";

export interface FuzzJob {
  seed: number;
  cases: number;
  /** [case index, stage index], written before each stage. */
  progress: SharedArrayBuffer;
  /** Test of the watchdog: this case never returns. */
  hangAt?: number;
}

export interface FuzzReport {
  failures: (Failure & { index: number })[];
  outcomes: Record<string, number>;
  /** The slowest case, in milliseconds, and its index. */
  slowest: { ms: number; index: number };
}

const job = workerData as FuzzJob;
const progress = new Int32Array(job.progress);
const files = corpus();
const report: FuzzReport = { failures: [], outcomes: {}, slowest: { ms: 0, index: -1 } };
// A warning on the console (yaml's, Node's) is a failure too: the linter runs on every keystroke.
// Caught where it is emitted, so it is the case and stage that caused it.
process.emitWarning = ((warning: string | Error) => {
  const [index, stage] = [Atomics.load(progress, 0), STAGES[Atomics.load(progress, 1)]];
  if (report.failures.length < 10) report.failures.push({ index, stage, message: `warned: ${String(warning)}` });
}) as typeof process.emitWarning;
for (let index = 0; index < job.cases; index++) {
  Atomics.store(progress, 0, index);
  Atomics.store(progress, 1, STAGES.indexOf("make"));
  const started = performance.now();
  const input = makeCase(files, job.seed, index);
  if (index === job.hangAt) for (;;);
  const { failure, outcome } = checkCase(input, (stage) => Atomics.store(progress, 1, STAGES.indexOf(stage)));
  const ms = performance.now() - started;
  if (ms > report.slowest.ms) report.slowest = { ms, index };
  report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
  if (failure && report.failures.length < 10) report.failures.push({ ...failure, index });
}
parentPort!.postMessage(report);
