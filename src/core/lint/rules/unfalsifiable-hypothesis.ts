// A hypothesis that no observation could contradict: a claim, prediction or null still the template's
// placeholder, no prediction, no null, or vague words with nothing measured.
import { vagueTerm } from "../claim-language";
import { templateStatement } from "../placeholders";
import { docsPath, type Rule } from "../rule";

export const unfalsifiableHypothesis: Rule = {
  id: "unfalsifiable-hypothesis",
  name: "Unfalsifiable hypothesis",
  severity: "warning",
  fixable: false,
  docs: docsPath("unfalsifiable-hypothesis"),
  check(model, report) {
    for (const h of model.hypotheses.values()) {
      const hypothesis = h.hypothesis;
      if (!hypothesis) continue;
      const template = templateStatement(h.template);
      if (template.length) {
        const fields = template.map((field) => `\`${field}\``).join(", ");
        report(h.cellIndex, h.parsed.locate([template[0]]), `${h.id} is still the template: its ${fields} ${template.length > 1 ? "are placeholders" : "is a placeholder"}. Write your own claim, prediction and null; until then nothing can contradict it.`);
        continue;
      }
      const missing = [!hypothesis.prediction && "`prediction`", !hypothesis.null && "`null`"].filter(Boolean);
      if (missing.length) {
        report(h.cellIndex, h.parsed.locate(["id"]), `${h.id} has no ${missing.join(" and no ")}: without ${missing.length > 1 ? "them" : "it"} no observation can contradict the claim. Say what you will observe if it holds and if it does not.`);
        continue;
      }
      const vague = vagueTerm(hypothesis.claim);
      if (vague && !hypothesis.metric) {
        report(h.cellIndex, h.parsed.locate(["claim"]), `${h.id}'s claim says "${vague}" but names no \`metric\`: vague terms are unfalsifiable until you say what you will measure.`);
      }
    }
  },
};
