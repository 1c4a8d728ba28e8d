// A picture in a cell that belongs to no hypothesis: it cannot be evidence for anything.
import { insertHypothesisFix, linkComment } from "../scaffolds";
import { docsPath, visualRange, type Rule } from "../rule";
import type { Fix } from "../diagnostic";
import { evidenceOf, studyOf, type KindOfStudy } from "../evidence";

export const visualWithoutHypothesis: Rule = {
  id: "visual-without-hypothesis",
  name: "Visualisation without a hypothesis",
  severity: "warning",
  fixable: true,
  docs: docsPath("visual-without-hypothesis"),
  check(model, report) {
    for (const info of model.cells) {
      if (!info.visual) continue;
      const ids = [...info.links.keys()];
      if (ids.some((id) => model.hypotheses.has(id))) continue;
      // The template brings the controls of what the cell shows; links that fit it come first.
      const shown = evidenceOf(info);
      const insert = insertHypothesisFix(model.hypotheses.keys(), info.index, shown, true);
      const links = [...model.hypotheses.values()].map((h) => ({ h, about: studyOf(h.hypothesis) }));
      const fits = (about: KindOfStudy | undefined) => shown !== undefined && about?.kind === shown.kind;
      const linkTo = ({ h, about }: (typeof links)[number]): Fix => ({
        title: `Link this cell to ${h.id}${!shown || !about ? "" : fits(about) ? ` (fits: ${h.id} studies ${about.shows})` : ` (${h.id} studies ${about.shows}; this cell shows ${shown.shows})`}`,
        edits: [{ kind: "insert-text", cellIndex: info.index, line: 1, column: 1, text: linkComment(h.id) }],
      });
      const fixes: Fix[] = [...links.filter((l) => fits(l.about)).map(linkTo), insert, ...links.filter((l) => !fits(l.about)).map(linkTo)];
      const message = ids.length
        ? `This cell shows a visualisation linked to ${ids.join(", ")}, but no hypothesis cell declares ${ids.length > 1 ? "them" : "it"}.`
        : "This cell shows a visualisation that is not linked to a hypothesis: a picture is evidence only for a stated prediction. Link it (`// @hypothesis H1`) or write the hypothesis first.";
      report(info.index, visualRange(info), message, fixes);
    }
  },
};
