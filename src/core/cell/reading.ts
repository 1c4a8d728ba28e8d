// One reading of a TypeScript cell's source, from its syntax tree (TypeScript compiler API; never
// regexes over code): what it declares, uses and may change at top level (the notebook's dependency
// graph, graph.ts), what it imports, which hypotheses it names, which runtime calls it makes (the
// pictures, controls, tests and corrections the linter weighs; unseeded random draws) and why a
// script could not reproduce it. The linter, export and the kernel all read cells through this.
//
// Deliberately conservative where a miss would break something: a local that shadows an outer name
// still counts as a use (an extra dependency costs run time; a missing one breaks an export).
import ts from "typescript";
import type { CellRange } from "../hypothesis";
import { LineIndex } from "../hypothesis/range";
import { FILE_READERS, NODE_FILE_READERS, RANDOM_SOURCES, roleOf, TFJS_VIS, type ApiRole, type FilePathPlace } from "./api-roles";
import { KERNEL_HOOKS_GLOBAL, RUNTIME_MODULE, type CellGlobal } from "./environment";

export interface CallSite {
  /** The API name (for runtime calls) or dotted callee (for random sources and tfjs-vis). */
  name: string;
  range: CellRange;
  /** The hypothesis id the call names with a `hypothesis: "H1"` property. */
  hypothesis?: string;
  /** Id-like string arguments (`verdict("H1", ...)`); the linter keeps those naming a hypothesis. */
  strings?: string[];
  /**
   * The call passes no values to compute with: an empty array where data goes (a template's
   * comment-only `[ ]`, also as an option: `{ observed: [] }`), or nothing but string arguments.
   */
  placeholder?: true;
}

export interface VisualSite extends CallSite {
  /** The picture shows one hand-picked example (e.g. `display(attribution(images[3]))`). */
  singleExample: boolean;
}

export interface RandomSite extends CallSite {
  seeded: boolean;
}

/** A file the cell reads (a model, a data file), as named in its source. */
export interface FileRead {
  /** The reading call as the cell wrote it: "loadModel", "fs.readFileSync", "tf.loadLayersModel". */
  call: string;
  /** The path, when a string literal names it (without the URL scheme, if any). */
  path?: string;
  /** The URL scheme before the path in the literal ("file://"), kept when the path is rewritten. */
  scheme?: string;
  /** The path's source text when it is computed (a template with `${...}`, a variable): not a literal. */
  expression?: string;
  /** Offsets of the literal (quotes included) or of the expression in the cell source. */
  start: number;
  end: number;
  range: CellRange;
}

export interface CellImport {
  module: string;
  /** Offsets of the whole statement in the cell source. */
  start: number;
  end: number;
  typeOnly: boolean;
  default?: string;
  namespace?: string;
  named: { imported: string; local: string; typeOnly: boolean }[];
}

export interface CellReading {
  /** The first syntax error, if the cell does not parse. */
  syntaxError?: { message: string; line: number; column: number };
  /** Top-level names the cell declares (visible to later cells): variables, functions, classes, enums, types, namespaces, imports. */
  declares: string[];
  /** Names the cell refers to, declared here or not (not property names, not declarations' own names). */
  uses: Set<string>;
  /** Names the cell may change: it assigns them, calls a method on them or passes them to a call, at any depth. */
  touches: Set<string>;
  imports: CellImport[];
  /** `// @hypothesis H1` (or `H1, H2`, also in block comments): the cell's declared links. */
  links: { id: string; range: CellRange }[];
  visuals: VisualSite[];
  /** Calls that put examples in a distribution context. */
  distributions: CallSite[];
  baselines: CallSite[];
  tests: CallSite[];
  corrections: CallSite[];
  /** Hypothesis ids named by runtime calls that are none of the above (e.g. `hypotheses.get("H1")`). */
  mentions: CallSite[];
  randomness: RandomSite[];
  /** Files the cell reads through the loaders and readers it is known to call (api-roles.ts). */
  reads: FileRead[];
  /** String literals passed to any call (directly or inside object/array literals): hypothesis ids, often. */
  callStrings: Set<string>;
  /** Why the cell cannot run outside the notebook, if it cannot (first reason per kind). */
  interactive: string[];
  /** The last statement, when it is an expression statement: the kernel displays its value. */
  trailingExpression?: { start: number; end: number };
  /** Where the last statement ends, when it has no `;` (the next cell could continue it: ASI). */
  openEnd?: number;
}

