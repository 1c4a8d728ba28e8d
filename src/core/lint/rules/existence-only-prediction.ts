// "We should find units that ...": true as soon as anything turns up, unless compared with chance.
import { existencePhrase, hasChanceBaseline } from "../claim-language";
import { docsPath, type Rule } from "../rule";

export const existenceOnlyPrediction: Rule = {
  id: "existence-only-prediction",
  name: "Existence-only prediction",
  severity: "warning",
  fixable: false,
  docs: docsPath("existence-only-prediction"),
  check(model, report) {
    for (const h of model.hypotheses.values()) {
      const hypothesis = h.hypothesis;
      const phrase = existencePhrase(hypothesis?.prediction);
      if (!hypothesis || !phrase || hasChanceBaseline(hypothesis)) continue;
      report(
        h.cellIndex,
        h.parsed.locate(["prediction"]),
        `${h.id} predicts only that something exists ("${phrase}"), with no chance-level baseline: in a large network such things exist by chance. Predict more of it than under a random/shuffled control.`,
      );
    }
  },
};
