// "Necessary", "causes", "relies on" ... tested with `intervention: none`.
import { causalTerm, isInterventional } from "../claim-language";
import { docsPath, type Rule } from "../rule";

export const causalClaimCorrelationalEvidence: Rule = {
  id: "causal-claim-correlational-evidence",
  name: "Causal claim, correlational evidence",
  severity: "warning",
  fixable: false,
  docs: docsPath("causal-claim-correlational-evidence"),
  check(model, report) {
    for (const h of model.hypotheses.values()) {
      const hypothesis = h.hypothesis;
      const term = causalTerm(hypothesis?.claim);
      if (!hypothesis || !term || isInterventional(hypothesis)) continue;
      const where = hypothesis.intervention !== undefined ? ["intervention"] : ["claim"];
      report(
        h.cellIndex,
        h.parsed.locate(where),
        `${h.id} makes a causal claim ("${term}") but declares no intervention: correlation cannot show it. Ablate, perturb or randomise, or weaken the claim to a correlation.`,
      );
    }
  },
};