export function readCell(source: string): CellReading {
  try {
    const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    return new CellReader(file).read();
  } catch (error) {
    const syntaxError = nestedTooDeeply(error, source);
    if (!syntaxError) throw error;
    return { ...emptyReading(), syntaxError };
  }
}

/**
 * TypeScript's parser (and every reader of its tree) recurses once per level of nesting: about 1,000
 * brackets deep (a crafted or mangled notebook) the stack runs out. No tool can read such code; for
 * that stack overflow this is the syntax error to report, at the code's deepest point, instead of a
 * RangeError thrown at the linter, the export or the kernel. Undefined for any other error.
 */
export function nestedTooDeeply(error: unknown, source: string): { message: string; line: number; column: number } | undefined {
  if (!(error instanceof RangeError && /call stack/i.test(error.message))) return undefined;
  const { depth, offset } = deepestBracket(source);
  const brackets = depth >= 100 ? ` (${depth} levels of brackets)` : "";
  return { message: `The code is nested too deeply to be read${brackets}`, ...new LineIndex(source).position(brackets ? offset : 0) };
}

function emptyReading(): CellReading {
  return {
    declares: [],
    uses: new Set(),
    touches: new Set(),
    imports: [],
    links: [],
    visuals: [],
    distributions: [],
    baselines: [],
    tests: [],
    corrections: [],
    mentions: [],
    randomness: [],
    reads: [],
    callStrings: new Set(),
    interactive: [],
  };
}

/** The source's greatest bracket depth, and the offset of the first bracket that reaches it. */
function deepestBracket(source: string): { depth: number; offset: number } {
  let depth = 0;
  let deepest = 0;
  let at = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "(" || c === "[" || c === "{") {
      if (++depth > deepest) [deepest, at] = [depth, i];
    } else if (c === ")" || c === "]" || c === "}") depth--;
  }
  return { depth: deepest, offset: at };
}

/** Interactive or notebook-only things a script cannot reproduce, by the name a cell uses. */
const INTERACTIVE_GLOBALS: Record<string, string> = {
  prompt: "asks the user for input (prompt)",
  input: "asks the user for input (input)",
  confirm: "asks the user to confirm (confirm)",
  alert: "shows a modal dialog (alert)",
  [KERNEL_HOOKS_GLOBAL]: `calls into the kernel's internals (${KERNEL_HOOKS_GLOBAL})`,
};
const INTERACTIVE_MODULES: Record<string, string> = {
  vscode: "imports the VS Code API (vscode), which exists only inside the editor",
  readline: "reads interactive input (readline)",
  "node:readline": "reads interactive input (node:readline)",
  "readline/promises": "reads interactive input (readline/promises)",
  "node:readline/promises": "reads interactive input (node:readline/promises)",
};

const FS_MODULES = ["fs", "node:fs", "fs/promises", "node:fs/promises"];
const DIRECTIVE = /@hypothesis\s+([A-Za-z][\w.-]*(?:\s*,\s*[A-Za-z][\w.-]*)*)/g;
const ID_LIKE = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const RUNTIME_NAMESPACE: CellGlobal = "fx";
/** `hypotheses.get("H1")` (the cell global) names H1. */
const HYPOTHESES: CellGlobal = "hypotheses";

class CellReader {
  private readonly reading: CellReading = emptyReading();
  /** Local alias -> runtime name, from `import { verdict as v } from "falsify"`. */
  private readonly aliases = new Map<string, string>();
  /** Local names of the runtime namespace (`fx`, `import * as F from "falsify"`) and of tfjs-vis. */
  private readonly runtimeNamespaces = new Set<string>([RUNTIME_NAMESPACE]);
  private readonly visNamespaces = new Set<string>([TFJS_VIS.global]);
  /** Local names of node:fs readers, from `import { readFileSync as read } from "node:fs"`. */
  private readonly fsReaders = new Set<string>();
  /** Initialisers of the cell's `const x = ...`, to look one step through a variable. */
  private readonly initialisers = new Map<string, ts.Expression>();
  private readonly seenComments = new Set<number>();

  constructor(private readonly file: ts.SourceFile) {}

