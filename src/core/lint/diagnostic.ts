// What the linter reports: plain data, positions 1-based within a cell, fixes as edits on the
// notebook that any front end (VS Code, the CLI, tests) can apply or describe.
import type { CellRange } from "../hypothesis";

export type Severity = "error" | "warning" | "info";
/** A configured severity: a rule can also be turned off. */
export type SeverityOption = Severity | "off";
export const SEVERITY_OPTIONS: readonly SeverityOption[] = ["error", "warning", "info", "off"];

export type FixEdit =
  /** Insert a new cell before position `index` (index = cell count appends). */
  | { kind: "insert-cell"; index: number; language: "hypothesis" | "typescript"; source: string }
  /** Insert `text` at a 1-based position in an existing cell. */
  | { kind: "insert-text"; cellIndex: number; line: number; column: number; text: string }
  /** Append to the preregistration amendment log (the front end asks for the reason). */
  | { kind: "record-amendment"; hypothesis: string; cellIndex: number };

export interface Fix {
  title: string;
  edits: FixEdit[];
}

export interface Diagnostic {
  rule: string;
  severity: Severity;
  message: string;
  cellId: string;
  /** 0-based index of the cell in the notebook. */
  cellIndex: number;
  range: CellRange;
  fixes?: Fix[];
}
