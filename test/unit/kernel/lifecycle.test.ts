// The kernel process's life: backend choice, restart, crashes and out-of-memory, and no process left
// behind when its client goes away.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { MIME } from "../../../src/core/display";
import type { KernelClient } from "../../../src/kernel/client";
import { kernelScript, NOTEBOOK_DIR, startKernel, tfjsBundle } from "./support";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, ms: number, message: string): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out: ${message}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("wasm backend when asked: cells run on it and record it", async () => {
  const kernel = await startKernel({ prefer: "wasm" });
  try {
    assert.equal(kernel.info.tensorflow?.backend, "wasm");
    const result = await kernel.execute({ source: "const m = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2]));\n[tf.getBackend(), m.arraySync()]" });
    assert.equal(result.status, "ok");
    assert.equal(result.outputs[0].items[0].data, "[ 'wasm', [ [ 3, 3 ], [ 3, 3 ] ] ]");
    assert.equal(result.execution?.backend, "wasm");
  } finally {
    kernel.dispose();
  }
});

test("a packaged extension's bundled tfjs (no node_modules) runs the wasm backend", async () => {
  const kernel = await startKernel({ prefer: "wasm", bundled: tfjsBundle() });
  try {
    assert.equal(kernel.info.tensorflow?.backend, "wasm");
    const source = 'import * as tfa from "@tensorflow/tfjs";\n[tfa === tf, tf.sum(tf.ones([4])).dataSync()[0], Object.keys(require.cache).some((file) => file.includes("node_modules/@tensorflow/tfjs/"))]';
    const result = await kernel.execute({ source });
    assert.equal(result.outputs[0].items[0].data, "[ true, 4, false ]");
  } finally {
    kernel.dispose();
  }
});

test("restart gives a fresh state; a crash ends the run as 'died' with the reason, and restart works", async () => {
  let kernel: KernelClient = await startKernel({ prefer: "cpu" });
  try {
    assert.equal(kernel.info.tensorflow?.backend, "cpu");
    await kernel.execute({ source: "const survivor = 1;" });
    const firstPid = kernel.info.pid;
    kernel = await kernel.restart();
    assert.notEqual(kernel.info.pid, firstPid);
    await waitFor(() => !alive(firstPid), 2000, "the old kernel process exits on restart");
    const fresh = await kernel.execute({ source: "typeof survivor" });
    assert.equal(fresh.outputs[0].items[0].data, "undefined");

    const deaths: string[] = [];
    kernel.onDeath((reason) => deaths.push(reason));
    const crash = await kernel.execute({ source: 'console.log("before the crash");\nprocess.exit(7);' });
    assert.equal(crash.status, "died");
    assert.match(crash.died!, /exited with code 7/);
    assert.deepEqual(deaths, [crash.died]);
    assert.equal(crash.outputs[0].items[0].mime, MIME.stdout);
    assert.equal((await kernel.execute({ source: "1" })).status, "died");

    kernel = await kernel.restart();
    assert.equal((await kernel.execute({ source: "1 + 1" })).outputs[0].items[0].data, "2");
  } finally {
    kernel.dispose();
  }
});

test("out of memory in a cell is reported as such", async () => {
  const kernel = await startKernel({ prefer: "cpu", execArgv: ["--max-old-space-size=48"] });
  try {
    const result = await kernel.execute({ source: "const hog: number[][] = [];\nwhile (true) hog.push(new Array(1e5).fill(1.5));" });
    assert.equal(result.status, "died");
    assert.equal(result.died, "out of memory (JavaScript heap)");
  } finally {
    kernel.dispose();
  }
});

test("the kernel exits when its client process dies, even while stuck in a loop", async () => {
  // A client process that starts a kernel, makes it spin, prints its pid and is then killed.
  const client = `
    const { KernelClient } = require(${JSON.stringify(require.resolve("../../../src/kernel/client"))});
    KernelClient.start({ notebookDir: ${JSON.stringify(NOTEBOOK_DIR)}, kernelScript: ${JSON.stringify(kernelScript())}, prefer: "cpu" }).then((k) => {
      k.execute({ source: "while (true) {}" });
      setTimeout(() => console.log(k.info.pid), 200);
    });`;
  const parent = spawn(process.execPath, ["--import", "tsx", "-e", client], { stdio: ["ignore", "pipe", "inherit"] });
  const pid = await new Promise<number>((resolve) => parent.stdout.once("data", (data: Buffer) => resolve(Number(String(data).trim()))));
  assert.ok(alive(pid));
  parent.kill("SIGKILL");
  await waitFor(() => !alive(pid), 3000, `kernel ${pid} exits after its client died`);
});