  read(): CellReading {
    const reading = this.reading;
    this.syntax();
    for (const statement of this.file.statements) this.topLevel(statement);
    reading.declares = [...new Set(reading.declares)];
    const last = this.file.statements[this.file.statements.length - 1];
    if (last && ts.isExpressionStatement(last)) reading.trailingExpression = { start: last.expression.getStart(this.file), end: last.expression.end };
    const upToLast = last ? this.file.text.slice(0, last.end) : "";
    if (last && !upToLast.endsWith(";") && !upToLast.endsWith("}")) reading.openEnd = last.end;
    this.visit(this.file, false);
    this.comments(this.file.endOfFileToken);
    for (const statement of reading.imports) {
      const reason = INTERACTIVE_MODULES[statement.module];
      if (reason) this.interactive(reason);
    }
    return reading;
  }

  private syntax(): void {
    const diagnostics = (this.file as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
    const first = diagnostics[0];
    if (!first) return;
    const position = this.file.getLineAndCharacterOfPosition(first.start);
    this.reading.syntaxError = { message: ts.flattenDiagnosticMessageText(first.messageText, "\n"), line: position.line + 1, column: position.character + 1 };
  }

  private topLevel(statement: ts.Statement): void {
    const declares = this.reading.declares;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        bindingNames(declaration.name, declares);
        if (ts.isIdentifier(declaration.name) && declaration.initializer) this.initialisers.set(declaration.name.text, declaration.initializer);
      }
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement)) &&
      statement.name
    ) {
      declares.push(statement.name.text);
    } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
      declares.push(statement.name.text);
    } else if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      this.importDeclaration(statement, statement.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      declares.push(statement.name.text);
    }
  }

  private importDeclaration(statement: ts.ImportDeclaration, module: string): void {
    const clause = statement.importClause;
    const found: CellImport = { module, start: statement.getStart(this.file), end: statement.end, typeOnly: clause?.isTypeOnly ?? false, named: [] };
    if (clause?.name) {
      found.default = clause.name.text;
      if (module === TFJS_VIS.module) this.visNamespaces.add(clause.name.text);
    }
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) {
      found.namespace = bindings.name.text;
      if (module === RUNTIME_MODULE) this.runtimeNamespaces.add(bindings.name.text);
      if (module === TFJS_VIS.module) this.visNamespaces.add(bindings.name.text);
    } else if (bindings) {
      for (const element of bindings.elements) {
        const imported = (element.propertyName ?? element.name).text;
        found.named.push({ imported, local: element.name.text, typeOnly: element.isTypeOnly });
        if (module === RUNTIME_MODULE) this.aliases.set(element.name.text, imported);
        if (FS_MODULES.includes(module) && NODE_FILE_READERS.includes(imported)) this.fsReaders.add(element.name.text);
      }
    }
    this.reading.imports.push(found);
    this.reading.declares.push(...[found.default, found.namespace, ...found.named.map((n) => n.local)].filter((n): n is string => !!n));
  }

  /** `inSpec`: inside a Vega-Lite spec literal, which counts once as a picture: its calls are not weighed again. */
  private visit(node: ts.Node, inSpec: boolean): void {
    this.comments(node);
    const reading = this.reading;
    if (ts.isIdentifier(node)) {
      if (isReference(node)) {
        reading.uses.add(node.text);
        const reason = INTERACTIVE_GLOBALS[node.text];
        if (reason) this.interactive(reason);
      }
      return;
    }
    if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind)) touch(node.left, reading.touches);
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && isIncrement(node.operator)) touch(node.operand, reading.touches);
    if (isProcessStdin(node)) this.interactive("reads interactive input (process.stdin)");
    if (ts.isCallExpression(node)) {
      if (ts.isPropertyAccessExpression(node.expression) || ts.isElementAccessExpression(node.expression)) touch(node.expression.expression, reading.touches);
      for (const argument of node.arguments) {
        collectStrings(argument, reading.callStrings);
        // train(model, data) may change model as surely as model.fit(data) does.
        if (ts.isIdentifier(argument)) reading.touches.add(argument.text);
      }
      if (!inSpec) this.call(node);
    } else if (!inSpec && ts.isObjectLiteralExpression(node) && isVegaSpec(node)) {
      // A spec literal counts once; its layers and encodings are part of the same picture.
      reading.visuals.push({ name: "vega-lite spec", range: this.range(node), singleExample: false });
      inSpec = true;
    }
    ts.forEachChild(node, (child) => this.visit(child, inSpec));
  }

  private interactive(reason: string): void {
    if (!this.reading.interactive.includes(reason)) this.reading.interactive.push(reason);
  }

  private call(call: ts.CallExpression): void {
    const callee = dottedName(call.expression);
    if (callee === undefined) return;
    const range = this.range(call);
    this.fileRead(call, callee);

    if (Object.hasOwn(RANDOM_SOURCES, callee)) {
      const seedIndex = RANDOM_SOURCES[callee];
      this.reading.randomness.push({ name: callee, range, seeded: seedIndex !== null && call.arguments.length > seedIndex });
      return;
    }
    const parts = callee.split(".");
    if (parts.length >= 3 && this.visNamespaces.has(parts[0]) && (TFJS_VIS.drawing as readonly string[]).includes(parts[1])) {
      this.reading.visuals.push({ name: callee, range, singleExample: this.showsSingleExample(call) });
      return;
    }
    if (parts.length === 2 && parts[0] === HYPOTHESES) {
      const strings = idStrings(call);
      if (strings.length) this.reading.mentions.push({ name: callee, range, strings });
      return;
    }
    const name = this.runtimeName(parts);
    const role = name === undefined ? undefined : roleOf(name);
    if (name === undefined || role === undefined) return;
    const hypothesis = hypothesisProperty(call);
    const strings = idStrings(call);
    const site: CallSite = { name, range, ...(hypothesis ? { hypothesis } : {}), ...(strings.length ? { strings } : {}), ...(passesNoValues(call) ? { placeholder: true as const } : {}) };
    // `display(verdict(...))` is a result card and `display(ablationCurves(...))` is that chart: the
    // inner call says what is shown, so the display itself is not counted again.
    if (role === "visual" && this.wrapsRuntimeCall(call)) return;
    this.record(role, site, call);
  }

  /** A call that reads a file: where its path is, as a literal or as the expression computing it. */
  private fileRead(call: ts.CallExpression, callee: string): void {
    const parts = callee.split(".");
    const runtime = this.runtimeName(parts);
    const last = parts[parts.length - 1];
    const place: FilePathPlace | undefined =
      (runtime !== undefined && Object.hasOwn(FILE_READERS, runtime) ? FILE_READERS[runtime] : undefined) ??
      (Object.hasOwn(FILE_READERS, callee) ? FILE_READERS[callee] : undefined) ??
      ((NODE_FILE_READERS.includes(last) && !this.runtimeNamespaces.has(parts[0])) || (parts.length === 1 && this.fsReaders.has(callee)) ? { argument: 0 } : undefined);
    if (!place) return;
    let node: ts.Expression | undefined = call.arguments[place.argument];
    if (node && place.property !== undefined) {
      const property = ts.isObjectLiteralExpression(node)
        ? node.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyKey(p.name) === place.property)
        : undefined;
      node = property?.initializer;
    }
    if (!node) return;
    const start = node.getStart(this.file);
    const at = { call: callee, start, end: node.end, range: this.range(node) };
    if (!ts.isStringLiteralLike(node)) {
      this.reading.reads.push({ ...at, expression: node.getText(this.file) });
      return;
    }
    const scheme = place.scheme;
    if (scheme === undefined) this.reading.reads.push({ ...at, path: node.text });
    // A URL of another scheme (http://) is no local file.
    else if (node.text.startsWith(scheme)) this.reading.reads.push({ ...at, path: node.text.slice(scheme.length), scheme });
  }

  private record(role: ApiRole, site: CallSite, call: ts.CallExpression): void {
    const reading = this.reading;
    switch (role) {
      case "visual":
        reading.visuals.push({ ...site, singleExample: this.showsSingleExample(call) });
        break;
      case "distribution":
        reading.distributions.push(site);
        reading.visuals.push({ ...site, singleExample: false });
        break;
      case "baseline":
        reading.baselines.push(site);
        break;
      case "test":
        reading.tests.push(site);
        break;
      case "correction":
        reading.corrections.push(site);
        break;
    }
  }

  /** `verdict(...)`, `fx.verdict(...)`, `v(...)` (imported alias) -> "verdict"; anything else -> undefined. */
  private runtimeName(parts: string[]): string | undefined {
    if (parts.length === 1) return this.aliases.get(parts[0]) ?? parts[0];
    if (parts.length === 2 && this.runtimeNamespaces.has(parts[0])) return parts[1];
    return undefined;
  }

  private wrapsRuntimeCall(call: ts.CallExpression): boolean {
    const first = call.arguments[0];
    const inner = first && ts.isCallExpression(first) ? dottedName(first.expression) : undefined;
    const name = inner === undefined ? undefined : this.runtimeName(inner.split("."));
    return name !== undefined && roleOf(name) !== undefined;
  }

  /**
   * An argument (or the initialiser of a `const` it names) picks one element by a literal index.
   * Not counted: a tensor's dimension (`x.shape[0]`), and what only labels the picture (template
   * strings, `title:`/`label:`/`color:`… options): `{ title: names[0] }` shows no example.
   */
  private showsSingleExample(call: ts.CallExpression): boolean {
    const seen = new Set<string>();
    const picksOne = (node: ts.Node): boolean => {
      if (isLabelOnly(node)) return false;
      if (ts.isElementAccessExpression(node) && ts.isNumericLiteral(node.argumentExpression) && !isDimension(node)) return true;
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && isSingleSlice(node)) return true;
      if (ts.isIdentifier(node) && !seen.has(node.text)) {
        seen.add(node.text);
        const init = this.initialisers.get(node.text);
        if (init && picksOne(init)) return true;
      }
      return ts.forEachChild(node, (child) => (picksOne(child) ? true : undefined)) ?? false;
    };
    return call.arguments.some(picksOne);
  }

  private comments(node: ts.Node): void {
    const text = this.file.text;
    for (const comment of ts.getLeadingCommentRanges(text, node.pos) ?? []) {
      if (this.seenComments.has(comment.pos)) continue;
      this.seenComments.add(comment.pos);
      const body = text.slice(comment.pos, comment.end);
      for (const match of body.matchAll(DIRECTIVE)) {
        let offset = comment.pos + (match.index ?? 0) + match[0].indexOf(match[1]);
        for (const id of match[1].split(",")) {
          const trimmed = id.trim();
          const start = offset + id.indexOf(trimmed);
          this.reading.links.push({ id: trimmed, range: this.offsets(start, start + trimmed.length) });
          offset += id.length + 1;
        }
      }
    }
  }

  private range(node: ts.Node): CellRange {
    return this.offsets(node.getStart(this.file), node.end);
  }

  private offsets(start: number, end: number): CellRange {
    const a = this.file.getLineAndCharacterOfPosition(start);
    const b = this.file.getLineAndCharacterOfPosition(end);
    return { line: a.line + 1, column: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1 };
  }
}

