// TypeScript cell -> runnable script: esbuild strips the types (with a source map), the REPL rewrite
// makes it persistent and interruptible, and `toCell` composes both maps so a stack frame in the
// script points at the cell's own line and column.
//
// esbuild is a native binary that a .vsix built without node_modules does not carry; there the
// TypeScript compiler (bundled into the kernel) strips the types instead, slower but equivalent.
import type { Message, TransformOptions } from "esbuild";
import { SourceMap } from "node:module";
import ts from "typescript";
import { LineIndex } from "../hypothesis/range";
import { instrumentForInterrupts, rewriteForRepl } from "./repl";

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

export interface CompileOptions {
  /** false: strip types with the TypeScript compiler even where esbuild is available. */
  esbuild?: boolean;
}

export async function compileCell(source: string, options: CompileOptions = {}): Promise<CompileResult> {
  let js: { code: string; map: string };
  try {
    const esbuild = options.esbuild === false ? null : loadEsbuild();
    js = esbuild ? await esbuild.transform(source, CELL_OPTIONS) : typescriptTransform(source);
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
 * stack frames once source maps are enabled), its loops and functions checking for interrupts.
 */
export function transpileModule(source: string, filename: string): string {
  const esbuild = loadEsbuild();
  if (!esbuild) {
    const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true, inlineSources: true };
    return instrumentForInterrupts(ts.transpileModule(source, { fileName: filename, compilerOptions: options }).outputText);
  }
  const loader = filename.endsWith(".tsx") ? "tsx" : filename.endsWith(".js") || filename.endsWith(".mjs") ? "js" : "ts";
  return instrumentForInterrupts(esbuild.transformSync(source, { loader, format: "cjs", sourcemap: "inline", sourcefile: filename, target: "node20" }).code);
}

let esbuildModule: typeof import("esbuild") | null | undefined;

function loadEsbuild(): typeof import("esbuild") | null {
  if (esbuildModule === undefined) {
    try {
      esbuildModule = require("esbuild") as typeof import("esbuild");
    } catch {
      esbuildModule = null;
    }
  }
  return esbuildModule;
}

/** The fallback: TypeScript's own transpiler, ES module syntax kept (the REPL rewrite needs it). */
function typescriptTransform(source: string): { code: string; map: string } {
  const output = ts.transpileModule(source, {
    fileName: "cell.ts",
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true, verbatimModuleSyntax: true },
  });
  const diagnostic = output.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (diagnostic?.file && diagnostic.start !== undefined) {
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    throw { errors: [{ text, location: { line: line + 1, column: character } }] };
  }
  return { code: output.outputText.replace(/\n\/\/# sourceMappingURL=.*$/, ""), map: output.sourceMapText ?? '{"version":3,"sources":[],"mappings":""}' };
}

function syntaxError(error: unknown): CompileError {
  const first = (error as { errors?: Message[] }).errors?.[0];
  if (!first) return { kind: "syntax", message: (error as Error).message, line: 1, column: 1 };
  return { kind: "syntax", message: first.text, line: first.location?.line ?? 1, column: (first.location?.column ?? 0) + 1 };
}
