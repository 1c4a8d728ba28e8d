// Notebook -> standalone script, as a pure function of the file format (tested with golden files).
// The script runs the exported cells in notebook order against the same runtime the kernel gives
// cells (`falsify/script`: the globals of src/core/cell/environment.ts, one session), so it records the same
// results; `// %% [cellId]` markers map it back to the notebook.
import { SourceMap } from "node:module";
import { posix } from "node:path";
import { CELL_GLOBALS, moduleGlobal, notebookSeed } from "../cell/environment";
import type { CellReading } from "../cell/reading";
import type { Notebook } from "../format";
import { applyEdits, type Edit } from "../kernel/edits";
import { redeclarationError, stripTypes, type CompileError } from "../kernel/transpile";
import type { CarriedFile } from "./data";
import { recordedRun } from "./pinned";
import { embedRuntime, RUNTIME_IMPORT, unbundledImports } from "./bundle";
import { exportedReads, planExport, type ExportedRead, type ExportError, type ExportPlan } from "./plan";
import { comment, literal } from "./inert";
import { assemble, verifyScript, type ScriptPart } from "./verify";

export interface ExportOptions {
  /** Base name of the notebook file, e.g. "probe.falsify". */
  notebookName: string;
  /** Stamped in the header, e.g. "falsify 0.1.0". */
  generator: string;
  /** Export this cell and the cells it depends on; the whole notebook when absent. */
  cellId?: string;
  /** "ts" (TypeScript, run with tsx) or "mjs" (plain JavaScript for node). */
  language?: "ts" | "mjs";
  /**
   * Relative path (posix) from the script's folder to the notebook's (default "."): the script runs
   * there, as the kernel does (relative data paths), and the cells' relative imports are rebased.
   */
  notebookDir?: string;
  /**
   * One self-contained script: `runtime` (dist/standalone.js, the script runtime with tfjs and vega
   * inside) takes the place of the `falsify/script` import, so it runs where node_modules holds
   * nothing. Implies "mjs".
   */
  bundle?: { runtime: string };
  /**
   * `--with-data`: the files the cells read (by the literal path a cell names) as carried beside the
   * script (data.ts); the cells read them at their new paths. Set notebookDir to "." with it: the
   * script then runs in its own folder, where the copies are.
   */
  data?: ReadonlyMap<string, CarriedFile>;
  /** The script warns at start when it runs on another falsify, tfjs or backend than the cells' recorded run (`--dir`). */
  checkVersions?: boolean;
}

export type ExportResult = { ok: true; script: string; cellIds: string[]; hypotheses: string[] } | { ok: false; error: ExportError };

const HANDLE = "falsifyScript";

