// A kernel that loads TensorFlow.js on first use (`falsify run`): a cell that never touches tf does
// not load tfjs (its module files are not loaded, as a load trace shows); the first cell that may use
// it gets the backend the kernel would have loaded at start, with the reason, before its run starts.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import type { KernelClient } from "../../../src/kernel/client";
import type { TensorFlowInfo } from "../../../src/core/kernel/protocol";
import { seedCellRandomness } from "../../../src/core/cell/environment";
import { startKernel } from "./support";

const scratch = mkdtempSync(join(tmpdir(), "falsify-first-use-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const nativeBuilt = existsSync(resolve("node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node"));

/** A kernel loading tfjs on first use, with the module files it loads traced to a file. */
async function traced(name: string, prefer?: "wasm" | "cpu"): Promise<{ kernel: KernelClient; loaded: () => string[]; announced: TensorFlowInfo[] }> {
  const trace = join(scratch, `${name}.trace`);
  writeFileSync(trace, "");
  const kernel = await startKernel({ tensorflow: "on-first-use", prefer, execArgv: ["--require", resolve("test/fixtures/kernel/load-trace.cjs")], env: { FALSIFY_LOAD_TRACE: trace } });
  const announced: TensorFlowInfo[] = [];
  kernel.onTensorFlow((info) => announced.push(info));
  return { kernel, announced, loaded: () => readFileSync(trace, "utf8").split("\n").filter((file) => file.includes("@tensorflow")) };
}

const text = (outputs: { items: { data: unknown }[] }[]) => outputs.flatMap((output) => output.items.map((item) => item.data));

describe("tfjs loaded on first use", () => {
  test("a cell that uses no tf loads no tfjs; the first that does gets the kernel's backend and its reason before it runs", async () => {
    const { kernel, loaded, announced } = await traced("native");
    try {
      assert.equal(kernel.info.tensorflow, undefined, "not loaded at start");
      const plain = await kernel.execute({ source: "const answer: number = 6 * 7;\nanswer" });
      assert.equal(plain.status, "ok", JSON.stringify(plain.error));
      assert.deepEqual(text(plain.outputs), ["42"]);
      assert.deepEqual(loaded(), [], "no tfjs module file loaded");
      assert.equal(announced.length, 0, "nothing announced");
      assert.equal(plain.execution?.backend, undefined, "the run used no backend");

      const order: string[] = [];
      kernel.onTensorFlow(() => order.push("tensorflow"));
      const uses = await kernel.execute({ source: "tf.getBackend()" }, (event) => order.push(event.type));
      assert.equal(uses.status, "ok", JSON.stringify(uses.error));
      const backend = nativeBuilt ? "tensorflow" : "wasm";
      assert.deepEqual(text(uses.outputs), [backend]);
      assert.deepEqual(order, ["tensorflow", "display", "done"], "announced before the run");
      assert.equal(announced.length, 1);
      assert.equal(announced[0].backend, backend, announced[0].notes.join("; "));
      assert.match(announced[0].why ?? "", nativeBuilt ? /^@tensorflow\/tfjs-node from / : /tfjs-node/);
      assert.deepEqual(kernel.info.tensorflow, announced[0]);
      assert.equal(uses.execution?.backend, backend);
      assert.ok(loaded().some((file) => file.includes("@tensorflow/tfjs-core")), "tfjs loaded now");

      // One instance: imports of tfjs and the runtime library are the globals.
      const one = await kernel.execute({ source: 'import * as tfa from "@tensorflow/tfjs";\nimport { verdict } from "falsify";\n[tfa === tf, verdict === fx.verdict, tf.memory().numTensors]' });
      assert.deepEqual(text(one.outputs), ["[ true, true, 0 ]"]);
      assert.equal(announced.length, 1, "loaded once");
    } finally {
      kernel.dispose();
    }
  });

  test("on wasm: the backend initialised before the cell runs", async () => {
    const { kernel, announced } = await traced("wasm", "wasm");
    try {
      const result = await kernel.execute({ source: "const total = tf.tidy(() => tf.sum(tf.ones([4])));\n[tf.getBackend(), total.dataSync()[0]]" });
      assert.equal(result.status, "ok", JSON.stringify(result.error));
      assert.deepEqual(text(result.outputs), ["[ 'wasm', 4 ]"]);
      assert.deepEqual(announced.map(({ backend, why }) => [backend, why]), [["wasm", "wasm was asked for"]]);
    } finally {
      kernel.dispose();
    }
  });

  test("a cell reaching tf in a way its reading does not show loads it when it reads it", async () => {
    const { kernel, announced } = await traced("unforeseen", "cpu");
    try {
      const result = await kernel.execute({ source: "const root = (function (this: unknown) { return this; })() as Record<string, { getBackend(): string }>;\nroot.tf.getBackend()" });
      assert.equal(result.status, "ok", JSON.stringify(result.error));
      assert.deepEqual(text(result.outputs), ["cpu"]);
      assert.deepEqual(announced.map(({ backend }) => backend), ["cpu"]);
    } finally {
      kernel.dispose();
    }
  });

  test("when tfjs loads does not shift the notebook's seeded draws (tfjs' seedrandom draws from Math.random as it loads)", async () => {
    const unseeded = Math.random;
    const first = seedCellRandomness(7) && Math.random();
    Math.random = unseeded;
    for (const tensorflow of ["at-start", "on-first-use"] as const) {
      const kernel = await startKernel({ tensorflow, seed: 7, prefer: "cpu" });
      try {
        const result = await kernel.execute({ source: "tf.getBackend();\nMath.random()" });
        assert.equal(result.status, "ok", JSON.stringify(result.error));
        assert.deepEqual(text(result.outputs), [String(first)], `tfjs loaded ${tensorflow}`);
      } finally {
        kernel.dispose();
      }
    }
  });
});
