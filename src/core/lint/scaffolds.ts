// The text quick fixes insert: a hypothesis template, a link comment, a baseline and a verdict cell.
// Kept in one place so the editor's "Insert hypothesis" command and the fixes agree.
import type { KindOfStudy } from "./evidence";

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

export function linkComment(id: string): string {
  return `// @hypothesis ${id}\n`;
}

export function baselineScaffold(id: string, name: string): string {
  return `${linkComment(id)}// The control for ${id}: the same metric computed on "${name}".
const ${identifier(name)} = baseline("${name}", [/* values of the metric on the control */], { hypothesis: "${id}" });
`;
}

export function verdictScaffold(id: string): string {
  return `${linkComment(id)}// Decide ${id} with the test its hypothesis cell declares.
verdict("${id}", { observed: [/* the metric */], baseline: [/* the control's values */] });
`;
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
