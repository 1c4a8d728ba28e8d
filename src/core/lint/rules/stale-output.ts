// Outputs that no longer describe the code: the cell changed since it ran, or a cell it depends on
// ran again after it.
import type { Execution } from "../../format";
import { docsPath, firstLine, type Rule } from "../rule";

export const staleOutput: Rule = {
  id: "stale-output",
  name: "Stale or out-of-order output",
  severity: "warning",
  fixable: false,
  docs: docsPath("stale-output"),
  check(model, report) {
    for (const info of model.cells) {
      const execution = info.cell.execution;
      if (!info.cell.outputs?.length || !execution) continue;
      if (typeof execution.sourceHash === "string" && execution.sourceHash !== info.hash) {
        report(info.index, firstLine(info.cell.source), "This output is stale: the cell was edited after it ran. Re-run it before reading the result.");
        continue;
      }
      const later = model.graph.dependenciesOf(info.index).find((upstream) => ranAfter(model.cells[upstream].cell.execution, execution));
      if (later !== undefined) {
        report(
          info.index,
          firstLine(info.cell.source),
          `This output was produced before cell ${later + 1}, which it depends on, was run again: it may not match the notebook. Re-run from cell ${later + 1}.`,
        );
      }
    }
  },
};

/** `a` ran after `b`: by start time when both have one, else by execution order. */
function ranAfter(a: Execution | undefined, b: Execution): boolean {
  if (!a) return false;
  if (typeof a.startTime === "number" && typeof b.startTime === "number") return a.startTime > b.startTime;
  return typeof a.order === "number" && typeof b.order === "number" && a.order > b.order;
}
