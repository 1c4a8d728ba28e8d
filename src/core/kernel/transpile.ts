// TypeScript cell -> runnable script: esbuild strips the types (with a source map), the REPL rewrite
// makes it persistent and interruptible, and `toCell` composes both maps so a stack frame in the
// script points at the cell's own line and column.
import { transform, transformSync, type Message, type TransformOptions } from "esbuild";
import { SourceMap } from "node:module";
import { LineIndex } from "../hypothesis/range";
import { rewriteForRepl } from "./repl";

export interface CompiledCell {
  code: string;
  declared: string[];
  /** 1-based line/column in `code` -> 1-based line/column in the cell source (undefined: generated code). */
  toCell(line: number, column: number): { line: number; column: number } | undefined;
}

/** A cell that does not compile: the first error, located in the cell. */
export interface CompileError {
  kind: "syntax";
  message: string;
  line: number;
  column: number;
}

export type CompileResult = { ok: true; cell: CompiledCell } | { ok: false; error: CompileError };

const CELL_OPTIONS: TransformOptions = {
  loader: "ts",
  sourcemap: "external",
  sourcefile: "cell.ts",
  target: "node20",
  // Keep every import, even one only the NEXT cell uses (plain TS would drop it as unused).
  tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
};

export async function compileCell(source: string): Promise<CompileResult> {
  let js: { code: string; map: string };
  try {
    js = await transform(source, CELL_OPTIONS);
  } catch (error) {
    return { ok: false, error: syntaxError(error) };
  }
  const script = rewriteForRepl(js.code);
  const map = new SourceMap(JSON.parse(js.map));
  const scriptLines = new LineIndex(script.code);
  const jsLines = new LineIndex(js.code);
  return {
    ok: true,
    cell: {
      code: script.code,
      declared: script.declared,
      toCell(line, column) {
        const offset = script.toInput(scriptLines.offset(line, column));
        if (offset < 0) return undefined;
        const inJs = jsLines.position(offset);
        const entry = map.findEntry(inJs.line - 1, inJs.column - 1) as { originalLine?: number; originalColumn?: number };
        if (entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
        // esbuild maps the start of each token; keep the column offset within the token.
        const within = Math.max(0, inJs.column - 1 - ((entry as { generatedColumn?: number }).generatedColumn ?? inJs.column - 1));
        const sameLine = (entry as { generatedLine?: number }).generatedLine === inJs.line - 1;
        return { line: entry.originalLine + 1, column: entry.originalColumn + 1 + (sameLine ? within : 0) };
      },
    },
  };
}

/**
 * A user's own `.ts` module imported by a cell: CommonJS with an inline source map (Node maps its
 * stack frames once source maps are enabled).
 */
export function transpileModule(source: string, filename: string): string {
  const loader = filename.endsWith(".tsx") ? "tsx" : filename.endsWith(".js") || filename.endsWith(".mjs") ? "js" : "ts";
  return transformSync(source, { loader, format: "cjs", sourcemap: "inline", sourcefile: filename, target: "node20" }).code;
}

function syntaxError(error: unknown): CompileError {
  const first = (error as { errors?: Message[] }).errors?.[0];
  if (!first) return { kind: "syntax", message: (error as Error).message, line: 1, column: 1 };
  return { kind: "syntax", message: first.text, line: first.location?.line ?? 1, column: (first.location?.column ?? 0) + 1 };
}