/** The names a declaration binds: `a`, and every name in `{ a, b: [c] }` patterns. */
export function bindingNames(name: ts.BindingName, into: string[]): void {
  if (ts.isIdentifier(name)) into.push(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindingNames(element.name, into);
}

/** `a`, `a.b`, `a.b.c` for identifiers and property accesses; undefined for anything computed. */
function dottedName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) {
    const left = dottedName(expression.expression);
    return left === undefined ? undefined : `${left}.${expression.name.text}`;
  }
  if (ts.isParenthesizedExpression(expression) || ts.isNonNullExpression(expression)) return dottedName(expression.expression);
  return undefined;
}

/** String-literal arguments that look like an id. */
function idStrings(call: ts.CallExpression): string[] {
  return call.arguments.flatMap((argument) => (ts.isStringLiteralLike(argument) && ID_LIKE.test(argument.text) ? [argument.text] : []));
}

/** See `CallSite.placeholder`. Comments are not values: an array holding only a comment is empty. */
function passesNoValues(call: ts.CallExpression): boolean {
  const empty = (node: ts.Node) => ts.isArrayLiteralExpression(node) && node.elements.length === 0;
  const emptyInside = (argument: ts.Expression) =>
    empty(argument) || (ts.isObjectLiteralExpression(argument) && argument.properties.some((p) => ts.isPropertyAssignment(p) && empty(p.initializer)));
  return call.arguments.some(emptyInside) || call.arguments.every((argument) => ts.isStringLiteralLike(argument));
}

