// A lint rule: one module per rule with its id, name, default severity, whether it offers a quick
// fix, and its docs page (what it does / why it is bad / example / fix). Rules only read the model
// and report; severities from settings and notebook metadata are applied by the linter.
import type { CellRange } from "../hypothesis";
import type { Fix, Severity } from "./diagnostic";
import type { CellInfo, NotebookModel } from "./model";

export interface Rule {
  id: string;
  name: string;
  severity: Severity;
  fixable: boolean;
  /** The docs page, relative to the extension root. */
  docs: string;
  check(model: NotebookModel, report: Report): void;
}

export type Report = (cellIndex: number, range: CellRange, message: string, fixes?: Fix[]) => void;

export function docsPath(ruleId: string): string {
  return `media/docs/rules/${ruleId}.md`;
}

/** Where a cell's picture is: its first visual call or spec, else its first line (a run-time output). */
export function visualRange(info: CellInfo): CellRange {
  const site = info.facts.kind === "code" ? info.facts.code.visuals[0] : undefined;
  return site?.range ?? firstLine(info.cell.source);
}

export function firstLine(source: string): CellRange {
  const end = source.indexOf("\n");
  return { line: 1, column: 1, endLine: 1, endColumn: (end === -1 ? source.length : end) + 1 };
}

/** The linked hypotheses of a cell that exist in the notebook. */
export function linkedHypotheses(model: NotebookModel, info: CellInfo) {
  return [...info.links.keys()].flatMap((id) => model.hypotheses.get(id) ?? []);
}
