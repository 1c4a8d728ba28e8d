// Random numbers without a seed in a cell whose values reach a verdict: the verdict cannot be
// reproduced.
import { docsPath, type Rule } from "../rule";

export const unseededRandomness: Rule = {
  id: "unseeded-randomness",
  name: "Unseeded randomness feeding a verdict",
  severity: "warning",
  fixable: false,
  docs: docsPath("unseeded-randomness"),
  check(model, report) {
    for (const index of model.feedsTest) {
      const info = model.cells[index];
      if (info.facts.kind !== "code") continue;
      for (const site of info.facts.code.randomness) {
        if (site.seeded) continue;
        report(
          index,
          site.range,
          `\`${site.name}\` is unseeded and this cell feeds a test: the verdict will change from run to run. Use createRng(seed) or pass a seed to the tfjs op.`,
        );
      }
    }
  },
};
