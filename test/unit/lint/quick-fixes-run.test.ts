// Quick fixes insert cells that run (issue 19): "Add a verdict cell" inserted `verdict("H2", ...)`
// with no import, above the baseline cell it needs, and Run All failed with `ReferenceError: verdict
// is not defined`. Here the baseline and verdict fixes are applied in that order to a picture, the
// user fills in the values the templates leave empty, and every cell runs in a real kernel, top to
// bottom, to a verdict.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { MIME } from "../../../src/core/display";
import type { Notebook } from "../../../src/core/format";
import { lintNotebook } from "../../../src/core/lint";
import type { KernelClient } from "../../../src/kernel/client";
import { startKernel } from "../kernel/support";
import { applyNamedFix, sourceOf } from "./apply-fix";

const H1 = `id: H1
claim: The 10 most selective units of layer 2 are necessary for accuracy.
prediction: Ablating them lowers test accuracy more than ablating 10 random units of the same layer.
null: Both ablations lower accuracy about equally.
intervention: ablation
baselines:
  - name: random-units
    description: The same ablation on 10 random units of layer 2.
metric: drop in test accuracy
test:
  kind: permutation
  alternative: greater
  alpha: 0.05
`;
const PICTURE = `// @hypothesis H1
const drops = [0.31, 0.28, 0.35, 0.3, 0.33, 0.29, 0.34, 0.32];
display({ mark: "bar", data: { values: drops.map((drop, k) => ({ k, drop })) }, encoding: { x: { field: "k", type: "ordinal" }, y: { field: "drop", type: "quantitative" } } });
`;

let kernel: KernelClient;
before(async () => {
  kernel = await startKernel();
});
after(() => kernel.dispose());

test("the baseline and verdict fixes, filled in, run top to bottom to a verdict", async () => {
  const notebook: Notebook = {
    format: "falsify",
    version: 1,
    metadata: {},
    cells: [
      { id: "h1", kind: "code", language: "hypothesis", source: H1, metadata: {}, outputs: [] },
      { id: "picture", kind: "code", language: "typescript", source: PICTURE, metadata: {}, outputs: [] },
    ],
  };
  applyNamedFix(notebook, "visual-without-baseline", 'Add a "random-units" baseline cell for H1');
  applyNamedFix(notebook, "visual-without-quantification", "Add a verdict cell for H1");
  const ids = notebook.cells.map((cell) => cell.id);
  assert.deepEqual(ids, ["h1", "picture", "fix-visual-without-baseline-0", "fix-visual-without-quantification-0"], "the verdict goes below the control it reads");

  // What the user writes where the templates leave `[/* ... */]`.
  const fill: Record<string, string> = {
    "fix-visual-without-baseline-0": "[0.05, 0.02, 0.04, 0.06, 0.03, 0.05, 0.01, 0.04]",
    "fix-visual-without-quantification-0": "drops",
  };
  for (const cell of notebook.cells) {
    const value = fill[cell.id];
    if (value) cell.source = sourceOf(cell).replace(/\[\/\*[^\]]*\*\/\]/g, value);
  }
  assert.deepEqual(lintNotebook(notebook).pictures.map((p) => p.checks), [{ hypothesis: true, baseline: true, quantified: true }]);

  let last;
  for (const cell of notebook.cells) {
    last = await kernel.execute({ source: sourceOf(cell), language: cell.language === "hypothesis" ? "hypothesis" : "typescript" });
    assert.equal(last.status, "ok", `cell ${cell.id}:\n${sourceOf(cell)}\n-> ${JSON.stringify(last.error)}`);
  }
  const verdict = last!.outputs.flatMap((o) => o.items).find((item) => item.mime === MIME.verdict)?.data as { hypothesis: string; verdict: string } | undefined;
  assert.equal(verdict?.hypothesis, "H1");
  assert.equal(verdict?.verdict, "supported");
});