/** A `hypothesis: "H1"` property of an object argument. */
function hypothesisProperty(call: ts.CallExpression): string | undefined {
  for (const argument of call.arguments) {
    if (!ts.isObjectLiteralExpression(argument)) continue;
    for (const property of argument.properties) {
      if (
        ts.isPropertyAssignment(property) &&
        propertyKey(property.name) === "hypothesis" &&
        ts.isStringLiteralLike(property.initializer) &&
        ID_LIKE.test(property.initializer.text)
      ) {
        return property.initializer.text;
      }
    }
  }
  return undefined;
}

function propertyKey(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}

/** `$schema: "...vega..."`, or `mark` with `encoding`/`data`: a Vega or Vega-Lite spec literal. */
function isVegaSpec(object: ts.ObjectLiteralExpression): boolean {
  let mark = false;
  let body = false;
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
    const key = propertyKey(property.name);
    if (key === "$schema" && ts.isPropertyAssignment(property) && ts.isStringLiteralLike(property.initializer)) {
      if (property.initializer.text.includes("vega")) return true;
    }
    if (key === "mark") mark = true;
    if (key === "encoding" || key === "data") body = true;
  }
  return mark && body;
}

/** Option names whose values only label a picture. */
const LABEL_OPTIONS = new Set(["title", "subtitle", "caption", "description", "label", "labels", "name", "names", "color", "colors", "colour", "colours", "legend", "xLabel", "yLabel", "xTitle", "yTitle", "units", "format"]);