export function exportScript(notebook: Notebook, options: ExportOptions): ExportResult {
  const planned = planExport(notebook, options.cellId);
  if (!planned.ok) return planned;
  const plan = planned.plan;
  const code = plan.cells.filter(({ cell }) => !plan.markdown.has(cell.id));
  if (options.bundle) {
    const refused = unbundled(code);
    if (refused) return { ok: false, error: refused };
    options = { ...options, language: "mjs" };
  }
  const seed = notebookSeed(notebook.metadata);

  const imports = hoistedImports(code.map(({ reading }) => reading), options.notebookDir);
  const globals = usedGlobals(code.map(({ reading }) => reading));
  const config = {
    notebook: options.notebookName,
    notebookDir: options.notebookDir ?? ".",
    seed,
    cells: code.map(({ cell }) => cell.id),
    hypotheses: plan.hypotheses.map(({ cellId, hypothesis }) => ({ cell: cellId, hypothesis })),
    ...(options.checkVersions ? { ranWith: recordedRun(code.map(({ cell }) => cell)) ?? {} } : {}),
  };
  const runtime = (text: string): ScriptPart => ({ kind: "runtime", text });
  const blank: ScriptPart = { kind: "comment", text: "" };
  const header: ScriptPart = { kind: "comment", text: comment(headerLines(plan, options, seed).join("\n")) };
  const body: ScriptPart[] = [
    runtime(RUNTIME_IMPORT),
    ...imports.map(runtime),
    blank,
    runtime(`const ${HANDLE} = await startScript(${literal(config, 2)});`),
    runtime(`const { ${globals.join(", ")} } = ${HANDLE};`),
    ...boundImports(code.map(({ reading }) => reading)).map(runtime),
    blank,
    ...plan.cells.flatMap(({ cell, reading }): ScriptPart[] =>
      plan.markdown.has(cell.id)
        ? [{ kind: "comment", text: comment(`%% [${cell.id}] markdown\n${cell.source.trimEnd()}`) }, blank]
        : [{ kind: "comment", text: comment(`%% [${cell.id}]`) }, { kind: "cell", cellId: cell.id, text: cellBody(cell.source, reading, options.data).trimEnd() }, blank],
    ),
    runtime(`await ${HANDLE}.finish();`),
  ];
  const notInert = verifyScript([header, ...body]);
  if (notInert) return { ok: false, error: notInert };
  // Compiled either way: a script the compiler rejects (a case the checks above missed) is refused, not written.
  const compiled = toJavaScript(assemble(body));
  if (!compiled.ok) return compiled;
  const script = `${header.text}\n${options.language === "mjs" ? compiled.code : assemble(body)}`;
  return { ok: true, script: options.bundle ? embedRuntime(script, options.bundle.runtime) : script, cellIds: config.cells, hypotheses: plan.hypotheses.map(({ hypothesis }) => hypothesis.id) };
}

function headerLines(plan: ExportPlan, options: ExportOptions, seed: number): string[] {
  const code = plan.cells.filter(({ cell }) => !plan.markdown.has(cell.id));
  const recorded = recordedRun(code.map(({ cell }) => cell));
  const environment = recorded
    ? `${recorded.falsify ? `falsify ${recorded.falsify}, ` : ""}node ${recorded.node ?? "?"}, tfjs ${recorded.tfjs ?? "?"}, backend ${recorded.backend}`
    : "no recorded run (the cells have no execution record)";
  const scope = options.cellId === undefined ? "the whole notebook" : `cell ${options.cellId} and the cells it depends on`;
  const run = options.language === "mjs" ? "node <this file>" : "npx tsx <this file>";
  const hypotheses = plan.hypotheses.map(({ cellId, hypothesis }) => `${hypothesis.id} (cell ${cellId})`).join(", ") || "none";
  return [
    `Generated by ${options.generator} from ${options.notebookName}: ${scope}.`,
    `Cells: ${code.map(({ cell }) => cell.id).join(", ") || "none"}. Hypotheses (embedded as data): ${hypotheses}.`,
    `Notebook outputs were recorded with ${environment}.`,
    `Notebook seed: ${seed} (--seed N overrides it).`,
    `Run: ${run} [--seed N] [--shard i/n] [--out results.json] [--svg-dir charts/]`,
    ...(options.language === "mjs" ? [] : ["(an ES module with top-level await: keep it in a \"type\": \"module\" package, or name it .mts)"]),
    options.bundle
      ? "Needs only node (>= 20): the falsify runtime, TensorFlow.js (wasm backend) and vega are inside this file; @tensorflow/tfjs-node is used instead where it resolves from the notebook's folder, the working directory or this file's."
      : "Needs the falsify package (its runtime) and @tensorflow/tfjs (or tfjs-node) where node resolves them.",
    ...readLines(exportedReads(plan), options.data),
  ];
}

