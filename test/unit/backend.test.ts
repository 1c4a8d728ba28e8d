import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";

// Each backend choice is made once per process, so each case runs in a fresh child process.
function probe(env: Record<string, string>, code = "") {
  const script = `
    const { loadTensorFlow } = require("./src/core/backend");
    loadTensorFlow({ searchFrom: [process.cwd()] }).then(async (loaded) => {
      const tfjs = require("@tensorflow/tfjs");
      const t = loaded.tf.tensor([1, 2, 3]);
      // A tensor from the loaded instance works with ops imported from @tensorflow/tfjs: one instance.
      const interop = tfjs.add(t, tfjs.scalar(1)).dataSync().join(",");
      ${code}
      console.log(JSON.stringify({ backend: loaded.backend, active: tfjs.getBackend(), interop, notes: loaded.notes }));
    });`;
  const out = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { env: { ...process.env, ...env }, encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout.trim().split("\n").pop()!) as { backend: string; active: string; interop: string; notes: string[] };
}

const nativeBuilt = existsSync("node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node");

test("tfjs-node is chosen when its addon is built, and shares one tfjs instance", { skip: !nativeBuilt && !process.env.CI && "tfjs-node not built (npm run setup:native)" }, () => {
  const result = probe({ FALSIFY_BACKEND: "" });
  assert.equal(result.backend, "tensorflow");
  assert.equal(result.active, "tensorflow");
  assert.equal(result.interop, "2,3,4");
});

test("wasm is used when preferred (or when tfjs-node is missing), with the same instance", () => {
  const result = probe({ FALSIFY_BACKEND: "wasm" });
  assert.equal(result.backend, "wasm");
  assert.equal(result.active, "wasm");
  assert.equal(result.interop, "2,3,4");
});

test("cpu is the last resort", () => {
  const result = probe({ FALSIFY_BACKEND: "cpu" });
  assert.deepEqual([result.backend, result.active, result.interop], ["cpu", "cpu", "2,3,4"]);
});

test("a workspace without tfjs-node falls back and says why", () => {
  const script = `
    const { loadTensorFlow } = require("./src/core/backend");
    loadTensorFlow({ searchFrom: ["/"] }).then((l) => console.log(JSON.stringify({ backend: l.backend, notes: l.notes })));`;
  const out = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { env: { ...process.env, FALSIFY_BACKEND: "" }, encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  const result = JSON.parse(out.stdout.trim().split("\n").pop()!);
  assert.equal(result.backend, "wasm");
  assert.match(result.notes[0], /@tensorflow\/tfjs-node is not installed in \/ or a folder above/);
});
