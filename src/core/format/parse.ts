// Reading a `.falsify` file. Errors are values with a kind and a position, never an empty notebook:
// the caller must be able to refuse to open (and so never overwrite) a file it could not read.
import type { z } from "zod";
import { findPathOffset, readJson, positionAt, type JsonPath, type JsonProblem, type TextPosition } from "./json-location";
import { isCellId, safeCellId } from "./cell-id";
import { keepProtoKeys } from "./proto-keys";
import { FORMAT_VERSION, Notebook, type Cell } from "./schema";
import { decodeUtf8 } from "./utf8";

/**
 * Why a file cannot be read. Every kind but future-version has a position: malformed JSON
 * (`syntax`), bytes that are not UTF-8 (`encoding`), nesting beyond MAX_JSON_DEPTH (`too-deep`), a
 * number a double cannot hold exactly (`inexact-number`), values the schema refuses (`schema`).
 */
export type FormatError =
  | ({ kind: "syntax" | "encoding" | "too-deep" | "inexact-number"; message: string } & TextPosition)
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

/** A notebook from its file's bytes (refused unless UTF-8) or from text. */
export function parseNotebook(input: string | Uint8Array, options: ParseOptions = {}): ParseResult {
  let text: string;
  if (typeof input === "string") text = input;
  else {
    const decoded = decodeUtf8(input);
    if (!decoded.ok) return { ok: false, error: { kind: "encoding", message: decoded.message, ...decoded.position } };
    text = decoded.text;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // An empty file is a new notebook, not a broken one (VS Code creates files empty). Only nothing,
  // or ASCII whitespace, is empty: a file of U+3000 is not, and must not be overwritten as if it were.
  if (/^[ \t\r\n]*$/.test(text)) return { ok: true, notebook: emptyNotebook() };

  const { value: raw, problem, protoKey } = readJson(text);
  const refuse = ({ kind, message, offset }: JsonProblem): ParseResult => ({
    ok: false,
    error: { kind, message: kind === "syntax" ? `Malformed JSON: ${message}` : message, ...positionAt(text, offset) },
  });
  // Text JSON.parse could not read stops here; other problems wait for the version check, so a
  // file of a newer version is refused by name even when this version cannot hold its values.
  if (problem && raw === undefined) return refuse(problem);

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

  if (problem) return refuse(problem);

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
  const notebook = protoKey ? keepProtoKeys(raw, result.data) : result.data;
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
