// Notebook -> standalone script, as a pure function of the file format (tested with golden files).
// The script runs the exported cells in notebook order against the same runtime the kernel gives
// cells (`falsify/script`: tf, display, hypotheses, fx, rng, one session), so it records the same
// results; `// %% [cellId]` markers map it back to the notebook.
import { posix } from "node:path";
import { transformSync } from "esbuild";
import type { Notebook } from "../format";
import { applyEdits, type Edit } from "../kernel/edits";
import type { CellFacts, ImportFacts } from "./analysis";
import { KERNEL_GLOBALS, planExport, type ExportError, type ExportPlan } from "./plan";
import { comment, literal } from "./inert";
import { notebookSeed } from "./results";
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
}

export type ExportResult = { ok: true; script: string; cellIds: string[]; hypotheses: string[] } | { ok: false; error: ExportError };

/** The module exported scripts import their runtime from (package.json `exports`). */
export const SCRIPT_RUNTIME = "falsify/script";
/** Imports of these become the runtime's single tfjs instance, as the kernel maps them. */
const TFJS_MODULES = new Set(["@tensorflow/tfjs", "@tensorflow/tfjs-core", "@tensorflow/tfjs-node", "@tensorflow/tfjs-layers"]);
/** Imports of the runtime library become the `fx` namespace the runtime provides. */
const RUNTIME_MODULE = "falsify";
const HANDLE = "falsifyScript";

export function exportScript(notebook: Notebook, options: ExportOptions): ExportResult {
  const planned = planExport(notebook, options.cellId);
  if (!planned.ok) return planned;
  const plan = planned.plan;
  const code = plan.cells.filter(({ cell }) => !plan.markdown.has(cell.id));
  const seed = notebookSeed(notebook.metadata);

  const imports = hoistedImports(code.map(({ facts }) => facts), options.notebookDir);
  const globals = usedGlobals(code.map(({ facts }) => facts));
  const config = {
    notebook: options.notebookName,
    notebookDir: options.notebookDir ?? ".",
    seed,
    cells: code.map(({ cell }) => cell.id),
    hypotheses: plan.hypotheses.map(({ cellId, hypothesis }) => ({ cell: cellId, hypothesis })),
  };
  const runtime = (text: string): ScriptPart => ({ kind: "runtime", text });
  const blank: ScriptPart = { kind: "comment", text: "" };
  const header: ScriptPart = { kind: "comment", text: comment(headerLines(plan, options, seed).join("\n")) };
  const body: ScriptPart[] = [
    runtime(`import { startScript } from ${literal(SCRIPT_RUNTIME)};`),
    ...imports.map(runtime),
    blank,
    runtime(`const ${HANDLE} = await startScript(${literal(config, 2)});`),
    runtime(`const { ${globals.join(", ")} } = ${HANDLE};`),
    ...boundImports(code.map(({ facts }) => facts)).map(runtime),
    blank,
    ...plan.cells.flatMap(({ cell, facts }): ScriptPart[] =>
      plan.markdown.has(cell.id)
        ? [{ kind: "comment", text: comment(`%% [${cell.id}] markdown\n${cell.source.trimEnd()}`) }, blank]
        : [{ kind: "comment", text: comment(`%% [${cell.id}]`) }, { kind: "cell", cellId: cell.id, text: cellBody(cell.source, facts).trimEnd() }, blank],
    ),
    runtime(`await ${HANDLE}.finish();`),
  ];
  const notInert = verifyScript([header, ...body]);
  if (notInert) return { ok: false, error: notInert };
  // Compiled either way: a script esbuild rejects (a case the checks above missed) is refused, not written.
  const compiled = toJavaScript(assemble(body));
  if (!compiled.ok) return compiled;
  const script = `${header.text}\n${options.language === "mjs" ? compiled.code : assemble(body)}`;
  return { ok: true, script, cellIds: config.cells, hypotheses: plan.hypotheses.map(({ hypothesis }) => hypothesis.id) };
}

function headerLines(plan: ExportPlan, options: ExportOptions, seed: number): string[] {
  const code = plan.cells.filter(({ cell }) => !plan.markdown.has(cell.id));
  const recorded = [...code].reverse().find(({ cell }) => cell.execution?.backend)?.cell.execution;
  const environment = recorded
    ? `node ${recorded.nodeVersion ?? "?"}, tfjs ${recorded.tfjsVersion ?? "?"}, backend ${recorded.backend}`
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
    "Needs the falsify package (its runtime) and @tensorflow/tfjs (or tfjs-node) where node resolves them.",
  ];
}

