// The REPL rewrite: turns one cell's JavaScript (types already stripped) into a script whose
// top-level names outlive it, that can `await` at top level, returns its trailing expression, and
// stops promptly when the user interrupts. It parses the compiled JavaScript because it edits that
// text by offset: a transformation, not a reading of the cell (what a cell declares, uses and links
// is src/core/cell/reading.ts, whose binding-name walk it shares).
//
//   const x = 1;            ->  var x; ... ;(x = 1);          (re-running a cell re-assigns, never
//   class C {}              ->  var C; ... ;C = class C {};    "already declared")
//   function f() {}         ->  stays, and is published as globalThis.f at the start of the cell
//   import * as m from "m"  ->  ;(m = await __falsify.import("m"));
//   while (c) { ... }       ->  while (c) { __falsify.i[0]&&__falsify.stop(); ... }  (also loops
//                               without braces, and every function body)
//   await p                 ->  await __falsify.race(p)   (an await that never settles still stops)
//   last expression e       ->  return (e);
//
// The whole is wrapped in `(async () => { ... })()` on the cell's first line, so line numbers are
// kept; `toInput` maps any output offset back to the input for stack traces.
import ts from "typescript";
import { KERNEL_HOOKS_GLOBAL } from "../cell/environment";
import { bindingNames } from "../cell/reading";
import { applyEdits, type Edit } from "./edits";

export interface KernelHooks {
  /** Interrupt flag: non-zero once the user asked to stop. */
  i: Int32Array;
  /** Throws the interrupt error. */
  stop(): never;
  /** Settles like `value`, or rejects as soon as the user interrupts. */
  race<T>(value: T): Promise<Awaited<T>> | T;
  /** `import` of a module, resolved like the notebook's own code would. */
  import(specifier: string): Promise<Record<string, unknown>>;
}

export interface ReplScript {
  code: string;
  /** Top-level names the cell declares (variables, functions, classes, imports). */
  declared: string[];
  /** Offset in the input JavaScript of an offset in `code`; -1 in the wrapper the rewrite added. */
  toInput(offset: number): number;
}

const CHECK = `${KERNEL_HOOKS_GLOBAL}.i[0]&&${KERNEL_HOOKS_GLOBAL}.stop();`;

export function rewriteForRepl(js: string): ReplScript {
  const file = ts.createSourceFile("cell.mjs", js, { languageVersion: ts.ScriptTarget.Latest, impliedNodeFormat: ts.ModuleKind.ESNext }, true, ts.ScriptKind.JS);
  const edits: Edit[] = [];
  const vars: string[] = [];
  const functions: string[] = [];
  const statements = file.statements;

  statements.forEach((statement, index) => {
    const isLast = index === statements.length - 1;
    if (ts.isImportDeclaration(statement)) {
      edits.push({ start: statement.getStart(), end: statement.end, text: importCode(statement, vars) });
      return;
    }
    if (ts.isExportDeclaration(statement)) {
      edits.push({ start: statement.getStart(), end: statement.end, text: "" });
      return;
    }
    removeExportModifiers(statement, edits);
    if (ts.isExportAssignment(statement)) {
      edits.push({ start: statement.getStart(), end: statement.expression.getStart(), text: isLast ? "return (" : ";(" });
      edits.push({ start: statement.expression.end, end: statement.expression.end, text: ")", close: true });
    } else if (ts.isVariableStatement(statement)) {
      declareVariables(statement.declarationList, vars, edits);
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      vars.push(statement.name.text);
      const start = classKeywordStart(statement);
      edits.push({ start, end: start, text: `;${statement.name.text} = ` });
      edits.push({ start: statement.end, end: statement.end, text: ";", close: true });
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      functions.push(statement.name.text);
    } else if (isLast && ts.isExpressionStatement(statement)) {
      edits.push({ start: statement.expression.getStart(), end: statement.expression.getStart(), text: "return (" });
      edits.push({ start: statement.expression.end, end: statement.expression.end, text: ")", close: true });
    }
    instrument(statement, edits, 1);
  });

  const edited = applyEdits(js, edits);
  const declared = unique([...vars, ...functions]);
  const head =
    (vars.length ? `var ${unique(vars).join(", ")}; ` : "") +
    "(async () => {" +
    functions.map((name) => `globalThis[${JSON.stringify(name)}] = ${name};`).join("");
  return {
    code: `${head}${edited.text}\n})()`,
    declared,
    toInput(offset) {
      const inBody = offset - head.length;
      return inBody < 0 || inBody >= edited.text.length ? -1 : edited.toInput(inBody);
    },
  };
}

