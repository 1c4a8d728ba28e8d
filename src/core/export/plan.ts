// Which cells an export contains: the whole notebook, or one cell with the cells it depends on, in
// notebook order, plus the hypothesis cells they refer to. Refuses (a typed error naming the cell
// and why) whatever a script could not reproduce faithfully.
import { CellGraph } from "../cell/graph";
import { readCell, type CellReading, type FileRead } from "../cell/reading";
import { outputsHash, type Cell, type Notebook } from "../format";
import { parseHypothesis, rawHypothesisId, type Hypothesis } from "../hypothesis";

export type ExportErrorKind =
  | "unknown-cell"
  | "not-code"
  | "syntax"
  | "interactive"
  | "edited-output"
  | "redeclared"
  | "invalid-hypothesis"
  | "not-inert"
  | "not-bundleable";

export interface ExportError {
  kind: ExportErrorKind;
  /** The cell that stops the export. */
  cellId: string;
  message: string;
}

export interface PlannedCell {
  cell: Cell;
  reading: CellReading;
}

export interface ExportPlan {
  /** Code cells (and, for a whole-notebook export, markdown cells), in notebook order. */
  cells: PlannedCell[];
  /** Markdown cells kept as comments (whole-notebook exports only). */
  markdown: Set<string>;
  /** The hypothesis cells the exported code refers to, in notebook order. */
  hypotheses: { cellId: string; hypothesis: Hypothesis }[];
}

/** A file an exported cell reads. */
export interface ExportedRead {
  cellId: string;
  read: FileRead;
}

export type PlanResult = { ok: true; plan: ExportPlan } | { ok: false; error: ExportError };

export function planExport(notebook: Notebook, cellId?: string): PlanResult {
  // Code cells that are not blank, read once; the graph is indexed like notebook.cells.
  const readings = notebook.cells.map((cell) => (isCodeCell(cell) && cell.source.trim() !== "" ? readCell(cell.source) : undefined));
  const code = notebook.cells.filter((_, index) => readings[index]);
  const readingOf = new Map(notebook.cells.flatMap((cell, index) => (readings[index] ? [[cell.id, readings[index]] as const] : [])));
  let chosen: Cell[];
  if (cellId === undefined) {
    chosen = code;
  } else {
    const targetIndex = notebook.cells.findIndex((cell) => cell.id === cellId);
    const target = notebook.cells[targetIndex];
    if (!target) return refuse("unknown-cell", cellId, `no cell has id ${cellId}`);
    if (!isCodeCell(target)) return refuse("not-code", cellId, `cell ${cellId} is a ${target.language} cell; export a TypeScript cell`);
    const closure = new CellGraph(readings).upstreamOf([targetIndex]);
    chosen = notebook.cells.filter((_, index) => readings[index] && closure.has(index));
  }

  for (const cell of chosen) {
    const error = refusal(cell, readingOf.get(cell.id)!);
    if (error) return { ok: false, error };
  }
  const redeclared = findRedeclaration(chosen, readingOf);
  if (redeclared) return { ok: false, error: redeclared };

  const hypotheses = referencedHypotheses(notebook, chosen, readingOf, cellId === undefined);
  if (!hypotheses.ok) return hypotheses;

  const whole = cellId === undefined;
  const kept = whole ? notebook.cells.filter((cell) => readingOf.has(cell.id) || isMarkdownCell(cell)) : chosen;
  return {
    ok: true,
    plan: {
      cells: kept.map((cell) => ({ cell, reading: readingOf.get(cell.id) ?? readCell("") })),
      markdown: new Set(kept.filter(isMarkdownCell).map((cell) => cell.id)),
      hypotheses: hypotheses.value,
    },
  };
}

/** The files the plan's code cells read, in notebook order. */
export function exportedReads(plan: ExportPlan): ExportedRead[] {
  return plan.cells.filter(({ cell }) => !plan.markdown.has(cell.id)).flatMap(({ cell, reading }) => reading.reads.map((read) => ({ cellId: cell.id, read })));
}

