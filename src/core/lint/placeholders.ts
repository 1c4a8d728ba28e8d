// A template is not the user's words. What the quick fixes insert (scaffolds.ts) holds `<...>`
// placeholders in the hypothesis and empty `[/* ... */]` where a control's or a verdict's values go;
// until the user replaces them, every rule, the grade and the panel read them as missing. Hypotheses
// are read through `ownWords`; placeholder calls are marked by the one cell reading (src/core/cell).
import type { Hypothesis } from "../hypothesis";

/** `<one sentence, the mechanism you claim>`: an angle-bracketed prompt, as the templates write them. */
const PLACEHOLDER = /<[A-Za-z][^<>\n]*>/;

export function isPlaceholder(text: string | undefined): boolean {
  return text !== undefined && PLACEHOLDER.test(text);
}

/** What makes a hypothesis a statement: until the user writes these, it says nothing of theirs. */
const STATEMENT = ["claim", "prediction", "null"] as const;

/** The statement fields still holding template text, in order. */
export function templateStatement(template: readonly (string | number)[][]): (typeof STATEMENT)[number][] {
  return STATEMENT.filter((field) => template.some((path) => path.length === 1 && path[0] === field));
}

export interface OwnWords {
  /** The hypothesis without template text: placeholder fields absent (the claim empty), template baselines and alternatives dropped. */
  hypothesis: Hypothesis;
  /** Where template text remains, as field paths (["claim"], ["baselines", 0, "description"]). */
  template: (string | number)[][];
}

export function ownWords(hypothesis: Hypothesis): OwnWords {
  const template: (string | number)[][] = [];
  const own: Hypothesis = { ...hypothesis };
  if (isPlaceholder(own.claim)) {
    template.push(["claim"]);
    own.claim = "";
  }
  for (const field of ["prediction", "null", "metric", "intervention"] as const) {
    if (!isPlaceholder(own[field])) continue;
    template.push([field]);
    delete own[field];
  }
  own.baselines = own.baselines.filter((baseline, index) => keep(baseline, ["baselines", index], template));
  if (own.alternatives) own.alternatives = own.alternatives.filter((alternative, index) => keep(alternative, ["alternatives", index], template));
  return { hypothesis: own, template };
}

/** An entry is the user's only when none of its fields is still a placeholder. */
function keep(entry: object, path: (string | number)[], template: (string | number)[][]): boolean {
  const placeholders = Object.entries(entry).filter(([, value]) => typeof value === "string" && isPlaceholder(value));
  for (const [field] of placeholders) template.push([...path, field]);
  return placeholders.length === 0;
}
