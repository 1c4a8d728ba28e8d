// Several tests of one hypothesis and no multiple-comparison correction: the chance of a false
// "supported" grows with every test.
import { VERDICT_FUNCTION } from "../../cell/api-roles";
import { docsPath, type Rule } from "../rule";

export const uncorrectedMultipleTests: Rule = {
  id: "uncorrected-multiple-tests",
  name: "Multiple tests without correction",
  severity: "warning",
  fixable: false,
  docs: docsPath("uncorrected-multiple-tests"),
  check(model, report) {
    for (const h of model.hypotheses.values()) {
      // `verdict` runs the declared test itself: a test computed beside it on the same data is not
      // another comparison, so when a hypothesis has verdicts, the verdicts are the family.
      const verdicts = h.testSites.filter(({ site }) => site.name === VERDICT_FUNCTION);
      const family = verdicts.length ? verdicts : h.testSites;
      if (family.length < 2 || h.correctionSites.length > 0) continue;
      if (h.verdicts.some(({ site }) => site.correction)) continue;
      const declared = h.hypothesis?.test?.correction;
      if (declared && declared !== "none") continue;
      for (const { cellIndex, site } of family.slice(1)) {
        report(
          cellIndex,
          site.range,
          `${h.id} is tested ${family.length} times with no multiple-comparison correction: declare \`test.correction\` (holm, bonferroni, benjamini-hochberg) or correct them together (correctVerdicts, adjustPValues).`,
        );
      }
    }
  },
};
