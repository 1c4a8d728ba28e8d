import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { createRng } from "../../../src/core/stats";
import { parseNotebook, type Cell, type Notebook } from "../../../src/core/format";
import { describeChecks, Linter, lintNotebook } from "../../../src/core/lint";

function notebook(cells: Partial<Cell>[], metadata: Record<string, unknown> = {}): Notebook {
  return {
    format: "falsify",
    version: 1,
    metadata,
    cells: cells.map((c, i) => ({ id: `c${i}`, kind: "code", language: "typescript", source: "", metadata: {}, outputs: [], ...c })),
  };
}

const H1 = { language: "hypothesis", source: "id: H1\nclaim: x\nprediction: y\nnull: z\n" };
const VISUAL = { source: 'const v = [1];\ndisplay({ mark: "bar", data: { values: v } });\n' };

test("severities: the rule default, overridden by settings, overridden by the notebook's metadata.lint.rules", () => {
  const nb = notebook([VISUAL]);
  const rule = (report: ReturnType<typeof lintNotebook>) => report.diagnostics.filter((d) => d.rule === "visual-without-hypothesis").map((d) => d.severity);
  assert.deepEqual(rule(lintNotebook(nb)), ["warning"]);
  assert.deepEqual(rule(lintNotebook(nb, { rules: { "visual-without-hypothesis": "error" } })), ["error"]);
  assert.deepEqual(rule(lintNotebook(nb, { rules: { "visual-without-hypothesis": "bogus" } })), ["warning"]);
  const quiet = notebook([VISUAL], { lint: { rules: { "visual-without-hypothesis": "off" } } });
  assert.deepEqual(rule(lintNotebook(quiet, { rules: { "visual-without-hypothesis": "error" } })), []);
  const info = notebook([VISUAL], { lint: { rules: { "visual-without-hypothesis": "info" } } });
  assert.deepEqual(rule(lintNotebook(info, { rules: { "visual-without-hypothesis": "error" } })), ["info"]);
});

test("linking: comment, cell metadata, or a runtime call naming a declared hypothesis", () => {
  const linked = (cell: Partial<Cell>) => lintNotebook(notebook([H1, cell])).diagnostics.some((d) => d.rule === "visual-without-hypothesis");
  assert.equal(linked(VISUAL), true);
  assert.equal(linked({ source: `// @hypothesis H1\n${VISUAL.source}` }), false);
  assert.equal(linked({ ...VISUAL, metadata: { hypothesis: "H1" } }), false);
  assert.equal(linked({ source: 'display(ablationCurves(curves, { hypothesis: "H1" }));\n' }), false);
  assert.equal(linked({ source: 'display(ablationCurves(curves, { hypothesis: "H2" }));\n' }), true);
  assert.equal(linked({ source: 'import { ablationCurves as curvesChart } from "falsify";\ndisplay(curvesChart(c, { hypothesis: "H1" }));\n' }), false);
});

test("a cell that ran and showed only text is not a visualisation, even though it calls display()", () => {
  const ran = { source: "display(summary);\n", outputs: [{ items: [{ mime: "text/plain", data: "3 units" }] }] };
  assert.equal(lintNotebook(notebook([ran])).diagnostics.length, 0);
  assert.equal(lintNotebook(notebook([{ source: "display(summary);\n" }])).diagnostics.length, 1, "before running, display() may draw");
});

test("the hypothesis summary carries strength, linked cells with their checks and the latest verdict", () => {
  const verdict = (p: number, startTime: number): Partial<Cell> => ({
    source: '// @hypothesis H1\nverdict("H1", a, b);\n',
    outputs: [{ items: [{ mime: "application/vnd.falsify.verdict+json", data: { hypothesis: "H1", verdict: p < 0.05 ? "supported" : "inconclusive", p } }] }],
    execution: { startTime },
  });
  const report = lintNotebook(notebook([H1, { source: `// @hypothesis H1\n${VISUAL.source}` }, verdict(0.01, 200), verdict(0.2, 100)]));
  const [h] = report.hypotheses;
  assert.equal(h.id, "H1");
  assert.equal(h.grade.strength, "weak");
  assert.deepEqual(h.linkedCells.map((c) => [c.cellId, c.visual, c.checks]), [
    ["c1", true, { hypothesis: true, baseline: false, quantified: true }],
    ["c2", false, { hypothesis: true, baseline: false, quantified: true }],
    ["c3", false, { hypothesis: true, baseline: false, quantified: true }],
  ]);
  assert.deepEqual(h.reading.tests.map((v) => v.p), [0.01], "the verdict that ran last wins, not the last cell");
});

