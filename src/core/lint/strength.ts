// Hypothesis strength, after Leavitt & Morcos's ladder:
//   very weak: no testable prediction or no null;
//   weak:      an existence-only prediction, or no baseline (or no causal intervention yet);
//   average:   a causal intervention with a concrete metric, a null and a baseline;
//   strong:    additionally dissociates competing explanations, with a prediction for each.
// Each grade comes with what would raise it, which the editor shows on the hypothesis cell.
import type { Hypothesis } from "../hypothesis";
import { existencePhrase, hasChanceBaseline, isInterventional } from "./claim-language";
import { ownWords } from "./placeholders";

export type Strength = "very weak" | "weak" | "average" | "strong";
export const STRENGTHS: readonly Strength[] = ["very weak", "weak", "average", "strong"];

export interface Grade {
  strength: Strength;
  /** What is missing for the next grade up (empty when strong). */
  raise: string[];
}

/** Graded on the user's own words: a template's placeholders count as missing. */
export function gradeHypothesis(written: Hypothesis | undefined): Grade {
  if (!written) return { strength: "very weak", raise: ["fix the hypothesis cell's errors so it can be read"] };
  const hypothesis = ownWords(written).hypothesis;

  const veryWeak: string[] = [];
  if (!hypothesis.claim) veryWeak.push("write your own `claim` in place of the template's placeholder");
  if (!hypothesis.prediction) veryWeak.push("add a `prediction`: what you will observe if the claim holds");
  if (!hypothesis.null) veryWeak.push("add a `null`: what you will observe if it does not");
  if (veryWeak.length) return { strength: "very weak", raise: veryWeak };

  const weak: string[] = [];
  if (!hypothesis.baselines.length) weak.push("declare a baseline (random units, randomised model, chance level...)");
  if (existencePhrase(hypothesis.prediction) && !hasChanceBaseline(hypothesis)) {
    weak.push("turn the existence prediction into a comparison with a chance-level baseline");
  }
  if (!isInterventional(hypothesis)) weak.push("test the claim causally: declare an `intervention` (ablation, perturbation, ...)");
  if (!hypothesis.metric) weak.push("name the `metric` you will measure");
  if (weak.length) return { strength: "weak", raise: weak };

  const competing = (hypothesis.alternatives ?? []).filter((a) => a.prediction);
  if (!competing.length) {
    return {
      strength: "average",
      raise: ["add `alternatives`: a competing explanation with its own prediction, and a baseline that separates them"],
    };
  }
  if (hypothesis.baselines.length < 2) {
    return { strength: "average", raise: ["add a second baseline that separates the claim from its alternatives"] };
  }
  return { strength: "strong", raise: [] };
}
