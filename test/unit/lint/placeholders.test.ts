// The linter must not be fooled by its own templates (issue 19): a lone heatmap with the templates
// the quick fixes insert (hypothesis, baseline cell, verdict cell) showed "hypothesis ✓ baseline ✓
// quantified ✓" and graded the placeholder hypothesis "average". Template text counts as missing for
// every rule, the grade and the panel, until the user's own words and values replace it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readCell } from "../../../src/core/cell";
import type { Notebook } from "../../../src/core/format";
import { codeNotebook } from "../../support/notebook";
import { baselineScaffold, hypothesisTemplate, lintNotebook, linkComment, verdictScaffold } from "../../../src/core/lint";

const HEATMAP = `import { attributionHeatmap, attributionMap, integratedGradients, loadDigits, loadModel } from "falsify";
const digits = loadDigits({ path: "digits/digits.csv.gz" });
const cnn = await loadModel("digits/models/cnn/model.json");
const x = digits.test.images.slice(0, 8);
const ig = await integratedGradients(cnn, x, { steps: 32 });
display(attributionHeatmap(attributionMap({ values: x.dataSync(), shape: x.shape }, 0), attributionMap(ig, 0)));
`;

const OWN_HYPOTHESIS = `id: H1
claim: The Integrated Gradients map of the digits CNN depends on the weights it learned.
prediction: A retrained twin's map agrees with the trained map at least 0.1 better than a randomised copy's map does.
null: The randomised copy's map agrees as well as the twin's.
intervention: randomization
baselines:
  - name: randomized-model
    description: The CNN with every layer re-initialised.
metric: Spearman rank correlation with the trained map
test:
  kind: paired-permutation
  alternative: greater
`;


/** The heatmap after the three quick fixes as they were: hypothesis template, baseline cell, verdict cell. */
function templated(): Notebook {
  return codeNotebook([
    ["hypothesis", hypothesisTemplate("H1")],
    ["typescript", linkComment("H1") + HEATMAP],
    ["typescript", baselineScaffold("H1", "random-units")],
    ["typescript", verdictScaffold("H1")],
  ]);
}

test("templates satisfy nothing: panel ✗ ✗ ✗, the hypothesis flagged and graded very weak", () => {
  const report = lintNotebook(templated());
  assert.deepEqual(report.internalErrors, []);
  assert.deepEqual(report.pictures.map((p) => p.checks), [{ hypothesis: false, baseline: false, quantified: false }]);
  const [h1] = report.hypotheses;
  assert.equal(h1.grade.strength, "very weak");
  assert.match(h1.grade.raise.join("; "), /write your own `claim`/);
  assert.equal(h1.claim, "", "the summary carries no template claim");
  const byRule = (rule: string) => report.diagnostics.filter((d) => d.rule === rule);
  assert.match(byRule("unfalsifiable-hypothesis")[0]?.message ?? "", /H1 is still the template: its `claim`, `prediction`, `null` are placeholders/);
  assert.match(byRule("visual-without-quantification")[0]?.message ?? "", /The `verdict` for H1 in cell 4 is still a template/);
  assert.equal(byRule("visual-without-quantification")[0]?.fixes, undefined, "no second verdict cell is offered");
  // The template's baseline has a placeholder description: it is no declared control, and no second `baselines:` key is offered.
  const baseline = byRule("visual-without-baseline")[0];
  assert.match(baseline?.message ?? "", /H1's baseline is still the template \(`baselines\.0\.name` is a placeholder\)/);
  assert.equal(baseline?.fixes, undefined);
});

test("a placeholder in any field of the hypothesis counts as missing; the user's own words count", () => {
  const grade = (source: string) => lintNotebook(codeNotebook([["hypothesis", source]])).hypotheses[0].grade.strength;
  assert.equal(grade(OWN_HYPOTHESIS), "average");
  assert.equal(grade(OWN_HYPOTHESIS.replace(/^null: .*$/m, "null: <what you will observe if it does not>")), "very weak");
  assert.equal(grade(OWN_HYPOTHESIS.replace(/^metric: .*$/m, "metric: <the quantity you measure>")), "weak");
  assert.equal(grade(OWN_HYPOTHESIS.replace("The CNN with every layer re-initialised.", "<the control>")), "weak");
  // Angle brackets that are not a template's prompt are the user's: "< 5%" is a comparison.
  assert.equal(grade(OWN_HYPOTHESIS.replace(/^null: .*$/m, "null: agreement differs by < 0.1 and > -0.1")), "average");
});

test("the control and the verdict count once they compute something", () => {
  const nb = templated();
  nb.cells[0].source = OWN_HYPOTHESIS;
  nb.cells[2].source = `// @hypothesis H1\nimport { baseline } from "falsify";\nconst randomized = baseline("randomized-model", [0.1, 0.2, 0.15], { hypothesis: "H1" });\n`;
  assert.deepEqual(lintNotebook(nb).pictures.map((p) => p.checks), [{ hypothesis: true, baseline: true, quantified: false }]);
  nb.cells[3].source = `// @hypothesis H1\nfx.verdict("H1", { observed: [0.6, 0.7, 0.65], baseline: randomized });\n`;
  const report = lintNotebook(nb);
  assert.deepEqual(report.pictures.map((p) => p.checks), [{ hypothesis: true, baseline: true, quantified: true }]);
  assert.deepEqual(report.diagnostics.filter((d) => d.rule !== "single-example-visual").map((d) => d.rule), []);
});

test("the cell reading marks calls that pass no values", () => {
  const placeholder = (source: string) => {
    const reading = readCell(source);
    return [...reading.baselines, ...reading.tests].map((site) => site.placeholder === true);
  };
  assert.deepEqual(placeholder(baselineScaffold("H1", "random-units")), [true]);
  assert.deepEqual(placeholder(verdictScaffold("H1")), [true]);
  assert.deepEqual(placeholder('verdict("H1");'), [true]);
  assert.deepEqual(placeholder('verdict("H1", { observed: [], baseline: b });'), [true]);
  assert.deepEqual(placeholder('baseline("random-units", values, { hypothesis: "H1" });'), [false]);
  assert.deepEqual(placeholder('verdict("H1", observed, control);'), [false]);
  assert.deepEqual(placeholder('verdict("H1", { observed: [0.5, 0.6], baseline: control });'), [false]);
});
