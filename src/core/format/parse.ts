// Reading a `.falsify` file. Errors are values with a kind and a position, never an empty notebook:
// the caller must be able to refuse to open (and so never overwrite) a file it could not read.
import type { z } from "zod";
import { findPathOffset, findSyntaxError, positionAt, type JsonPath, type TextPosition } from "./json-location";
import { isCellId, safeCellId } from "./cell-id";
import { FORMAT_VERSION, Notebook, type Cell } from "./schema";

export type FormatError =
  | ({ kind: "syntax"; message: string } & TextPosition)
  | { kind: "schema"; message: string; issues: SchemaIssue[] }
  | { kind: "future-version"; message: string; version: number };

export interface SchemaIssue extends TextPosition {
  path: JsonPath;
  message: string;
}

export interface ParseOptions {
  /** `falsify fmt --fix-ids`: give cells with an id outside the charset, or a repeated one, a safe new id instead of refusing the file. */
  fixIds?: boolean;
}

/** A cell id `fixIds` replaced. */
export interface RenamedCell {
  index: number;
  from: unknown;
  to: string;
}

export type ParseResult = { ok: true; notebook: Notebook; renamed?: RenamedCell[] } | { ok: false; error: FormatError };

export function emptyNotebook(): Notebook {
  return { format: "falsify", version: FORMAT_VERSION, metadata: {}, cells: [] };
}

export function parseNotebook(text: string, options: ParseOptions = {}): ParseResult {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // An empty file is a new notebook, not a broken one (VS Code creates files empty).
  if (text.trim() === "") return { ok: true, notebook: emptyNotebook() };

  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const found = findSyntaxError(text);
    const offset = found?.offset ?? 0;
    const message = found?.message ?? (error as Error).message;
    return { ok: false, error: { kind: "syntax", message: `Malformed JSON: ${message}`, ...positionAt(text, offset) } };
  }

  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version > FORMAT_VERSION) {
    return {
      ok: false,
      error: {
        kind: "future-version",
        version,
        message: `This notebook uses Falsify format version ${version}, but this Falsify reads version ${FORMAT_VERSION}. Update Falsify to open it.`,
      },
    };
  }

  const renamed = options.fixIds ? fixCellIds(raw) : undefined;
  const result = Notebook.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => schemaIssue(text, issue));
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
    return {
      ok: false,
      error: { kind: "schema", issues, message: `Not a valid Falsify notebook: ${first.message}${more}` },
    };
  }
  const notebook = result.data;
  const cells: Cell[] = notebook.cells.map((cell) => ({
    ...cell,
    source: typeof cell.source === "string" ? cell.source : cell.source.join(""),
  }));
  return { ok: true, notebook: { ...notebook, cells }, ...(renamed ? { renamed } : {}) };
}

/** Renames, in place, the ids of the raw cells that are not safe ids or repeat an earlier one. */
function fixCellIds(raw: unknown): RenamedCell[] {
  const cells = (raw as { cells?: unknown } | null)?.cells;
  if (!Array.isArray(cells)) return [];
  const records = cells.filter((cell): cell is Record<string, unknown> => typeof cell === "object" && cell !== null);
  const taken = new Set(records.map((cell) => cell.id).filter(isCellId));
  const kept = new Set<string>();
  const renamed: RenamedCell[] = [];
  cells.forEach((cell: unknown, index) => {
    if (typeof cell !== "object" || cell === null) return;
    const record = cell as Record<string, unknown>;
    if (isCellId(record.id) && !kept.has(record.id)) {
      kept.add(record.id);
      return;
    }
    const to = safeCellId(record.id, taken);
    taken.add(to);
    kept.add(to);
    renamed.push({ index, from: record.id, to });
    record.id = to;
  });
  return renamed;
}

function schemaIssue(text: string, issue: z.core.$ZodIssue): SchemaIssue {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const where = path.length ? `${formatPath(path)}: ` : "";
  return { path, message: `${where}${issue.message}`, ...positionAt(text, findPathOffset(text, path)) };
}

function formatPath(path: JsonPath): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
