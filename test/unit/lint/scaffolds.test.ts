// Scaffolds by what the cell shows (issue 19): the hypothesis inserted for a saliency heatmap was about
// ablating random units, and "Link this cell to H1" was offered for an unrelated ablation hypothesis
// as if it fitted. The template brings the controls of the picture's kind of study, and link targets
// are ranked and labelled by fit, both from the linter's facts about the cell.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Notebook } from "../../../src/core/format";
import { codeNotebook } from "../../support/notebook";
import { parseHypothesis } from "../../../src/core/hypothesis";
import { hypothesisForCell, lintNotebook, type Fix } from "../../../src/core/lint";


function fixesFor(nb: Notebook, rule: string): Fix[] {
  const report = lintNotebook(nb);
  assert.deepEqual(report.internalErrors, []);
  return report.diagnostics.find((d) => d.rule === rule)?.fixes ?? [];
}

/** The hypothesis the "Insert hypothesis" fix would write for a cell showing `picture`. */
function inserted(picture: string) {
  const edit = fixesFor(codeNotebook([["typescript", picture]]), "visual-without-hypothesis")[0]?.edits[0];
  assert.ok(edit?.kind === "insert-cell");
  const parsed = parseHypothesis(edit.source);
  assert.deepEqual(parsed.errors, [], edit.source);
  return parsed.hypothesis!;
}

const HEATMAP = "display(attributionHeatmap(image, attributionMap(ig, 0)));\n";
const ABLATION_H = "id: H1\nclaim: Selective units are necessary.\nprediction: Ablating them hurts more.\nnull: Same drop.\nintervention: ablation\nbaselines:\n  - name: random-units\n";
const SALIENCY_H = "id: H2\nclaim: The map depends on the learned weights.\nprediction: Randomising the model changes it.\nnull: It does not.\nintervention: randomization\nbaselines:\n  - name: randomized-model\n";

test("the inserted hypothesis brings the controls of what the cell shows", () => {
  const controls = (picture: string) => {
    const h = inserted(picture);
    return [h.intervention, ...h.baselines.map((b) => b.name)];
  };
  assert.deepEqual(controls(HEATMAP), ["randomization", "randomized-model", "edge-detector"]);
  assert.deepEqual(controls("display(attributionGrid(report));\n"), ["randomization", "randomized-model", "edge-detector"]);
  assert.deepEqual(controls("display(ablationCurves(curves));\n"), ["ablation", "random-units"]);
  assert.deepEqual(controls("display(probeAccuracy(results));\n"), ["none", "control-task"]);
  assert.deepEqual(controls('import { ckaMatrix } from "falsify";\ndisplay(ckaMatrix(matrix));\n'), ["none", "untrained-copy"]);
  // A chart Falsify cannot place gets no controls it could not justify: only placeholders.
  const plain = inserted('display({ mark: "bar", data: { values: v } });\n');
  assert.deepEqual(plain.baselines.map((b) => b.name), ["<control>"]);
  assert.match(plain.intervention ?? "", /^</);
});

test("link targets that fit the picture come first; the others say why they may not", () => {
  const titles = fixesFor(codeNotebook([["hypothesis", ABLATION_H], ["hypothesis", SALIENCY_H], ["typescript", HEATMAP]]), "visual-without-hypothesis").map((f) => f.title);
  assert.deepEqual(titles, [
    "Link this cell to H2 (fits: H2 studies an attribution map)",
    "Insert hypothesis H3 linked to this cell",
    "Link this cell to H1 (H1 studies an ablation; this cell shows an attribution map)",
  ]);
});

test("declaring a baseline for a linked heatmap declares the attribution controls", () => {
  const nb = codeNotebook([
    ["hypothesis", "id: H1\nclaim: The map shows the strokes.\nprediction: p\nnull: n\n"],
    ["typescript", `// @hypothesis H1\n${HEATMAP}`],
  ]);
  const edit = fixesFor(nb, "visual-without-baseline")[0]?.edits[0];
  assert.ok(edit?.kind === "insert-text");
  const after = parseHypothesis(nb.cells[0].source + edit.text);
  assert.deepEqual(after.errors, []);
  assert.deepEqual(after.hypothesis?.baselines.map((b) => b.name), ["randomized-model", "edge-detector"]);
});

// The toolbar's Insert Hypothesis inserted the generic template (an ablation study's placeholders) whatever
// the selected cell showed: it scaffolds from the selected cell as the quick fix does.
test("the toolbar's Insert Hypothesis scaffolds from the selected cell, as the quick fix does", () => {
  const hypothesisOf = (fix: Fix) => {
    const cell = fix.edits.find((e) => e.kind === "insert-cell");
    assert.ok(cell?.kind === "insert-cell");
    const parsed = parseHypothesis(cell.source);
    assert.deepEqual(parsed.errors, [], cell.source);
    return { index: cell.index, id: parsed.hypothesis!.id, controls: [parsed.hypothesis!.intervention, ...parsed.hypothesis!.baselines.map((b) => b.name)] };
  };
  const links = (fix: Fix) => fix.edits.flatMap((e) => (e.kind === "insert-text" ? [[e.cellIndex, e.text]] : []));

  // A lone heatmap, selected: the quick fix's hypothesis, above it and linked to it.
  const lone = codeNotebook([["markdown", "# Notes\n"], ["typescript", HEATMAP]]);
  const report = lintNotebook(lone);
  const onHeatmap = hypothesisForCell(report, 1, 2);
  assert.deepEqual(hypothesisOf(onHeatmap), { index: 1, id: "H1", controls: ["randomization", "randomized-model", "edge-detector"] });
  assert.deepEqual(links(onHeatmap), [[1, "// @hypothesis H1\n"]]);
  const quickFix = report.diagnostics.find((d) => d.rule === "visual-without-hypothesis")?.fixes?.[0];
  assert.deepEqual(onHeatmap, quickFix, "the same edits as the quick fix");

  // A cell that shows nothing Falsify can place, or no selection: the template's placeholders, unlinked.
  assert.deepEqual(hypothesisOf(hypothesisForCell(report, 0, 2)).controls, ["<ablation, perturbation, randomization, training, or none>", "<control>"]);
  const atEnd = hypothesisForCell(report, undefined, 2);
  assert.equal(hypothesisOf(atEnd).index, 2);
  assert.deepEqual(links(atEnd), []);

  // A picture already claimed by H1: a second hypothesis about it gets its controls, and no second link.
  const claimed = codeNotebook([["hypothesis", ABLATION_H], ["typescript", "// @hypothesis H1\ndisplay(ablationCurves(curves));\n"]]);
  const second = hypothesisForCell(lintNotebook(claimed), 1, 2);
  assert.deepEqual(hypothesisOf(second), { index: 1, id: "H2", controls: ["ablation", "random-units"] });
  assert.deepEqual(links(second), []);
});