function isLabelOnly(node: ts.Node): boolean {
  if (ts.isTemplateExpression(node)) return true;
  return ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && LABEL_OPTIONS.has(node.name.text);
}

/** `x.shape[k]` (or `.strides[k]`): a size, not an example. */
function isDimension(node: ts.ElementAccessExpression): boolean {
  return ts.isPropertyAccessExpression(node.expression) && ["shape", "strides"].includes(node.expression.name.text);
}

/** `x.slice(3, 4)` or `x.gather(3)` / `x.gather([3])`: one element. */
function isSingleSlice(call: ts.CallExpression): boolean {
  const method = (call.expression as ts.PropertyAccessExpression).name.text;
  const [a, b] = call.arguments;
  // An array's slice(i, i + 1), or a tensor's slice(begin, 1) (tfjs takes a size, not an end).
  if (method === "slice" && a && b && ts.isNumericLiteral(a) && ts.isNumericLiteral(b)) return Number(b.text) - Number(a.text) === 1 || Number(b.text) === 1;
  if (method === "gather" && a) {
    if (ts.isNumericLiteral(a)) return true;
    return ts.isArrayLiteralExpression(a) && a.elements.length === 1 && ts.isNumericLiteral(a.elements[0]);
  }
  return false;
}

/** False for identifiers that name something rather than refer to it: `a.b`'s b, `{ b: 1 }`'s b, declarations, labels. */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!parent) return true;
  if ((ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent)) && (parent as ts.PropertyAccessExpression).name === node) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === node) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  return !(isNamedDeclaration(parent) && (parent as { name?: ts.Node }).name === node);
}

function isNamedDeclaration(node: ts.Node): boolean {
  return (
    ts.isVariableDeclaration(node) ||
    ts.isFunctionDeclaration(node) ||
    ts.isClassDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isClassExpression(node) ||
    ts.isParameter(node) ||
    ts.isBindingElement(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isPropertyDeclaration(node) ||
    ts.isPropertySignature(node) ||
    ts.isMethodSignature(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isEnumDeclaration(node) ||
    ts.isEnumMember(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    ts.isTypeParameterDeclaration(node) ||
    ts.isImportSpecifier(node) ||
    ts.isImportClause(node) ||
    ts.isNamespaceImport(node)
  );
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function isIncrement(operator: ts.SyntaxKind): boolean {
  return operator === ts.SyntaxKind.PlusPlusToken || operator === ts.SyntaxKind.MinusMinusToken;
}

/** The root variable of `x`, `x.a.b`, `x[i]`: what an assignment or a method call may change. */
function touch(target: ts.Node, touches: Set<string>): void {
  let node = target;
  while (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) {
    node = node.expression;
  }
  if (ts.isIdentifier(node)) touches.add(node.text);
  else if (ts.isObjectLiteralExpression(node) || ts.isArrayLiteralExpression(node)) {
    node.forEachChild(function each(child) {
      if (ts.isIdentifier(child)) touches.add(child.text);
      else child.forEachChild(each);
    });
  }
}

function collectStrings(node: ts.Node, into: Set<string>): void {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) into.add(node.text);
  else if (ts.isObjectLiteralExpression(node) || ts.isArrayLiteralExpression(node) || ts.isPropertyAssignment(node)) {
    node.forEachChild((child) => collectStrings(child, into));
  }
}

function isProcessStdin(node: ts.Node): boolean {
  return ts.isPropertyAccessExpression(node) && node.name.text === "stdin" && ts.isIdentifier(node.expression) && node.expression.text === "process";
}