/** The kernel globals the cells use (display always: trailing expressions are shown through it). */
function usedGlobals(facts: CellFacts[]): string[] {
  const declared = new Set(facts.flatMap((f) => f.declared));
  const used = new Set(facts.flatMap((f) => [...f.used]));
  for (const f of facts) {
    for (const statement of f.imports) {
      const bound = boundTo(statement);
      if (!bound) continue;
      used.add(bound);
      // `import * as tf from "@tensorflow/tfjs"` is dropped: the cell uses the runtime's `tf`.
      if (statement.namespace === bound || statement.default === bound) declared.delete(bound);
    }
  }
  return KERNEL_GLOBALS.filter((name) => name === "display" || (used.has(name) && !declared.has(name)));
}

/**
 * A cell's code as the script runs it: imports hoisted (tfjs and "falsify" imports bound to the
 * runtime's instances instead), and the trailing expression shown, as the kernel shows it.
 */
function cellBody(source: string, facts: CellFacts): string {
  const edits: Edit[] = [];
  for (const statement of facts.imports) {
    // Imports move to the top of the script; the one they leave leaves no empty line behind.
    const end = source[statement.end] === "\n" ? statement.end + 1 : statement.end;
    edits.push({ start: statement.start, end, text: "" });
  }
  const trailing = facts.trailingExpression;
  if (trailing && !isShownAlready(source.slice(trailing.start, trailing.end))) {
    const text = source.slice(trailing.start, trailing.end);
    const shown = text.startsWith("await ") ? `display(${text})` : `display(await (${text}))`;
    edits.push({ start: trailing.start, end: trailing.end, text: shown });
  }
  if (facts.openEnd !== undefined) edits.push({ start: facts.openEnd, end: facts.openEnd, text: ";" });
  return applyEdits(source, edits).text.replace(/^\n+/, "");
}

/** `display(x)` and `console.log(x)` return undefined: the kernel shows nothing more for them. */
function isShownAlready(expression: string): boolean {
  return /^(display|console\.\w+)\s*\(/.test(expression);
}

/** The runtime global an import stands for: tfjs imports are `tf`, "falsify" imports are `fx`. */
function boundTo(statement: ImportFacts): "tf" | "fx" | undefined {
  return TFJS_MODULES.has(statement.module) ? "tf" : statement.module === RUNTIME_MODULE ? "fx" : undefined;
}

/**
 * The cells' tfjs and "falsify" imports, once each, as bindings to the runtime's `tf` and `fx`
 * (`import { mean } from "falsify"` -> `const { mean } = fx;`), right after the runtime starts.
 */
function boundImports(facts: CellFacts[]): string[] {
  const lines: string[] = [];
  const named = { tf: new Map<string, string>(), fx: new Map<string, string>() };
  const aliases = new Set<string>();
  for (const statement of facts.flatMap((f) => f.imports)) {
    const source = boundTo(statement);
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
function hoistedImports(facts: CellFacts[], notebookDir: string | undefined): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const statement of facts.flatMap((f) => f.imports)) {
    if (TFJS_MODULES.has(statement.module) || statement.module === RUNTIME_MODULE) continue;
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
 * TypeScript -> JavaScript with esbuild. esbuild drops ordinary comments, so the markers and the
 * markdown comments travel as legal comments (`//!`) and are turned back afterwards.
 */
function toJavaScript(typescript: string): { ok: true; code: string } | { ok: false; error: ExportError } {
  const marked = typescript.replace(/^\/\/( %% \[|(?= )|$)/gm, "//!$1");
  let code: string;
  try {
    code = transformSync(marked, { loader: "ts", format: "esm", target: "node20", legalComments: "inline" }).code;
  } catch (error) {
    const first = (error as { errors?: { text: string; location?: { line: number } | null }[] }).errors?.[0];
    const line = first?.location?.line ?? 1;
    const markers = [...typescript.split("\n").slice(0, line).join("\n").matchAll(/^\/\/ %% \[([^\]]+)\]/gm)];
    const cellId = markers[markers.length - 1]?.[1] ?? "";
    const message = `cell ${cellId || "(script preamble)"} does not compile as part of one script: ${first?.text ?? (error as Error).message}`;
    return { ok: false, error: { kind: "syntax", cellId, message } };
  }
  code = code.replace(/^\/\/!/gm, "//").replace(/\n(\/\/ %% \[)/g, "\n\n$1").replace(/\n(await falsifyScript\.finish\(\);)/, "\n\n$1");
  return { ok: true, code };
}
