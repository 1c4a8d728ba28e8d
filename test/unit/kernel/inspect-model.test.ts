// "Open Model" computes its inspection in a kernel: the real kernel bundle, a model path that would
// be code if it were pasted into the cell, and a model that does not load (its error, not a crash).
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import type { KernelClient } from "../../../src/kernel/client";
import { inspectInKernel } from "../../../src/kernel/inspect-model";
import { startKernel } from "./support";

let kernel: KernelClient;
before(async () => {
  kernel = await startKernel();
});
after(() => kernel.dispose());

test("the kernel inspects an ONNX file whose name looks like code", async () => {
  const dir = mkdtempSync(join(tmpdir(), "falsify-open-model-"));
  const path = join(dir, `a"); throw new Error("injected"); ("b.onnx`);
  copyFileSync(resolve("examples/digits/models/resnet.onnx"), path);
  const inspection = await inspectInKernel(kernel, path);
  assert.equal(inspection.path, path);
  assert.equal(inspection.format, "ONNX");
  assert.ok(inspection.layers.some((l) => l.name === "layer1.0.conv1" && l.onnxNode === "/layer1/layer1.0/conv1/Conv"));
});

test("a model that does not load is the loader's error", async () => {
  await assert.rejects(inspectInKernel(kernel, resolve("test/reference/models/onnx/unsupported.onnx")), /TopK \(node \/topk\/TopK\)/);
});
