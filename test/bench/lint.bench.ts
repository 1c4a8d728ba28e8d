// Linting a 200-cell notebook must keep up with typing: a full lint ≤ 50 ms, a re-lint after one
// cell changes ≤ 5 ms. Baseline: the TypeScript parse of the same cells (ts.createSourceFile), the
// floor of any linter that reads cells with the compiler API.
import ts from "typescript";
import type { Cell, Notebook } from "../../src/core/format";
import { Linter } from "../../src/core/lint";
import { medianMs, type Benchmark } from "./harness";

const HYPOTHESIS = (id: string) => `id: ${id}
claim: Units with high class selectivity are necessary for accuracy.
prediction: Ablating the 10 most selective units lowers accuracy more than ablating 10 random units.
null: Accuracy drops by the same amount whichever 10 units are ablated.
intervention: ablation
baselines:
  - name: random-units
    description: 10 random units, 100 draws.
metric: drop in test accuracy
test:
  kind: permutation
  alternative: greater
`;

/** A realistic research notebook: a hypothesis every 20 cells, then model code, charts, controls and tests. */
function notebook(cells: number): Notebook {
  const out: Cell[] = [];
  for (let i = 0; out.length < cells; i++) {
    const h = `H${Math.floor(i / 20) + 1}`;
    const source =
      i % 20 === 0
        ? HYPOTHESIS(h)
        : i % 4 === 1
          ? `// @hypothesis ${h}\nconst acts${i} = await activations(model, layer${i % 3}, images);\nconst sel${i} = classSelectivity(acts${i}, labels);\ndisplay(selectivityHistograms([{ layer: "l${i}", values: sel${i} }], { hypothesis: "${h}" }));\n`
          : i % 4 === 2
            ? `// @hypothesis ${h}\nconst drops${i} = ablationCurve(model, order(sel${i - 1}), testSet);\nconst random${i} = baseline("random-units", randomOrders(10, ${i}).map((o) => ablationCurve(model, o, testSet)));\n`
            : i % 4 === 3
              ? `// @hypothesis ${h}\nconst result${i} = permutationTest(drops${i - 1}, random${i - 1}.flat(), { alternative: "greater", seed: ${i} });\nconsole.log(result${i}.p.toFixed(4));\n`
              : `for (let epoch = 0; epoch < 3; epoch++) {\n  const history = await model.fit(xs, ys, { epochs: 1, batchSize: 32 });\n  console.log(epoch, history.history.loss[0]);\n}\n`;
    out.push({ id: `c${i}`, kind: "code", language: i % 20 === 0 ? "hypothesis" : "typescript", source, metadata: {}, outputs: [] });
  }
  return { format: "falsify", version: 1, metadata: { seed: 1 }, cells: out };
}

const parseAll = (cells: Cell[]) => {
  for (const cell of cells) if (cell.language === "typescript") ts.createSourceFile("cell.ts", cell.source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
};

export const benchmarks: Benchmark[] = [
  {
    id: "lint.200cells",
    async run() {
      const nb = notebook(200);
      const full = await medianMs(() => new Linter().lint(nb), 30, 5);
      const floor = await medianMs(() => parseAll(nb.cells), 30, 5);

      // A keystroke: cell 41 gains one character each time, so its hash never repeats.
      const linter = new Linter();
      linter.lint(nb);
      let keystrokes = 0;
      const edited = () => {
        keystrokes++;
        const cells = nb.cells.slice();
        cells[41] = { ...cells[41], source: `${nb.cells[41].source}${"x".repeat(keystrokes)}` };
        return { ...nb, cells };
      };
      const incremental = await medianMs(() => linter.lint(edited()), 50, 5);
      const oneCell = await medianMs(() => parseAll([{ ...nb.cells[41], source: `${nb.cells[41].source}${"y".repeat(++keystrokes)}` }]), 50, 5);
      return [
        { subject: { name: "full lint (fresh Linter)", value: full, unit: "ms" }, baseline: { name: "ts.createSourceFile of every code cell", value: floor, unit: "ms" }, target: "≤ 50 ms", note: "200 cells" },
        { subject: { name: "re-lint after one cell changed", value: incremental, unit: "ms" }, baseline: { name: "ts.createSourceFile of that cell", value: oneCell, unit: "ms" }, target: "≤ 5 ms", note: "200 cells" },
      ];
    },
  },
];
