// The linter: notebook (+ outputs, which carry the run-time facts) in, diagnostics and a
// per-hypothesis summary out. Source analysis is cached per cell by (language, source hash), so
// after one keystroke only the edited cell is parsed again; the notebook-wide pass is linear.
// Never throws: a rule or an analysis that fails is reported in `internalErrors` and skipped.
import type { Cell, Notebook } from "../format";
import { sourceHash } from "../hash";
import { readCell } from "../cell/reading";
import { parseHypothesis } from "../hypothesis";
import { readVerdicts, type HypothesisReading } from "../verdict/reading";
import { cellChecks, type CellChecks } from "./checks";
import { linkedHypotheses } from "./rule";
import { severityOf, type LintSettings } from "./config";
import type { Diagnostic } from "./diagnostic";
import { evidenceOf, type KindOfStudy } from "./evidence";
import { buildModel, type NotebookModel, type SourceFacts } from "./model";
import { analyzeOutputs } from "./output-facts";
import type { Rule } from "./rule";
import { RULES } from "./rules";
import { gradeHypothesis, type Grade } from "./strength";

export interface LintReport {
  diagnostics: Diagnostic[];
  hypotheses: HypothesisSummary[];
  /** Every cell that shows a picture: its hypotheses and checks, as the panel and the chart captions show them. */
  pictures: PictureSummary[];
  /** Failures inside the linter itself (a bug, not a finding), for the log. */
  internalErrors: string[];
  /** How many cells had to be parsed (the rest came from the cache): 1 after a keystroke. */
  analysed: number;
}

/** What the Falsifiability panel and the strength CodeLens show for one hypothesis. */
export interface HypothesisSummary {
  id: string;
  /** Absent when the cell does not validate; empty while it is the template's placeholder. */
  claim?: string;
  cellIndex: number;
  cellId: string;
  grade: Grade;
  linkedCells: { cellIndex: number; cellId: string; visual: boolean; checks: CellChecks }[];
  /** Its verdicts: the latest of each test, under its declared correction, and what they say together. */
  reading: HypothesisReading;
}

export interface PictureSummary {
  cellIndex: number;
  cellId: string;
  /** The ids of the hypotheses the cell is linked to. */
  hypotheses: string[];
  checks: CellChecks;
  /** What the picture is evidence of, when Falsify knows its chart: the controls a hypothesis about it needs. */
  shows?: KindOfStudy;
}

export class Linter {
  private cache = new Map<string, SourceFacts>();

  constructor(private readonly rules: readonly Rule[] = RULES) {}

  lint(notebook: Notebook, settings?: LintSettings): LintReport {
    const internalErrors: string[] = [];
    const { model, analysed } = this.model(notebook, internalErrors);
    const diagnostics: Diagnostic[] = [];
    for (const rule of this.rules) {
      const severity = severityOf(rule, settings, notebook.metadata);
      if (severity === "off") continue;
      try {
        rule.check(model, (cellIndex, range, message, fixes) => {
          const cellId = model.cells[cellIndex]?.cell.id ?? "";
          diagnostics.push({ rule: rule.id, severity, message, cellId, cellIndex, range, ...(fixes?.length ? { fixes } : {}) });
        });
      } catch (error) {
        internalErrors.push(`rule ${rule.id} failed: ${(error as Error)?.stack ?? String(error)}`);
      }
    }
    diagnostics.sort((a, b) => a.cellIndex - b.cellIndex || a.range.line - b.range.line || a.range.column - b.range.column);
    return { diagnostics, hypotheses: summarize(model), pictures: pictures(model), internalErrors, analysed };
  }

  private model(notebook: Notebook, internalErrors: string[]): { model: NotebookModel; analysed: number } {
    const used = new Map<string, SourceFacts>();
    let analysed = 0;
    const cells = (Array.isArray(notebook.cells) ? notebook.cells : []).map((raw, index) => {
      const cell = normalize(raw, index);
      const hash = sourceHash(cell.source);
      const key = `${cell.language}\0${hash}`;
      let facts = used.get(key) ?? this.cache.get(key);
      if (!facts) {
        facts = analyzeSource(cell, internalErrors);
        analysed++;
      }
      used.set(key, facts);
      return { index, cell, hash, facts, outputs: analyzeOutputs(cell.outputs) };
    });
    // Keep only what this notebook uses, so the cache never outgrows the notebook.
    this.cache = used;
    return { model: buildModel(notebook, cells), analysed };
  }
}

/** One-shot lint (the CLI); editors keep a `Linter` per notebook for incremental re-lints. */
export function lintNotebook(notebook: Notebook, settings?: LintSettings): LintReport {
  return new Linter().lint(notebook, settings);
}

function analyzeSource(cell: Cell, internalErrors: string[]): SourceFacts {
  try {
    if (cell.language === "hypothesis") return { kind: "hypothesis", parsed: parseHypothesis(cell.source) };
    if (cell.kind === "code" && (cell.language === "typescript" || cell.language === "javascript")) return { kind: "code", code: readCell(cell.source) };
  } catch (error) {
    internalErrors.push(`analysis of cell ${cell.id} failed: ${(error as Error)?.stack ?? String(error)}`);
  }
  return { kind: "other" };
}

/** Cells from an editor or a hand-edited file may lack fields; read them defensively. */
function normalize(raw: Cell, index: number): Cell {
  const cell = (raw ?? {}) as Partial<Cell>;
  return {
    ...cell,
    id: typeof cell.id === "string" ? cell.id : `#${index}`,
    kind: cell.kind === "markdown" ? "markdown" : "code",
    language: typeof cell.language === "string" ? cell.language : "",
    source: typeof cell.source === "string" ? cell.source : Array.isArray(cell.source) ? (cell.source as unknown[]).join("") : "",
    metadata: cell.metadata && typeof cell.metadata === "object" ? cell.metadata : {},
    outputs: Array.isArray(cell.outputs) ? cell.outputs : [],
  };
}

function pictures(model: NotebookModel): PictureSummary[] {
  return model.cells
    .filter((info) => info.visual)
    .map((info) => {
      const shows = evidenceOf(info);
      return { cellIndex: info.index, cellId: info.cell.id, hypotheses: linkedHypotheses(model, info).map((h) => h.id), checks: cellChecks(model, info), ...(shows ? { shows } : {}) };
    });
}

function summarize(model: NotebookModel): HypothesisSummary[] {
  return [...model.hypotheses.values()].map((h) => {
    // The order the verdicts were made in: cells by when they ran (stable: a cell's outputs keep theirs).
    const ran = (cellIndex: number) => model.cells[cellIndex].cell.execution?.startTime ?? cellIndex;
    const verdicts = [...h.verdicts].sort((a, b) => ran(a.cellIndex) - ran(b.cellIndex)).map((v) => v.site);
    return {
      id: h.id,
      claim: h.hypothesis?.claim,
      cellIndex: h.cellIndex,
      cellId: model.cells[h.cellIndex].cell.id,
      grade: gradeHypothesis(h.hypothesis),
      linkedCells: h.linkedCells.map((index) => {
        const info = model.cells[index];
        return { cellIndex: index, cellId: info.cell.id, visual: info.visual, checks: cellChecks(model, info) };
      }),
      reading: readVerdicts(verdicts, h.hypothesis?.test?.correction),
    };
  });
}
