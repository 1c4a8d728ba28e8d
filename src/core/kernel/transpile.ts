// TypeScript -> JavaScript with the TypeScript compiler's `transpileModule`. Every bundle that needs
// it (kernel, CLI, extension) already carries the compiler for the REPL rewrite and the linter, so a
// .vsix with no node_modules transpiles cells on every platform: esbuild's native binary stays a
// build tool, and esbuild-wasm would add 14 MB and seconds of start-up (measured in the commit).
//
// A cell: the types stripped with a source map, the REPL rewrite makes it persistent and
// interruptible, and `toCell` composes both maps so a stack frame in the script points at the
// cell's own line and column.
import { SourceMap } from "node:module";
import ts from "typescript";
import { nestedTooDeeply } from "../cell/reading";
import { LineIndex } from "../hypothesis/range";
import { instrumentForInterrupts, rewriteForRepl } from "./repl";

export interface CompiledCell {
  code: string;
  declared: string[];
  /** 1-based line/column in `code` -> 1-based line/column in the cell source (undefined: generated code). */
  toCell(line: number, column: number): { line: number; column: number } | undefined;
}

/** Source that does not compile: the first error, located (1-based) in the source. */
export interface CompileError {
  kind: "syntax";
  message: string;
  line: number;
  column: number;
}

export type CompileResult = { ok: true; cell: CompiledCell } | { ok: false; error: CompileError };

export type StripResult = { ok: true; code: string; map: string } | { ok: false; error: CompileError };

export interface StripOptions {
  /** Keep every import, even one no value uses (a cell's import may be for the NEXT cell). Default true. */
  keepImports?: boolean;
}

/** TypeScript -> ES module JavaScript (ES2022, comments kept) with its source map, or the first syntax error. */
export function stripTypes(source: string, fileName: string, options: StripOptions = {}): StripResult {
  const output = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true, verbatimModuleSyntax: options.keepImports ?? true },
  });
  const diagnostic = output.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (diagnostic?.file && diagnostic.start !== undefined) {
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    return { ok: false, error: { kind: "syntax", message, line: line + 1, column: character + 1 } };
  }
  return { ok: true, code: output.outputText.replace(/\n\/\/# sourceMappingURL=.*$/, ""), map: output.sourceMapText ?? '{"version":3,"sources":[],"mappings":""}' };
}

/**
 * The first error a JavaScript engine would raise on loading `js` as one module that transpiling
 * alone does not report: a `let`/`const`/`class` name declared twice (TypeScript's binder rules for
 * plain JavaScript files). 1-based position in `js`.
 */
export function redeclarationError(js: string): CompileError | undefined {
  const options: ts.CompilerOptions = { noLib: true, noResolve: true, allowJs: true, types: [], module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 };
  const file = ts.createSourceFile("module.mjs", js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const host = ts.createCompilerHost(options);
  host.getSourceFile = (name) => (name === file.fileName ? file : undefined);
  const program = ts.createProgram({ rootNames: [file.fileName], options, host });
  const [first] = program.getSemanticDiagnostics(file);
  if (!first || first.start === undefined) return undefined;
  const { line, character } = file.getLineAndCharacterOfPosition(first.start);
  return { kind: "syntax", message: ts.flattenDiagnosticMessageText(first.messageText, "\n"), line: line + 1, column: character + 1 };
}

export function compileCell(source: string): CompileResult {
  try {
    return compile(source);
  } catch (error) {
    const tooDeep = nestedTooDeeply(error, source);
    if (!tooDeep) throw error;
    return { ok: false, error: { kind: "syntax", ...tooDeep } };
  }
}

function compile(source: string): CompileResult {
  const js = stripTypes(source, "cell.ts");
  if (!js.ok) return js;
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
        const entry = map.findEntry(inJs.line - 1, inJs.column - 1) as { originalLine?: number; originalColumn?: number; generatedLine?: number; generatedColumn?: number };
        if (entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
        // The map has an entry at the start of each token; keep the column offset within the token.
        const within = Math.max(0, inJs.column - 1 - (entry.generatedColumn ?? inJs.column - 1));
        const sameLine = entry.generatedLine === inJs.line - 1;
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
  const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true, inlineSources: true };
  return instrumentForInterrupts(ts.transpileModule(source, { fileName: filename, compilerOptions: options }).outputText);
}