/**
 * Only the interrupt checks, for the user's own modules that cells import: loops and functions there
 * stop on interrupt too. Inserts no line breaks, so their source maps keep every line.
 */
export function instrumentForInterrupts(js: string): string {
  const file = ts.createSourceFile("module.js", js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const edits: Edit[] = [];
  for (const statement of file.statements) instrument(statement, edits, 1);
  return applyEdits(js, edits).text;
}

function importCode(statement: ts.ImportDeclaration, vars: string[]): string {
  const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
  const load = `await ${KERNEL_HOOKS_GLOBAL}.import(${JSON.stringify(specifier)})`;
  const clause = statement.importClause;
  if (!clause) return `;${load};`;
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) {
    const ns = bindings.name.text;
    vars.push(ns);
    if (clause.name) vars.push(clause.name.text);
    return `;(${ns} = ${load});` + (clause.name ? `;(${clause.name.text} = ${ns}.default);` : "");
  }
  const pattern: string[] = [];
  if (clause.name) {
    vars.push(clause.name.text);
    pattern.push(`default: ${clause.name.text}`);
  }
  for (const element of bindings && ts.isNamedImports(bindings) ? bindings.elements : []) {
    if (element.isTypeOnly) continue;
    vars.push(element.name.text);
    pattern.push(`${JSON.stringify((element.propertyName ?? element.name).text)}: ${element.name.text}`);
  }
  return `;({ ${pattern.join(", ")} } = ${load});`;
}

/** `const a = 1, {b} = o` -> `;(a = 1, {b} = o)`; a `let` without initialiser becomes undefined. */
function declareVariables(list: ts.VariableDeclarationList, vars: string[], edits: Edit[]): void {
  const declarations = list.declarations;
  if (!declarations.length) return;
  const isVar = (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) === 0;
  edits.push({ start: list.getStart(), end: declarations[0].getStart(), text: ";(" });
  for (const declaration of declarations) {
    bindingNames(declaration.name, vars);
    if (!declaration.initializer) {
      edits.push({ start: declaration.name.end, end: declaration.name.end, text: isVar ? "" : " = void 0", close: true });
    }
  }
  const last = declarations[declarations.length - 1];
  edits.push({ start: last.end, end: last.end, text: ")", close: true });
}

function removeExportModifiers(statement: ts.Statement, edits: Edit[]): void {
  if (!ts.canHaveModifiers(statement)) return;
  for (const modifier of ts.getModifiers(statement) ?? []) {
    if (modifier.kind === ts.SyntaxKind.ExportKeyword || modifier.kind === ts.SyntaxKind.DefaultKeyword) {
      edits.push({ start: modifier.getStart(), end: modifier.end, text: "" });
    }
  }
}

function classKeywordStart(node: ts.ClassDeclaration): number {
  const keyword = node.getChildren().find((child) => child.kind === ts.SyntaxKind.ClassKeyword);
  return keyword ? keyword.getStart() : node.getStart();
}

/** Adds the interrupt checks (loop bodies, function bodies) and races every `await`. */
function instrument(node: ts.Node, edits: Edit[], depth: number): void {
  if (ts.isIterationStatement(node, false)) {
    const body = node.statement;
    if (ts.isBlock(body)) edits.push({ start: body.getStart() + 1, end: body.getStart() + 1, text: CHECK, depth });
    else {
      edits.push({ start: body.getStart(), end: body.getStart(), text: `{${CHECK}`, depth });
      edits.push({ start: body.end, end: body.end, text: "}", close: true, depth });
    }
  } else if (ts.isFunctionLike(node) && "body" in node && node.body && ts.isBlock(node.body as ts.Node)) {
    const body = node.body as ts.Block;
    edits.push({ start: body.getStart() + 1, end: body.getStart() + 1, text: CHECK, depth });
  } else if (ts.isAwaitExpression(node)) {
    edits.push({ start: node.expression.getStart(), end: node.expression.getStart(), text: `${KERNEL_HOOKS_GLOBAL}.race(`, depth });
    edits.push({ start: node.expression.end, end: node.expression.end, text: ")", close: true, depth });
  }
  ts.forEachChild(node, (child) => instrument(child, edits, depth + 1));
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
