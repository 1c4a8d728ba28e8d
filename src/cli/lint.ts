// `falsify lint <files...> [--format text|json|sarif] [--max-warnings N]`: the linter for CI.
// Exit 1 when there are errors, when warnings exceed --max-warnings, or when a file cannot be read;
// 2 on a usage error. JSON positions are within the cell (as the editor shows them); text and SARIF
// also point into the .falsify file itself, so code-scanning annotations land on the right line.
import { readFile } from "node:fs/promises";
import { parseNotebook, positionAt } from "../core/format";
import { findPathOffset } from "../core/format/json-location";
import { lintNotebook, RULES, type Diagnostic, type Severity } from "../core/lint";
import { LINT } from "./specs";
import { withCommandLine, type CliCommand } from "./command";
import { errorLines } from "./read";

type Format = "text" | "json" | "sarif";

interface FileResult {
  file: string;
  diagnostics: Diagnostic[];
  /** Why the file could not be linted (unreadable or not a notebook). */
  error?: string;
  /** The file's text, to map cell positions to file positions. */
  text?: string;
}

export const lint: CliCommand = (args, io) =>
  withCommandLine(LINT, args, io, async (values, files) => {
    const format = (values.format ?? "text") as Format;
    const limit = values["max-warnings"];
    if (limit !== undefined && !/^\d+$/.test(limit)) {
      io.err(`falsify lint: --max-warnings needs a non-negative integer (got ${limit})`);
      return 2;
    }
    const maxWarnings = limit === undefined ? -1 : Number(limit);
    const results: FileResult[] = [];
    for (const file of files) results.push(await lintFile(file));

    const count = (severity: Severity) => results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === severity).length, 0);
    const errors = count("error") + results.filter((r) => r.error).length;
    const warnings = count("warning");
    const output = format === "json" ? [JSON.stringify(toJson(results), null, 2)] : format === "sarif" ? [JSON.stringify(toSarif(results), null, 2)] : toText(results, errors, warnings);
    for (const line of output) io.out(line);
    for (const r of results) if (r.error) io.err(r.error);
    const tooManyWarnings = maxWarnings >= 0 && warnings > maxWarnings;
    if (tooManyWarnings) io.err(`falsify lint: ${warnings} warnings, more than --max-warnings ${maxWarnings}`);
    return errors > 0 || tooManyWarnings ? 1 : 0;
  });

async function lintFile(file: string): Promise<FileResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { file, diagnostics: [], error: `${file}: cannot read: ${(error as Error).message}` };
  }
  const parsed = parseNotebook(bytes);
  if (!parsed.ok) return { file, diagnostics: [], error: errorLines(file, parsed.error).join("\n") };
  // The bytes are valid UTF-8 now: this decoding is exact.
  return { file, diagnostics: lintNotebook(parsed.notebook).diagnostics, text: new TextDecoder().decode(bytes) };
}

function toJson(results: FileResult[]) {
  return {
    files: results.map((r) => ({
      file: r.file,
      diagnostics: r.diagnostics.map((d) => ({
        rule: d.rule,
        severity: d.severity,
        message: d.message,
        cellId: d.cellId,
        cellIndex: d.cellIndex,
        line: d.range.line,
        column: d.range.column,
      })),
      ...(r.error ? { error: r.error } : {}),
    })),
  };
}

function toText(results: FileResult[], errors: number, warnings: number): string[] {
  const lines: string[] = [];
  for (const r of results) {
    for (const d of r.diagnostics) {
      const at = filePosition(r.text ?? "", d);
      lines.push(`${r.file}:${at.line}:${at.column}: ${d.severity}: ${d.message} [${d.rule}] (cell ${d.cellIndex + 1}, ${d.range.line}:${d.range.column})`);
    }
  }
  const total = errors + warnings;
  if (lines.length || errors) lines.push(`${total} problem${total === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"})`);
  return lines;
}

const SARIF_LEVEL: Record<Severity, string> = { error: "error", warning: "warning", info: "note" };

function toSarif(results: FileResult[]) {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.id, index]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "falsify",
            informationUri: "https://falsify.dev",
            rules: RULES.map((rule) => ({
              id: rule.id,
              // SARIF wants an identifier-like name (e.g. "VisualWithoutHypothesis"); the prose is the description.
              name: rule.id.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase()),
              shortDescription: { text: rule.name },
              properties: { docs: rule.docs },
              defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
            })),
          },
        },
        artifacts: results.map((r) => ({ location: { uri: r.file } })),
        results: results.flatMap((r, artifactIndex) =>
          r.diagnostics.map((d) => {
            const start = filePosition(r.text ?? "", d);
            return {
              ruleId: d.rule,
              ...(ruleIndex.has(d.rule) ? { ruleIndex: ruleIndex.get(d.rule) } : {}),
              level: SARIF_LEVEL[d.severity],
              message: { text: d.message },
              locations: [
                {
                  physicalLocation: { artifactLocation: { uri: r.file, index: artifactIndex }, region: { startLine: start.line, startColumn: start.column } },
                  logicalLocations: [{ name: d.cellId, fullyQualifiedName: `cells[${d.cellIndex}]`, kind: "object" }],
                },
              ],
              properties: { cellId: d.cellId, cellIndex: d.cellIndex, cellLine: d.range.line, cellColumn: d.range.column },
            };
          }),
        ),
        invocations: [{ executionSuccessful: results.every((r) => !r.error) }],
      },
    ],
  };
}

/**
 * Where a cell position is in the file: cells store their source as a list of lines, so line L of
 * cell i is the string at cells[i].source[L-1]; the column is approximate when the line has escapes.
 */
function filePosition(text: string, d: Diagnostic): { line: number; column: number } {
  if (!text) return { line: 1, column: 1 };
  const lineOffset = findPathOffset(text, ["cells", d.cellIndex, "source", d.range.line - 1]);
  const lineStart = positionAt(text, lineOffset);
  const isLineString = text[lineOffset] === '"';
  return isLineString ? { line: lineStart.line, column: lineStart.column + d.range.column } : { line: lineStart.line, column: lineStart.column };
}
