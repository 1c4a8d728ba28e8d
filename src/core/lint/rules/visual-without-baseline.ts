// A picture whose hypothesis declares no control, or whose control is never computed.
import { baselineScaffold, baselinesField, insertionIndex } from "../scaffolds";
import { docsPath, visualRange, type Rule } from "../rule";
import type { Fix } from "../diagnostic";
import { linkedVisuals } from "../checks";
import { evidenceOf } from "../evidence";
import { roleOf } from "../../cell/api-roles";

export const visualWithoutBaseline: Rule = {
  id: "visual-without-baseline",
  name: "Visualisation without a baseline",
  severity: "warning",
  fixable: true,
  docs: docsPath("visual-without-baseline"),
  check(model, report) {
    // Unlinked pictures are visual-without-hypothesis's finding.
    for (const { info, hypotheses, checks } of linkedVisuals(model)) {
      if (checks.baseline) continue;
      const h = hypotheses[0];
      const declared = h.hypothesis?.baselines ?? [];
      const templated = h.template.find(([field]) => field === "baselines");
      if (!declared.length && templated) {
        // Another `baselines:` field would be a duplicate key: the user fills in the one there.
        report(info.index, visualRange(info), `${h.id}'s baseline is still the template (\`${templated.join(".")}\` is a placeholder): say what the control is and how it is computed.`);
        continue;
      }
      if (!declared.length) {
        const cell = model.cells[h.cellIndex].cell.source;
        const lines = cell.split("\n");
        const endsWithNewline = cell.endsWith("\n") || cell === "";
        const fix: Fix = {
          title: `Declare a baseline in ${h.id}`,
          edits: [
            {
              kind: "insert-text",
              cellIndex: h.cellIndex,
              line: lines.length,
              column: lines[lines.length - 1].length + 1,
              text: `${endsWithNewline ? "" : "\n"}${baselinesField(evidenceOf(info))}`,
            },
          ],
        };
        report(info.index, visualRange(info), `${h.id} declares no baseline, so this picture has nothing to be compared with. Declare a control (random units, randomised model, chance level...).`, h.hypothesis ? [fix] : undefined);
        continue;
      }
      const name = declared[0].name;
      const source = baselineScaffold(h.id, name);
      const empty = h.placeholderSites.find(({ site }) => roleOf(site.name) === "baseline");
      if (empty) {
        report(info.index, visualRange(info), `The control for ${h.id} in cell ${empty.cellIndex + 1} is still a template (\`${empty.site.name}\` with no values): compute "${name}" there.`);
        continue;
      }
      report(
        info.index,
        visualRange(info),
        `${h.id} declares the baseline "${name}" but the notebook never computes it: show the picture beside its control (a toolkit control, \`baseline("${name}", ...)\`, or a chart with a baseline layer).`,
        [{ title: `Add a "${name}" baseline cell for ${h.id}`, edits: [{ kind: "insert-cell", index: insertionIndex(model, info.index, source), language: "typescript", source }] }],
      );
    }
  },
};