function refusal(cell: Cell, reading: CellReading): ExportError | undefined {
  if (reading.syntaxError) {
    const { line, column, message } = reading.syntaxError;
    return { kind: "syntax", cellId: cell.id, message: `cell ${cell.id} does not parse (line ${line}, column ${column}): ${message}` };
  }
  if (reading.interactive.length) {
    return {
      kind: "interactive",
      cellId: cell.id,
      message: `cell ${cell.id} ${reading.interactive.join("; ")}: a script cannot reproduce it. Compute the value in code (or pass it as data) and export again.`,
    };
  }
  const edited = editedOutput(cell);
  if (edited) return { kind: "edited-output", cellId: cell.id, message: `cell ${cell.id} ${edited}: re-run the cell so its outputs are what its code produces, then export.` };
  return undefined;
}

/** Why a cell's outputs are not what its code produced, if they are not. */
function editedOutput(cell: Cell): string | undefined {
  if (cell.outputs.some((output) => output.metadata?.edited === true)) return "has an output marked as edited by hand";
  const recorded = cell.execution?.outputsHash;
  if (typeof recorded === "string" && cell.outputs.length && recorded !== outputsHash(cell.outputs)) {
    return "has outputs that differ from what the run recorded (execution.outputsHash): they were edited by hand";
  }
  return undefined;
}

/** In the notebook the kernel lets a cell re-declare a name; in one script that is a SyntaxError. */
function findRedeclaration(cells: readonly Cell[], readings: ReadonlyMap<string, CellReading>): ExportError | undefined {
  const firstDeclarer = new Map<string, { cellId: string; key?: string }>();
  for (const cell of cells) {
    const own = readings.get(cell.id)!;
    const importKeys = new Map<string, string>();
    for (const statement of own.imports) {
      for (const n of statement.named) importKeys.set(n.local, `${statement.module}#${n.imported}`);
      if (statement.default) importKeys.set(statement.default, `${statement.module}#default`);
      if (statement.namespace) importKeys.set(statement.namespace, `${statement.module}#*`);
    }
    for (const name of own.declares) {
      const key = importKeys.get(name);
      const earlier = firstDeclarer.get(name);
      if (!earlier) {
        firstDeclarer.set(name, { cellId: cell.id, key });
        continue;
      }
      // The same import in two cells is one import in the script.
      if (key !== undefined && earlier.key === key) continue;
      return {
        kind: "redeclared",
        cellId: cell.id,
        message: `cell ${cell.id} declares ${name} again (cell ${earlier.cellId} declared it first): a script cannot declare a top-level name twice. Rename one of them, or assign with \`${name} = ...\` in the later cell.`,
      };
    }
    if (own.declares.includes("display")) {
      return { kind: "redeclared", cellId: cell.id, message: `cell ${cell.id} declares display, which the script needs for the kernel's display(); rename it.` };
    }
  }
  return undefined;
}

function referencedHypotheses(
  notebook: Notebook,
  cells: readonly Cell[],
  readings: ReadonlyMap<string, CellReading>,
  all: boolean,
): { ok: true; value: ExportPlan["hypotheses"] } | { ok: false; error: ExportError } {
  const referenced = new Set<string>();
  for (const cell of cells) {
    const own = readings.get(cell.id)!;
    for (const id of [...own.links.map((link) => link.id), ...own.callStrings]) referenced.add(id);
  }
  const value: ExportPlan["hypotheses"] = [];
  for (const cell of notebook.cells.filter(isHypothesisCell)) {
    const parsed = parseHypothesis(cell.source);
    const id = rawHypothesisId(parsed);
    const wanted = id !== undefined && referenced.has(id);
    if (!parsed.hypothesis) {
      if (!wanted) continue;
      const problems = parsed.errors.map((error) => error.message).join("; ");
      return { ok: false, error: { kind: "invalid-hypothesis", cellId: cell.id, message: `hypothesis ${id} (cell ${cell.id}) does not parse: ${problems}` } };
    }
    if (all || wanted) value.push({ cellId: cell.id, hypothesis: parsed.hypothesis });
  }
  return { ok: true, value };
}

function refuse(kind: ExportErrorKind, cellId: string, message: string): PlanResult {
  return { ok: false, error: { kind, cellId, message } };
}

export function isCodeCell(cell: Cell): boolean {
  return cell.kind === "code" && cell.language === "typescript";
}

function isHypothesisCell(cell: Cell): boolean {
  return cell.language === "hypothesis";
}

function isMarkdownCell(cell: Cell): boolean {
  return cell.kind === "markdown" || cell.language === "markdown";
}