/** The header's account of the files the cells read: where each is, whether it was copied, which paths only the run knows. */
function readLines(reads: ExportedRead[], data: ExportOptions["data"]): string[] {
  const named = reads.filter(({ read }) => read.path !== undefined);
  const computed = reads.filter(({ read }) => read.path === undefined);
  const where = ({ cellId, read }: ExportedRead): string => {
    const carried = data?.get(read.path!);
    if (!carried) return `${read.path} (cell ${cellId})`;
    const moved = carried.path === read.path ? "" : `, from ${read.path}`;
    return `${carried.path} (cell ${cellId}${moved}${carried.notCopied ? `; not copied: ${carried.notCopied}` : ""})`;
  };
  const copied = data ? " Copied beside this script, which runs in its own folder, unless said otherwise." : " Not carried: export with --with-data to copy them beside the script.";
  return [
    ...(named.length ? [`Files the cells read: ${named.map(where).join(", ")}.${copied}`] : []),
    ...(computed.length ? [`Files read from paths computed at run time (not copied; carry them yourself): ${computed.map(({ cellId, read }) => `${read.expression} (cell ${cellId})`).join(", ")}.`] : []),
  ];
}

/** The first cell importing what a bundled script cannot carry (a package or one of the user's files), refused. */
function unbundled(code: ExportPlan["cells"]): ExportError | undefined {
  for (const { cell, reading } of code) {
    const modules = unbundledImports([reading], (module) => moduleGlobal(module) !== undefined);
    if (!modules.length) continue;
    return {
      kind: "not-bundleable",
      cellId: cell.id,
      message: `cell ${cell.id} imports ${modules.join(", ")}, which a bundled script does not carry: export without --bundle (the script then needs them installed where it runs).`,
    };
  }
  return undefined;
}

/** The kernel globals the cells use (display always: trailing expressions are shown through it). */
function usedGlobals(readings: CellReading[]): string[] {
  const declared = new Set(readings.flatMap((r) => r.declares));
  const used = new Set(readings.flatMap((r) => [...r.uses]));
  for (const r of readings) {
    for (const statement of r.imports) {
      const bound = moduleGlobal(statement.module);
      if (!bound) continue;
      used.add(bound);
      // `import * as tf from "@tensorflow/tfjs"` is dropped: the cell uses the runtime's `tf`.
      if (statement.namespace === bound || statement.default === bound) declared.delete(bound);
    }
  }
  return CELL_GLOBALS.filter((name) => name === "display" || (used.has(name) && !declared.has(name)));
}

/**
 * A cell's code as the script runs it: imports hoisted (tfjs and "falsify" imports bound to the
 * runtime's instances instead), and the trailing expression shown, as the kernel shows it.
 */
function cellBody(source: string, reading: CellReading, data: ExportOptions["data"]): string {
  const edits: Edit[] = [];
  for (const read of reading.reads) {
    const carried = read.path === undefined ? undefined : data?.get(read.path);
    if (carried && carried.path !== read.path) edits.push({ start: read.start, end: read.end, text: literal(`${read.scheme ?? ""}${carried.path}`) });
  }
  for (const statement of reading.imports) {
    // Imports move to the top of the script; the one they leave leaves no empty line behind.
    const end = source[statement.end] === "\n" ? statement.end + 1 : statement.end;
    edits.push({ start: statement.start, end, text: "" });
  }
  const trailing = reading.trailingExpression;
  if (trailing && !isShownAlready(source.slice(trailing.start, trailing.end))) {
    // Insertions around it, not a replacement: a file path inside it may be rewritten too.
    const awaited = source.startsWith("await ", trailing.start);
    edits.push({ start: trailing.start, end: trailing.start, text: awaited ? "display(" : "display(await (" });
    edits.push({ start: trailing.end, end: trailing.end, text: awaited ? ")" : "))", close: true });
  }
  if (reading.openEnd !== undefined) edits.push({ start: reading.openEnd, end: reading.openEnd, text: ";" });
  return applyEdits(source, edits).text.replace(/^\n+/, "");
}

