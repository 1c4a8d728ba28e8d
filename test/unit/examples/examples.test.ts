// The worked examples (examples/*.falsify) as the linter sees them: examples 1-3, 5-7 and 9 are finished
// studies and must lint clean; example 4 is the linter's tour, which ships with exactly the warnings
// its text explains, and whose quick fixes lead, step by step, to the warnings the text promises.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { type Notebook, parseNotebook } from "../../../src/core/format";
import { lintNotebook } from "../../../src/core/lint";
import { applyNamedFix, sourceOf } from "../lint/apply-fix";
import * as runtime from "../../../src/runtime";

const EXAMPLES = ["01-selectivity-ablation", "02-saliency-sanity", "03-representations", "04-linter-tour", "07-forward-prediction", "09-onnx-resnet-sanity", "06-selectivity-regularizer", "05-implanted-flaw"].map((name) => join("examples", `${name}.falsify`));
const [SELECTIVITY, SALIENCY, REPRESENTATIONS, TOUR, FORWARD_PREDICTION, ONNX_RESNET, REGULARIZER, IMPLANTED_FLAW] = EXAMPLES;

function load(path: string): Notebook {
  const parsed = parseNotebook(readFileSync(path, "utf8"));
  assert.ok(parsed.ok, `${path} does not parse`);
  return parsed.notebook;
}

const rulesOf = (notebook: Notebook) => lintNotebook(notebook).diagnostics.map((d) => d.rule).sort();