test("pictures: every cell that shows one, with its hypotheses and checks, written as the panel and the captions write them", () => {
  const report = lintNotebook(notebook([H1, { source: `// @hypothesis H1\n${VISUAL.source}` }, VISUAL, { source: "const x = 1;\n" }]));
  assert.deepEqual(report.pictures.map((p) => [p.cellId, p.hypotheses, p.checks]), [
    ["c1", ["H1"], { hypothesis: true, baseline: false, quantified: false }],
    ["c2", [], { hypothesis: false, baseline: false, quantified: false }],
  ]);
  assert.equal(describeChecks(report.pictures[0].checks, report.pictures[0].hypotheses), "hypothesis H1 ✓ · baseline ✗ · quantified ✗");
  const chart = { chart: "ablation-curves", baselines: ["random orders"], statistic: "permutation", distribution: true };
  assert.equal(describeChecks({ hypothesis: true, baseline: true, quantified: true }, ["H1", "H2"], chart), "hypothesis H1, H2 ✓ · baseline ✓: random orders · quantified ✓: permutation · shown within its distribution");
});

test("incremental: after one cell changes only that cell is analysed again, with the same result as a fresh lint", () => {
  const cells = Array.from({ length: 40 }, (_, i) => ({ source: `// @hypothesis H1\nconst v${i} = [${i}];\ndisplay({ mark: "bar", data: { values: v${i} } });\n` }));
  const nb = notebook([H1, ...cells]);
  const linter = new Linter();
  assert.equal(linter.lint(nb).analysed, 41);
  assert.equal(linter.lint(nb).analysed, 0);
  const edited = { ...nb, cells: nb.cells.map((c, i) => (i === 7 ? { ...c, source: `${c.source}Math.random();\n` } : c)) };
  const incremental = linter.lint(edited);
  assert.equal(incremental.analysed, 1, "only the edited cell is parsed again");
  const fresh = new Linter().lint(edited);
  assert.equal(fresh.analysed, 41);
  assert.deepEqual({ ...incremental, analysed: 0 }, { ...fresh, analysed: 0 });
});

test("fuzz: garbage in any cell, outputs or metadata never throws and never reports an internal error", () => {
  const rng = createRng(20261123);
  const fixture = parseNotebook(readFileSync("test/fixtures/lint/visual-without-baseline.falsify", "utf8"));
  assert.ok(fixture.ok);
  const randomText = (n: number) => Array.from({ length: n }, () => String.fromCharCode(rng.int(0x3000))).join("");
  const garbage: (() => unknown)[] = [
    () => randomText(rng.int(200)),
    () => fixture.notebook.cells[rng.int(fixture.notebook.cells.length)].source.slice(0, rng.int(80)), // half-typed
    () => "id: H1\nclaim: [\n  - {\n" + randomText(20),
    () => "const x = {".repeat(rng.int(500)),
    () => "display(".repeat(200) + "images[3]",
    () => "a: *b\n&b: c\n" + "- ".repeat(100),
    () => "// @hypothesis " + randomText(10),
    () => undefined,
    () => 42,
    () => ["line 1\n", 7],
  ];
  for (let round = 0; round < 300; round++) {
    const cells = fixture.notebook.cells.map((cell) => {
      if (rng.next() > 0.4) return cell;
      const pick = rng.int(4);
      if (pick === 0) return { ...cell, source: garbage[rng.int(garbage.length)]() as string };
      if (pick === 1) return { ...cell, language: ["hypothesis", "typescript", "markdown", ""][rng.int(4)] };
      if (pick === 2) return { ...cell, outputs: [{ items: [{ mime: ["application/vnd.falsify.chart+json", "application/vnd.falsify.verdict+json", "image/png"][rng.int(3)], data: garbage[rng.int(garbage.length)]() }] }] } as Cell;
      return { ...cell, metadata: { hypothesis: garbage[rng.int(garbage.length)]() }, execution: { sourceHash: 7, startTime: "x" } } as unknown as Cell;
    });
    const metadata = rng.next() > 0.5 ? { lint: { rules: garbage[rng.int(garbage.length)]() }, preregistration: { records: { H1: { hash: 3 } } } } : {};
    const report = lintNotebook({ ...fixture.notebook, metadata, cells } as Notebook);
    assert.deepEqual(report.internalErrors, [], `round ${round}`);
  }
  const huge = "x".repeat(1_000_000);
  for (const language of ["typescript", "hypothesis"]) {
    const report = lintNotebook(notebook([{ language, source: huge }, { language, source: `// @hypothesis H1\n${huge}` }]));
    assert.deepEqual(report.internalErrors, []);
  }
  assert.deepEqual(lintNotebook({ cells: null } as unknown as Notebook).diagnostics, []);
});

test("a picture linked to a hypothesis cell that does not validate is not blamed on what that cell declares", () => {
  const broken = { language: "hypothesis", source: "id: H1\nclaim: x\nprediction: y\nnull: z\nte\n" };
  const report = lintNotebook(notebook([broken, { source: `// @hypothesis H1\n${VISUAL.source}` }]));
  assert.deepEqual(report.diagnostics.map((d) => d.rule), ["invalid-hypothesis"]);
});
