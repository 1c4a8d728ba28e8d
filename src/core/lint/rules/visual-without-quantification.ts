// A picture whose hypothesis is never decided by a test or a verdict.
import { linkedVisuals } from "../checks";
import { roleOf } from "../../cell/api-roles";
import { baselineVariable, insertionIndex, verdictScaffold } from "../scaffolds";
import { docsPath, visualRange, type Rule } from "../rule";

export const visualWithoutQuantification: Rule = {
  id: "visual-without-quantification",
  name: "Visualisation without quantification",
  severity: "warning",
  fixable: true,
  docs: docsPath("visual-without-quantification"),
  check(model, report) {
    for (const { info, hypotheses, checks } of linkedVisuals(model)) {
      if (checks.quantified) continue;
      const h = hypotheses[0];
      const empty = h.placeholderSites.find(({ site }) => roleOf(site.name) === "test");
      if (empty) {
        report(info.index, visualRange(info), `The \`${empty.site.name}\` for ${h.id} in cell ${empty.cellIndex + 1} is still a template (no values): fill in what it compares.`);
        continue;
      }
      // The control the baseline scaffold declared, if a cell computes it: the verdict reads it, so it goes below it.
      const declared = new Set(model.cells.flatMap((cell) => (cell.facts.kind === "code" ? cell.facts.code.declares : [])));
      const control = (h.hypothesis?.baselines ?? []).map((b) => baselineVariable(b.name)).find((name) => declared.has(name));
      const source = verdictScaffold(h.id, control);
      report(
        info.index,
        visualRange(info),
        `Nothing in the notebook quantifies ${h.id}: a picture can suggest, only a test can decide. Add a \`verdict("${h.id}", ...)\` or a statistical test.`,
        [{ title: `Add a verdict cell for ${h.id}`, edits: [{ kind: "insert-cell", index: insertionIndex(model, info.index, source), language: "typescript", source }] }],
      );
    }
  },
};
