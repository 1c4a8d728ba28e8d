// The fuzz test of issue 14: a few thousand mutated notebooks (seeded, so every run makes the same
// ones) go through parse, serialize and lint, which must never throw anything but their typed errors,
// never warn on the console, and never hang. The cases run in a worker; this thread ends any case
// that runs longer than CASE_LIMIT_MS and names it. A failing case is saved as a file, to become a
// fixture.
// FALSIFY_FUZZ_SEED and FALSIFY_FUZZ_CASES explore further (e.g. FALSIFY_FUZZ_CASES=50000).
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import { corpus, makeCase, STAGES } from "./fuzz-cases";
import type { FuzzJob, FuzzReport } from "./fuzz-worker";

const SEED = Number(process.env.FALSIFY_FUZZ_SEED ?? 14);
const CASES = Number(process.env.FALSIFY_FUZZ_CASES ?? 3000);
/** A case takes milliseconds (the slowest, a few hundred on a loaded machine): a case past this is stuck. */
const CASE_LIMIT_MS = 5000;

type Outcome = { report: FuzzReport } | { hung: { index: number; stage: string } };

function runFuzz(job: Omit<FuzzJob, "progress">, limitMs: number): Promise<Outcome> {
  const progress = new Int32Array(new SharedArrayBuffer(8));
  progress[0] = -1; // loading: not a case yet
  // A worker does not inherit the test's TypeScript loader (tsx): it registers it, then loads the cases.
  const boot = `require("tsx/cjs/api").register(); require(${JSON.stringify(resolve("test/unit/format/fuzz-worker.ts"))});`;
  const worker = new Worker(boot, { eval: true, workerData: { ...job, progress: progress.buffer } });
  return new Promise((resolve, reject) => {
    let seen = "";
    let since = performance.now();
    const watchdog = setInterval(() => {
      const [index, stage] = [Atomics.load(progress, 0), Atomics.load(progress, 1)];
      const now = performance.now();
      if (`${index}/${stage}` !== seen || index < 0) [seen, since] = [`${index}/${stage}`, now];
      else if (now - since > limitMs) {
        clearInterval(watchdog);
        void worker.terminate();
        resolve({ hung: { index, stage: STAGES[stage] } });
      }
    }, 50);
    const stop = () => clearInterval(watchdog);
    worker.once("message", (report: FuzzReport) => {
      stop();
      resolve({ report });
    });
    worker.once("error", (error) => {
      stop();
      reject(error);
    });
  });
}

/** Writes case `index` to a file (the bytes parse was given) and says where. */
function saved(index: number): string {
  const input = makeCase(corpus(), SEED, index);
  const file = join(mkdtempSync(join(tmpdir(), "falsify-fuzz-")), `seed-${SEED}-case-${index}.falsify`);
  writeFileSync(file, input);
  return `${file}${typeof input === "string" ? " (given to parse as text)" : ""}`;
}

test(`fuzz: ${CASES} mutated notebooks (seed ${SEED}): parse, serialize and lint throw nothing but typed errors, never warn and never hang`, { timeout: 10 * 60_000 }, async (t) => {
  const outcome = await runFuzz({ seed: SEED, cases: CASES }, CASE_LIMIT_MS);
  if ("hung" in outcome) {
    const { index, stage } = outcome.hung;
    assert.fail(`case ${index} ran longer than ${CASE_LIMIT_MS} ms in ${stage}: ${saved(index)}`);
  }
  const { failures, outcomes, slowest } = outcome.report;
  const described = failures.map((failure) => `case ${failure.index}, ${failure.stage}: ${failure.message}\n  saved as ${saved(failure.index)}`);
  assert.deepEqual(described, []);
  // The cases reach every stage and every refusal: a generator that only made broken JSON would
  // pass without testing serialize, lint or the reader's other refusals.
  const total = Object.values(outcomes).reduce((sum, n) => sum + n, 0);
  assert.equal(total, CASES);
  assert.ok(outcomes.ok > CASES * 0.15, `only ${outcomes.ok} of ${CASES} cases were notebooks to serialize and lint`);
  for (const kind of ["syntax", "schema", "encoding", "too-deep", "inexact-number", "future-version"]) {
    assert.ok(outcomes[kind] > 0, `no case was refused as ${kind}: ${JSON.stringify(outcomes)}`);
  }
  t.diagnostic(`outcomes ${JSON.stringify(outcomes)}; slowest case ${slowest.index}: ${Math.round(slowest.ms)} ms`);
});

test("the watchdog ends a case that never returns and names it", async () => {
  const outcome = await runFuzz({ seed: SEED, cases: 5, hangAt: 0 }, 500);
  assert.deepEqual(outcome, { hung: { index: 0, stage: "make" } });
});
