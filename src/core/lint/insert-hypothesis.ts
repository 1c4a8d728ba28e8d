// The toolbar's Insert Hypothesis from the lint report (kept apart from scaffolds.ts, which the rules
// the report comes from import).
import type { Fix } from "./diagnostic";
import type { LintReport } from "./linter";
import { insertHypothesisFix } from "./scaffolds";

/**
 * The toolbar's Insert Hypothesis, above the selected cell (`index`; at the end when none is): scaffolded
 * from what that cell shows, as the quick fix does, and linked to it when it is a picture no hypothesis
 * claims yet.
 */
export function hypothesisForCell(report: LintReport, index: number | undefined, cellCount: number): Fix {
  const picture = index === undefined ? undefined : report.pictures.find((p) => p.cellIndex === index);
  return insertHypothesisFix(
    report.hypotheses.map((h) => h.id),
    index ?? cellCount,
    picture?.shows,
    picture !== undefined && !picture.hypotheses.length,
  );
}
