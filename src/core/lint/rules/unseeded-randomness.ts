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
    // Every run seeds Math.random (hence tfjs' unseeded ops) from the notebook seed (metadata.seed,
    // else 0) when the kernel starts and on Run All (src/core/cell/environment.ts): a notebook
    // reproduces top to bottom, but not when this cell is re-run on its own.
    const why = "it draws from the notebook seed's stream, which restarts only when the kernel starts and on Run All, so re-running this cell alone changes the verdict";
    for (const index of [...model.feedsTest].sort((a, b) => a - b)) {
      const info = model.cells[index];
      if (info.facts.kind !== "code") continue;
      for (const site of info.facts.code.randomness) {
        if (site.seeded) continue;
        report(
          index,
          site.range,
          `\`${site.name}\` is unseeded and this cell feeds a test: ${why}. Draw from the cells' \`rng\` or createRng(seed), or pass a seed to the tfjs op.`,
        );
      }
    }
  },
};
