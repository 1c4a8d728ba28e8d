// Long toolkit calls in a real kernel: progress events while they run (never outputs of the run),
// the final report when they end, and an interrupt that stops them between chunks; the line
// `falsify run` prints, and the text both show.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { RunEvent, TaskProgress } from "../../../src/core/kernel/protocol";
import { describeProgress } from "../../../src/core/progress";
import { progressLines } from "../../../src/cli/run";
import type { KernelClient } from "../../../src/kernel/client";
import { startKernel } from "./support";

let kernel: KernelClient;
before(async () => {
  kernel = await startKernel();
  const setup = await kernel.execute({
    source: `const pm = tf.sequential({ layers: [tf.layers.dense({ inputShape: [16], units: 64, activation: "relu" }), tf.layers.dense({ units: 3 })] });
const px = tf.randomNormal([8, 16]);`,
  });
  assert.equal(setup.status, "ok");
});
after(() => kernel.dispose());

test("integratedGradients reports its passes as progress events of the run, not as outputs, and a final report", async () => {
  const events: RunEvent[] = [];
  // A budget of a few rows per pass: many passes.
  const result = await kernel.execute({ source: "(await fx.integratedGradients(pm, px, { steps: 64, memoryBudget: 4 * 64 * 4 * 8 })).values.length" }, (event) => events.push(event));
  assert.equal(result.status, "ok", JSON.stringify(result.error));
  const reports = events.flatMap((e) => (e.type === "progress" ? [e.progress] : []));
  assert.ok(reports.length >= 2, `${reports.length} reports`);
  assert.ok(reports.every((p) => p.task === reports[0].task && p.label === reports[0].label));
  const last = reports.at(-1)!;
  assert.ok(last.final && last.done === last.total, JSON.stringify(last));
  assert.ok(reports.slice(0, -1).every((p) => !p.final));
  assert.ok(!JSON.stringify(result.outputs).includes(last.label), "progress is no output of the run");
});

test("an interrupt stops a long toolkit call between two chunks, and the kernel goes on", async () => {
  let seen = false;
  const running = kernel.execute({ source: "await fx.integratedGradients(pm, tf.tile(px, [64, 1]), { steps: 4096, memoryBudget: 4 * 64 * 4 * 64 })" }, (event) => {
    if (event.type === "progress" && !seen) {
      seen = true;
      setTimeout(() => kernel.interrupt(), 300);
    }
  });
  const result = await running;
  assert.ok(seen, "progress was reported");
  assert.equal(result.status, "interrupted");
  assert.equal((await kernel.execute({ source: "1 + 1" })).status, "ok");
});

const report = (over: Partial<TaskProgress>): TaskProgress => ({ task: 1, label: "integratedGradients", done: 12, total: 50, unit: "steps", elapsedMs: 4000, rate: 3, etaMs: 12_700, final: false, ...over });

test("a report in words: done / total, rate and time left; the final one with the time taken", () => {
  assert.equal(describeProgress(report({})), "integratedGradients: 12 / 50 steps (24%) · 3.0 steps/s · about 13 s left");
  assert.equal(describeProgress(report({ done: 50, final: true, elapsedMs: 75_000 })), "integratedGradients: 50 / 50 steps (100%) in 1 min 15 s");
});

test("falsify run prints a task's first line, then one every 5 s, and its last", () => {
  const lines: string[] = [];
  let clock = 0;
  const print = progressLines({ err: (line) => lines.push(line.trim()) }, () => clock);
  for (const [at, done] of [[0, 0], [1000, 1], [4000, 2], [5000, 3], [6000, 4]]) {
    clock = at;
    print(report({ done }));
  }
  print(report({ done: 50, final: true }));
  assert.deepEqual(lines.map((line) => line.split(" (")[0]), ["integratedGradients: 0 / 50 steps", "integratedGradients: 3 / 50 steps", "integratedGradients: 50 / 50 steps"]);
});