describe("examples: format, seed and data paths", () => {
  for (const path of EXAMPLES) {
    test(`${path} is canonical, seeded, and names data that exists beside it`, () => {
      const notebook = load(path);
      assert.equal(typeof notebook.metadata.seed, "number", "metadata.seed makes runs reproducible");
      // The kernel's working folder is the notebook's folder (in VS Code and under `falsify run`),
      // so every data path a cell names must resolve from there.
      const paths = notebook.cells.flatMap((cell) => [...sourceOf(cell).matchAll(/"(digits\/[^"$`]+)"/g)].map((m) => m[1]));
      const templated = notebook.cells.flatMap((cell) => [...sourceOf(cell).matchAll(/`digits\/models\/\$\{name\}\/model\.json`/g)]);
      assert.ok(paths.length + templated.length > 0, "the example reads the shipped digits data");
      for (const relative of paths) assert.ok(existsSync(join(dirname(path), relative)), `${relative} (from ${path}) is missing`);
    });
  }
});

describe("examples import only what the runtime exports", () => {
  for (const path of EXAMPLES) {
    test(path, () => {
      const imported = load(path).cells.flatMap((cell) =>
        [...sourceOf(cell).matchAll(/import \{([^}]*)\} from "falsify"/g)].flatMap((m) => m[1].split(",").map((name) => name.trim().replace(/^type\s+/, "")).filter(Boolean)),
      );
      assert.ok(imported.length > 0);
      const missing = imported.filter((name) => !(name in runtime));
      assert.deepEqual(missing, [], `${path} imports names the falsify runtime does not export`);
    });
  }
});

describe("the finished studies lint clean", () => {
  for (const path of [SELECTIVITY, SALIENCY, REPRESENTATIONS, FORWARD_PREDICTION, ONNX_RESNET, REGULARIZER, IMPLANTED_FLAW]) {
    test(path, () => {
      const report = lintNotebook(load(path));
      assert.deepEqual(report.internalErrors ?? [], []);
      assert.deepEqual(
        report.diagnostics.map((d) => `${d.rule} (cell ${d.cellId}): ${d.message}`),
        [],
      );
    });
  }

  test("example 1's H1 is a strong hypothesis on the Leavitt & Morcos ladder", () => {
    const h1 = lintNotebook(load(SELECTIVITY)).hypotheses.find((h) => h.id === "H1");
    assert.equal(h1?.grade.strength, "strong", h1?.grade.raise.join("; "));
  });
});

describe("example 4: the linter's tour", () => {
  test("ships with a lone heatmap and exactly the two warnings its text explains", () => {
    const notebook = load(TOUR);
    const diagnostics = lintNotebook(notebook).diagnostics;
    assert.equal(notebook.cells[0].id, "heatmap", "the tour starts with the heatmap");
    assert.deepEqual(diagnostics.map((d) => [d.rule, d.cellId]).sort(), [
      ["single-example-visual", "heatmap"],
      ["visual-without-hypothesis", "heatmap"],
    ]);
    const text = sourceOf(notebook.cells[1]);
    for (const d of diagnostics) assert.ok(text.includes(`\`${d.rule}\``), `the tour explains ${d.rule}`);
  });

  test("each quick fix the tour names leads to the warnings the tour promises next", () => {
    const notebook = load(TOUR);
    const tourText = notebook.cells.map(sourceOf).join("\n");

    // Step 1: insert a hypothesis linked to the heatmap.
    applyTourFix(notebook, "visual-without-hypothesis", "Insert hypothesis H1 linked to this cell", tourText);
    // The template is not yet a hypothesis: its placeholders count for nothing (the tour says so).
    assert.deepEqual(rulesOf(notebook), ["single-example-visual", "unfalsifiable-hypothesis", "visual-without-baseline", "visual-without-quantification"]);
    assert.match(sourceOf(notebook.cells[1]), /^\/\/ @hypothesis H1\n/, "the heatmap cell is linked to H1");

    // Step 2: fill the template in with the hypothesis the tour gives.
    const filled = /```yaml\n([\s\S]*?)```/.exec(tourText)?.[1];
    assert.ok(filled, "the tour shows the filled-in hypothesis");
    notebook.cells[0].source = filled;
    assert.deepEqual(rulesOf(notebook), ["single-example-visual", "visual-without-baseline", "visual-without-quantification"]);
    assert.equal(lintNotebook(notebook).hypotheses[0].grade.strength, "average", "without alternatives the tour's H1 is average, as it says");

    // Step 3: compute the declared baseline.
    applyTourFix(notebook, "visual-without-baseline", 'Add a "randomized-model" baseline cell for H1', tourText);
    assert.deepEqual(rulesOf(notebook), ["single-example-visual", "visual-without-baseline", "visual-without-quantification"], "an empty control is no control");
    const control = /```ts\n([\s\S]*?)```/.exec(tourText)?.[1];
    assert.ok(control, "the tour shows the baseline cell filled in");
    notebook.cells.find((cell) => cell.id.startsWith("fix-visual-without-baseline"))!.source = control;
    assert.deepEqual(rulesOf(notebook), ["single-example-visual", "visual-without-quantification"]);

    // Step 4: decide H1.
    applyTourFix(notebook, "visual-without-quantification", "Add a verdict cell for H1", tourText);
    assert.deepEqual(rulesOf(notebook), ["single-example-visual", "visual-without-quantification"], "an empty verdict decides nothing");
    // The user fills in the observed values (the twin's similarity, as the tour says) and the baseline's.
    const verdictCell = notebook.cells.find((cell) => cell.id.startsWith("fix-visual-without-quantification"))!;
    const values = ["twinSimilarity", "randomizedSimilarity"];
    verdictCell.source = `const twinSimilarity = [0.6, 0.7, 0.65];\n${sourceOf(verdictCell).replace(/\[\/\*[^\]]*\*\/\]/g, () => values.shift()!)}`;
    assert.deepEqual(values, [], "the template has one placeholder for each");
    assert.deepEqual(rulesOf(notebook), ["single-example-visual"]);

    // Step 5 has no automatic fix: put the example in its distribution, as the tour says.
    const heatmap = notebook.cells.find((cell) => cell.id === "heatmap")!;
    heatmap.source = `${sourceOf(heatmap)}\ndisplay(distributionView(confidences, [{ value: confidences[0], label: "image shown" }]));\n`;
    assert.deepEqual(rulesOf(notebook), []);
  });
});

/** Applies the fix the tour names, after checking that the tour names it. */
function applyTourFix(notebook: Notebook, rule: string, title: string, tourText: string): void {
  assert.ok(tourText.includes(`**${title}**`), `the tour names the fix "${title}"`);
  applyNamedFix(notebook, rule, title);
}
