// Several tests of one hypothesis and no multiple-comparison correction: the chance of a false
// "supported" grows with every test.
import { docsPath, type Rule } from "../rule";

export const uncorrectedMultipleTests: Rule = {
  id: "uncorrected-multiple-tests",
  name: "Multiple tests without correction",
  severity: "warning",
  fixable: false,
  docs: docsPath("uncorrected-multiple-tests"),
  check(model, report) {
    for (const h of model.hypotheses.values()) {
      if (h.testSites.length < 2 || h.correctionSites.length > 0) continue;
      if (h.verdicts.some(({ site }) => site.correction)) continue;
      const declared = h.hypothesis?.test?.correction;
      if (declared && declared !== "none") continue;
      for (const { cellIndex, site } of h.testSites.slice(1)) {
        report(
          cellIndex,
          site.range,
          `${h.id} is tested ${h.testSites.length} times with no multiple-comparison correction: declare \`test.correction\` (holm, bonferroni, benjamini-hochberg) or adjust the p-values (adjustPValues).`,
        );
      }
    }
  },
};
