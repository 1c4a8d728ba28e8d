// The text quick fixes insert: a hypothesis template, a link comment, a baseline and a verdict cell.
// Kept in one place so the editor's "Insert hypothesis" command and the fixes agree.
import { CellGraph } from "../cell/graph";
import { readCell } from "../cell/reading";
import type { Fix } from "./diagnostic";
import type { KindOfStudy } from "./evidence";
import type { NotebookModel } from "./model";

/**
 * A hypothesis to fill in, with the controls of the study the picture belongs to (evidence.ts);
 * the claim, prediction, null and metric are the user's to write (placeholders until then).
 */
export function hypothesisTemplate(id: string, study?: KindOfStudy): string {
  return `id: ${id}
claim: <one sentence, the mechanism you claim>
prediction: <what you will observe if the claim holds, measurably>
null: <what you will observe if it does not>
intervention: ${study?.intervention ?? "<ablation, perturbation, randomization, training, or none>"}
${baselinesField(study)}metric: <the quantity you measure>
test:
  kind: permutation
  alternative: greater
  alpha: 0.05
`;
}

/**
 * A new hypothesis in a cell above cell `index`, with the controls of what that cell shows (`study`),
 * linked to it when `link`: the "Insert hypothesis" quick fix and, through `hypothesisForCell`
 * (insert-hypothesis.ts), the toolbar's Insert Hypothesis.
 */
export function insertHypothesisFix(taken: Iterable<string>, index: number, study: KindOfStudy | undefined, link: boolean): Fix {
  const id = nextHypothesisId(taken);
  return {
    title: link ? `Insert hypothesis ${id} linked to this cell` : `Insert hypothesis ${id}`,
    edits: [
      { kind: "insert-cell", index, language: "hypothesis", source: hypothesisTemplate(id, study) },
      ...(link ? [{ kind: "insert-text" as const, cellIndex: index, line: 1, column: 1, text: linkComment(id) }] : []),
    ],
  };
}

export function linkComment(id: string): string {
  return `// @hypothesis ${id}\n`;
}

// Scaffold cells run as they are (the runtime through the `fx` global every cell has) once their
// `[/* ... */]` are filled in, and go below every cell they read (`insertionIndex`).

/** The variable the baseline scaffold declares for the control `name`; the verdict scaffold reads it. */
export function baselineVariable(name: string): string {
  return identifier(name);
}

export function baselineScaffold(id: string, name: string): string {
  return `${linkComment(id)}// The control for ${id}: the metric computed on "${name}", one value per example.
const ${baselineVariable(name)} = fx.baseline("${name}", [/* values of the metric on the control */], { hypothesis: "${id}" });
`;
}

/** `control`: the variable holding the control's values, when a cell declares one. */
export function verdictScaffold(id: string, control?: string): string {
  return `${linkComment(id)}// Decide ${id} with the test its hypothesis cell declares: the metric observed, one value per example, against the control's.
fx.verdict("${id}", { observed: [/* the metric */], baseline: ${control ?? "[/* the control's values */]"} });
`;
}

/** Where a new cell with `source` goes: below cell `after` and below every cell it depends on. */
export function insertionIndex(model: NotebookModel, after: number, source: string): number {
  const readings = model.cells.map((info) => (info.facts.kind === "code" ? info.facts.code : undefined));
  const graph = new CellGraph([...readings, readCell(source)]);
  return Math.max(after, ...graph.dependenciesOf(readings.length)) + 1;
}

export function baselinesField(study?: KindOfStudy): string {
  const baselines = study?.baselines ?? [{ name: "<control>", description: "<the same measurement on a control that should not show the effect>" }];
  return `baselines:\n${baselines.map((b) => `  - name: ${b.name}\n    description: ${b.description}\n`).join("")}`;
}

/** The next free id of the form H<n>. */
export function nextHypothesisId(taken: Iterable<string>): string {
  const used = new Set(taken);
  let n = 1;
  while (used.has(`H${n}`)) n++;
  return `H${n}`;
}

function identifier(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const camel = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join("");
  return /^[A-Za-z_]/.test(camel) ? `${camel}Baseline` : `baseline${camel}`;
}
