// The kernel process (dist/kernel.js), spawned by `KernelClient`: requests and events over the Node
// IPC channel, interrupts over fd 3 (see interrupt.ts). Runs are executed one at a time, in order.
// The process exits when its client disconnects, so closing VS Code leaves nothing behind.
import type { z } from "zod";
import { KernelRequest, type InitRequest, type KernelEvent } from "../core/kernel/protocol";
import { InterruptChannel } from "./interrupt";
import { installModuleHooks } from "./modules";
import { KernelSession } from "./session";
import { KernelTensorFlow } from "./tensorflow";

const send = (event: KernelEvent): void => {
  process.send?.(event);
};

let session: KernelSession | undefined;
let queue: Promise<unknown> = Promise.resolve();

async function start(init: z.output<typeof InitRequest>): Promise<void> {
  process.chdir(init.notebookDir);
  const interrupts = new InterruptChannel();
  let ready = false;
  const options = { searchFrom: [init.notebookDir, ...(init.searchFrom ?? [])], prefer: init.prefer, bundled: init.bundled };
  const tensorflow = new KernelTensorFlow(options, (info) => ready && send({ type: "tensorflow", ...info }));
  const modules = installModuleHooks(init.notebookDir, (request) => tensorflow.module(request));
  session = new KernelSession({ tensorflow, modules, interrupts, seed: init.seed, maxOutputChars: init.maxOutputChars, send, isInternal });
  if (init.tensorflow === "at-start") await tensorflow.load();
  const loaded = tensorflow.current?.loaded;
  const info = loaded && { backend: loaded.backend, tfjsVersion: loaded.tfjsVersion, notes: loaded.notes, why: loaded.why };
  send({ type: "ready", pid: process.pid, nodeVersion: process.versions.node, tensorflow: info, memory: session.memory() });
  ready = true;
}

/** The kernel's own frames (this bundle) and Node's internals; user code and packages stay visible. */
function isInternal(frame: string): boolean {
  return frame.includes(__filename) || frame.includes("node:internal") || / \(?node:vm/.test(frame);
}

function handle(message: unknown): void {
  const parsed = KernelRequest.safeParse(message);
  if (!parsed.success) {
    send({ type: "log", level: "error", text: `kernel: bad request: ${parsed.error.message}` });
    return;
  }
  const request = parsed.data;
  switch (request.type) {
    case "init":
      queue = queue.then(() => start(request)).catch((error) => fail(error));
      return;
    case "execute":
      queue = queue.then(() => session?.execute(request));
      return;
    case "seed":
      queue = queue.then(() => {
        session?.seed(request.seed);
        send({ type: "seeded", seed: request.seed });
      });
      return;
    case "shutdown":
      process.exit(0);
  }
}

function fail(error: unknown): never {
  send({ type: "log", level: "error", text: `kernel failed to start: ${(error as Error).stack ?? String(error)}` });
  process.exit(1);
}

process.on("message", handle);
process.on("disconnect", () => process.exit(0));

// Errors of callbacks and promises a cell left running become errors of a cell, never a dead kernel.
// The capture callback takes precedence over every 'uncaughtException' listener, such as the one the
// wasm backend's Emscripten runtime installs, which rethrows (exit code 7). Its 'unhandledRejection'
// listener rethrows too: that second sighting of a rejection already reported is dropped.
let reported: { reason: unknown } | undefined;
function raised(thrown: unknown): void {
  if (session) session.raisedOutsideRun(thrown);
  else send({ type: "log", level: "error", text: `kernel: ${(thrown as Error)?.stack ?? String(thrown)}` });
}
process.setUncaughtExceptionCaptureCallback((error) => {
  if (reported?.reason !== error) raised(error);
});
process.on("unhandledRejection", (reason) => {
  reported = { reason };
  setImmediate(() => (reported = undefined));
  raised(reason);
});