/** `display(x)` and `console.log(x)` return undefined: the kernel shows nothing more for them. */
function isShownAlready(expression: string): boolean {
  return /^(display|console\.\w+)\s*\(/.test(expression);
}

/**
 * The cells' tfjs and "falsify" imports, once each, as bindings to the runtime's `tf` and `fx`
 * (`import { mean } from "falsify"` -> `const { mean } = fx;`), right after the runtime starts.
 */
function boundImports(readings: CellReading[]): string[] {
  const lines: string[] = [];
  const named = { tf: new Map<string, string>(), fx: new Map<string, string>() };
  const aliases = new Set<string>();
  for (const statement of readings.flatMap((r) => r.imports)) {
    const source = moduleGlobal(statement.module);
    if (!source || statement.typeOnly) continue;
    for (const local of [statement.namespace, statement.default]) {
      if (local && local !== source && !aliases.has(local)) {
        aliases.add(local);
        lines.push(`const ${local} = ${source};`);
      }
    }
    for (const n of statement.named) if (!n.typeOnly) named[source].set(n.local, n.imported === n.local ? n.local : `${n.imported}: ${n.local}`);
  }
  for (const source of ["tf", "fx"] as const) {
    if (named[source].size) lines.push(`const { ${[...named[source].values()].join(", ")} } = ${source};`);
  }
  return lines;
}

/** The cells' other imports, once each, at the top of the script (ES modules hoist them anyway). */
function hoistedImports(readings: CellReading[], notebookDir: string | undefined): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const statement of readings.flatMap((r) => r.imports)) {
    if (moduleGlobal(statement.module)) continue;
    const from = literal(rebase(statement.module, notebookDir));
    const type = statement.typeOnly ? "type " : "";
    const once = (key: string, line: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      lines.push(line);
    };
    if (statement.namespace) once(`${statement.module}#*${statement.namespace}`, `import ${type}* as ${statement.namespace} from ${from};`);
    if (statement.default) once(`${statement.module}#default${statement.default}`, `import ${type}${statement.default} from ${from};`);
    const named = statement.named.filter((n) => !seen.has(`${statement.module}#${n.imported}>${n.local}`));
    for (const n of named) seen.add(`${statement.module}#${n.imported}>${n.local}`);
    if (named.length) {
      const list = named.map((n) => `${n.typeOnly ? "type " : ""}${n.imported === n.local ? n.local : `${n.imported} as ${n.local}`}`);
      lines.push(`import ${type}{ ${list.join(", ")} } from ${from};`);
    }
    if (!statement.namespace && !statement.default && !statement.named.length) once(`${statement.module}#side-effect`, `import ${from};`);
  }
  return lines;
}

function rebase(specifier: string, notebookDir: string | undefined): string {
  if (!notebookDir || !(specifier.startsWith("./") || specifier.startsWith("../"))) return specifier;
  const joined = posix.normalize(posix.join(notebookDir, specifier));
  return joined.startsWith(".") ? joined : `./${joined}`;
}

/**
 * TypeScript -> JavaScript with the compiler cells are transpiled with (comments kept). Imports no
 * value uses are dropped, as in any compiled module: they may name types only.
 */
function toJavaScript(typescript: string): { ok: true; code: string } | { ok: false; error: ExportError } {
  const js = stripTypes(typescript, "script.ts", { keepImports: false });
  if (!js.ok) return { ok: false, error: scriptError(typescript, js.error) };
  const twice = redeclarationError(js.code);
  if (twice) {
    const at = new SourceMap(JSON.parse(js.map)).findEntry(twice.line - 1, twice.column - 1) as { originalLine?: number };
    return { ok: false, error: scriptError(typescript, { ...twice, line: (at.originalLine ?? 0) + 1 }) };
  }
  // The compiler drops blank lines: put back the ones between cells and before the closing call.
  const code = js.code.replace(/\n(\/\/ %% \[)/g, "\n\n$1").replace(/\n(await falsifyScript\.finish\(\);)/, "\n\n$1");
  return { ok: true, code };
}

/** A compile error at a line of the whole script, blamed on the cell whose marker precedes it. */
function scriptError(typescript: string, error: CompileError): ExportError {
  const markers = [...typescript.split("\n").slice(0, error.line).join("\n").matchAll(/^\/\/ %% \[([^\]]+)\]/gm)];
  const cellId = markers[markers.length - 1]?.[1] ?? "";
  return { kind: "syntax", cellId, message: `cell ${cellId || "(script preamble)"} does not compile as part of one script: ${error.message}` };
}
