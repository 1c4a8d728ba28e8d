// What a hypothesis says, read from its prose: vague terms, existence-only predictions, causal
// claims, chance-level controls. These are word lists over natural language (the YAML fields), not
// code, so regular expressions are the right tool here.
import type { Hypothesis } from "../hypothesis";

/** Words that sound like findings but name nothing measurable (Leavitt & Morcos). */
const VAGUE = /\b(foundation(al)?|important|responsible for|encodes?|represents?|understands?|knows?|is about|captures?|meaningful)\b/i;
/** "We should find ...", "there exist ...": passes as soon as anything is found. */
const EXISTENCE = /\b(we (should|will|would|expect to|can) (find|see|observe|identify)|there (is|are|exists?|will be)|exists?\b|at least one|some (units?|neurons?|features?|directions?|heads?|channels?))/i;
/** Claims about mechanism that only an intervention can support. */
const CAUSAL = /\b(necessary|sufficient|causes?|caused|causal(ly)?|relies on|rely on|depends on|responsible for|drives?|mediates?|because of)\b/i;
/** A control that says what chance looks like. */
const CHANCE = /\b(chance|random(i[sz]ed|ly)?|shuffl(ed|e|ing)|permut(ed|ation)|null model)\b/i;

export function vagueTerm(text: string | undefined): string | undefined {
  return text ? VAGUE.exec(text)?.[0] : undefined;
}

export function existencePhrase(text: string | undefined): string | undefined {
  return text ? EXISTENCE.exec(text)?.[0] : undefined;
}

export function causalTerm(text: string | undefined): string | undefined {
  return text ? CAUSAL.exec(text)?.[0] : undefined;
}

export function hasChanceBaseline(hypothesis: Hypothesis): boolean {
  return hypothesis.baselines.some((b) => CHANCE.test(b.name) || CHANCE.test(b.description ?? ""));
}

/** A causal intervention was declared (`none` or nothing means a correlational study). */
export function isInterventional(hypothesis: Hypothesis): boolean {
  const intervention = hypothesis.intervention?.trim().toLowerCase();
  return intervention !== undefined && intervention !== "none" && intervention !== "";
}
