// What cells leave running: a promise rejected with no handler, a throw inside a timer callback. On
// every backend (the wasm backend's Emscripten runtime installs process handlers that rethrow, which
// killed the kernel with exit code 7) such an error becomes an error of the cell whose code raised
// it, and the kernel keeps its state.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { BACKENDS } from "../../../src/core/backend";
import type { LateErrorEvent } from "../../../src/core/kernel/protocol";
import type { KernelClient } from "../../../src/kernel/client";
import { startKernel } from "./support";

const addon = existsSync(resolve("node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node"));

for (const backend of BACKENDS.filter((name) => name !== "tensorflow" || addon || process.env.CI)) {
  describe(`on the ${backend} backend`, () => {
    let kernel: KernelClient;
    before(async () => {
      kernel = await startKernel({ prefer: backend });
      assert.equal(kernel.info.tensorflow?.backend, backend, kernel.info.tensorflow?.notes.join("; "));
    });
    after(() => kernel.dispose());

    test("a promise the cell rejects with no handler fails that cell, at the line that made the error", async () => {
      await kernel.execute({ source: "const kept = 41;" });
      const result = await kernel.execute({ source: 'Promise.reject(new Error("boom"));\n1' });
      assert.equal(result.status, "error");
      assert.equal(result.error?.message, "boom");
      assert.deepEqual(result.error?.frames.map(({ line, column }) => [line, column]), [[1, 16]]);
      const primitive = await kernel.execute({ source: "Promise.reject(7);\n1" });
      assert.equal(primitive.error?.message, "Uncaught 7");
      const next = await kernel.execute({ source: "kept + 1" });
      assert.equal(next.status, "ok", JSON.stringify(next.error));
      assert.equal(next.outputs[0].items[0].data, "42");
    });

    test("a throw in a timer while the cell awaits fails that cell", async () => {
      const result = await kernel.execute({ source: 'setTimeout(() => { throw new Error("tick"); }, 0);\nawait new Promise((r) => setTimeout(r, 200));' });
      assert.equal(result.status, "error");
      assert.equal(result.error?.message, "tick");
      assert.deepEqual(result.error?.frames.map(({ line }) => line), [1]);
    });

    test("a throw in a timer after its cell ended is reported on that cell, not on the one running", async () => {
      // Bounded: without the kernel's handlers no late error ever comes, and the test must fail, not hang.
      const late = new Promise<LateErrorEvent>((done, fail) => {
        const timer = setTimeout(() => (stop(), fail(new Error("no late-error event within 10 s of the timer"))), 10_000);
        const stop = kernel.onLateError((event) => (clearTimeout(timer), stop(), done(event)));
      });
      late.catch(() => {}); // awaited below; a rejection before then must not count as unhandled
      const first = await kernel.execute({ source: 'setTimeout(() => { throw new Error("after"); }, 100);\n1', cellId: "timer" });
      assert.equal(first.status, "ok");
      const running = await kernel.execute({ source: "await new Promise((r) => setTimeout(r, 400));\n2", cellId: "other" });
      assert.equal(running.status, "ok", JSON.stringify(running.error));
      const event = await late;
      assert.equal(event.cellId, "timer");
      assert.equal(event.error.message, "after");
      assert.deepEqual(event.error.frames.map(({ line, column }) => [line, column]), [[1, 26]]);
      assert.equal(kernel.alive, true);
    });
  });
}
