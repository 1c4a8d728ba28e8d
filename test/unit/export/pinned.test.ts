// What an exported folder's script says at start about the versions it runs on (`--dir`).
import assert from "node:assert/strict";
import { test } from "node:test";
import { recordedRun, versionWarning } from "../../../src/core/export";
import type { Cell } from "../../../src/core/format";

const cell = (execution?: Cell["execution"]): Cell => ({ id: "c", kind: "code", language: "typescript", source: "", metadata: {}, outputs: [], ...(execution ? { execution } : {}) });

test("the recorded run is the last cell with a record; the warning names only what differs, nothing when all agree", () => {
  const recorded = recordedRun([
    cell({ backend: "wasm", tfjsVersion: "4.21.0", falsifyVersion: "0.0.9" }),
    cell({ backend: "tensorflow", tfjsVersion: "4.22.0", falsifyVersion: "0.1.0", nodeVersion: "20.20.2" }),
    cell(),
  ]);
  assert.deepEqual(recorded, { falsify: "0.1.0", tfjs: "4.22.0", backend: "tensorflow", node: "20.20.2" });
  assert.equal(versionWarning(recorded!, { falsify: "0.1.0", tfjs: "4.22.0", backend: "tensorflow" }), undefined);
  assert.equal(
    versionWarning(recorded!, { falsify: "0.2.0", tfjs: "4.22.0", backend: "tensorflow" }),
    "the notebook's outputs were recorded with falsify 0.1.0; this run uses falsify 0.2.0: numbers may differ",
  );
  assert.equal(versionWarning({ tfjs: "4.22.0" }, { falsify: "0.2.0", tfjs: "4.22.0", backend: "cpu" }), undefined, "what was not recorded is not compared");
  assert.equal(recordedRun([cell()]), undefined);
});
