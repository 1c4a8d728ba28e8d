// A picture of one hand-picked example with nothing showing where it sits in the distribution.
import { docsPath, type Rule } from "../rule";

export const singleExampleVisual: Rule = {
  id: "single-example-visual",
  name: "Single example without distribution context",
  severity: "warning",
  fixable: false,
  docs: docsPath("single-example-visual"),
  check(model, report) {
    for (const info of model.cells) {
      if (info.facts.kind !== "code") continue;
      const code = info.facts.code;
      const inContext = code.distributions.length > 0 || info.outputs.charts.some((chart) => chart.distribution);
      if (inContext) continue;
      for (const site of code.visuals) {
        if (!site.singleExample) continue;
        report(
          info.index,
          site.range,
          "This picture shows one hand-picked example: show where it sits in the distribution over the data set (e.g. distributionView), or show many examples.",
        );
      }
    }
  },
};
