// What one TypeScript cell does, as far as falsifiability goes, read statically from its syntax
// tree (TypeScript compiler API; never regexes over code): which pictures it shows, which controls
// and tests it computes, which hypotheses it names, where it draws unseeded random numbers, and which
// top-level names it declares and uses (the notebook's dependency graph). Pure and cached by source
// hash, so one edited cell is the only one re-read.
import ts from "typescript";
import type { CellRange } from "../hypothesis";
import { RUNTIME_MODULE, type CellGlobal } from "../cell/environment";
import { RANDOM_SOURCES, roleOf, TFJS_VIS, type ApiRole } from "./api-roles";

export interface CallSite {
  /** The API name (for runtime calls) or dotted callee (for random sources and tfjs-vis). */
  name: string;
  range: CellRange;
  /** The hypothesis id the call names with a `hypothesis: "H1"` property. */
  hypothesis?: string;
  /** Id-like string arguments (`verdict("H1", ...)`); the model keeps those naming a hypothesis. */
  strings?: string[];
}

export interface VisualSite extends CallSite {
  /** The picture shows one hand-picked example (e.g. `display(attribution(images[3]))`). */
  singleExample: boolean;
}

export interface CodeFacts {
  /** `// @hypothesis H1` (or `H1, H2`) comments. */
  links: { id: string; range: CellRange }[];
  visuals: VisualSite[];
  /** Calls that put examples in a distribution context. */
  distributions: CallSite[];
  baselines: CallSite[];
  tests: CallSite[];
  corrections: CallSite[];
  /** Hypothesis ids named by runtime calls that are none of the above (e.g. `hypotheses.get("H1")`). */
  mentions: CallSite[];
  randomness: (CallSite & { seeded: boolean })[];
  /** Top-level names this cell declares (visible to later cells). */
  declares: string[];
  /** Identifiers this cell reads (over-approximated: any identifier that is not a property name). */
  uses: Set<string>;
}

const DIRECTIVE = /@hypothesis\s+([A-Za-z][\w.-]*(?:\s*,\s*[A-Za-z][\w.-]*)*)/g;
const ID_LIKE = /^[A-Za-z][A-Za-z0-9_.-]*$/;

export function analyzeCode(source: string): CodeFacts {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return new CellReader(file).read();
}

class CellReader {
  private readonly facts: CodeFacts = {
    links: [],
    visuals: [],
    distributions: [],
    baselines: [],
    tests: [],
    corrections: [],
    mentions: [],
    randomness: [],
    declares: [],
    uses: new Set(),
  };
  /** Local alias -> runtime name, from `import { verdict as v } from "falsify"`. */
  private readonly aliases = new Map<string, string>();
  /** Local names of the runtime namespace (`fx`, `import * as F from "falsify"`) and of tfjs-vis. */
  private readonly runtimeNamespaces = new Set<string>(["fx" satisfies CellGlobal]);
  private readonly visNamespaces = new Set<string>([TFJS_VIS.global]);
  /** Initialisers of the cell's `const x = ...`, to look one step through a variable. */
  private readonly initialisers = new Map<string, ts.Expression>();
  private readonly seenComments = new Set<number>();

  constructor(private readonly file: ts.SourceFile) {}

  read(): CodeFacts {
    for (const statement of this.file.statements) this.topLevel(statement);
    this.visit(this.file);
    this.comments(this.file.endOfFileToken);
    return this.facts;
  }

  private topLevel(statement: ts.Statement): void {
    const declares = this.facts.declares;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        bindingNames(declaration.name, declares);
        if (ts.isIdentifier(declaration.name) && declaration.initializer) this.initialisers.set(declaration.name.text, declaration.initializer);
      }
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
      declares.push(statement.name.text);
    } else if (ts.isImportDeclaration(statement)) {
      this.importClause(statement);
    }
  }

  private importClause(statement: ts.ImportDeclaration): void {
    const clause = statement.importClause;
    if (!clause || !ts.isStringLiteral(statement.moduleSpecifier)) return;
    const module = statement.moduleSpecifier.text;
    if (clause.name) this.facts.declares.push(clause.name.text);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) {
      this.facts.declares.push(bindings.name.text);
      if (module === RUNTIME_MODULE) this.runtimeNamespaces.add(bindings.name.text);
      if (module === TFJS_VIS.module) this.visNamespaces.add(bindings.name.text);
    } else if (bindings) {
      for (const element of bindings.elements) {
        this.facts.declares.push(element.name.text);
        if (module === RUNTIME_MODULE) this.aliases.set(element.name.text, (element.propertyName ?? element.name).text);
      }
    }
    if (clause.name && module === TFJS_VIS.module) this.visNamespaces.add(clause.name.text);
  }

  private visit(node: ts.Node): void {
    this.comments(node);
    if (ts.isIdentifier(node)) {
      if (!isPropertyName(node)) this.facts.uses.add(node.text);
      return;
    }
    if (ts.isCallExpression(node)) this.call(node);
    else if (ts.isObjectLiteralExpression(node) && isVegaSpec(node)) {
      // A spec literal counts once; its layers and encodings are part of the same picture.
      this.facts.visuals.push({ name: "vega-lite spec", range: this.range(node), singleExample: false });
      ts.forEachChild(node, (child) => this.usesOnly(child));
      return;
    }
    ts.forEachChild(node, (child) => this.visit(child));
  }

  /** Inside a spec literal: still collect identifiers (the dependency graph needs them). */
  private usesOnly(node: ts.Node): void {
    if (ts.isIdentifier(node) && !isPropertyName(node)) this.facts.uses.add(node.text);
    ts.forEachChild(node, (child) => this.usesOnly(child));
  }

  private call(call: ts.CallExpression): void {
    const callee = dottedName(call.expression);
    if (callee === undefined) return;
    const range = this.range(call);

    if (Object.hasOwn(RANDOM_SOURCES, callee)) {
      const seedIndex = RANDOM_SOURCES[callee];
      this.facts.randomness.push({ name: callee, range, seeded: seedIndex !== null && call.arguments.length > seedIndex });
      return;
    }
    const parts = callee.split(".");
    if (parts.length >= 3 && this.visNamespaces.has(parts[0]) && (TFJS_VIS.drawing as readonly string[]).includes(parts[1])) {
      this.facts.visuals.push({ name: callee, range, singleExample: this.showsSingleExample(call) });
      return;
    }
    // `hypotheses.get("H1")` (the cell global) links the cell to H1.
    if (parts.length === 2 && parts[0] === ("hypotheses" satisfies CellGlobal)) {
      const strings = idStrings(call);
      if (strings.length) this.facts.mentions.push({ name: callee, range, strings });
      return;
    }
    const name = this.runtimeName(parts);
    const role = name === undefined ? undefined : roleOf(name);
    if (name === undefined || role === undefined) return;
    const hypothesis = hypothesisProperty(call);
    const strings = idStrings(call);
    const site: CallSite = { name, range, ...(hypothesis ? { hypothesis } : {}), ...(strings.length ? { strings } : {}) };
    // `display(verdict(...))` is a result card and `display(ablationCurves(...))` is that chart: the
    // inner call says what is shown, so the display itself is not counted again.
    if (role === "visual" && this.wrapsRuntimeCall(call)) return;
    this.record(role, site, call);
  }

  private record(role: ApiRole, site: CallSite, call: ts.CallExpression): void {
    switch (role) {
      case "visual":
        this.facts.visuals.push({ ...site, singleExample: this.showsSingleExample(call) });
        break;
      case "distribution":
        this.facts.distributions.push(site);
        this.facts.visuals.push({ ...site, singleExample: false });
        break;
      case "baseline":
        this.facts.baselines.push(site);
        break;
      case "test":
        this.facts.tests.push(site);
        break;
      case "correction":
        this.facts.corrections.push(site);
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
          this.facts.links.push({ id: trimmed, range: this.offsets(start, start + trimmed.length) });
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

/** A `hypothesis: "H1"` property of an object argument. */
function hypothesisProperty(call: ts.CallExpression): string | undefined {
  for (const argument of call.arguments) {
    if (ts.isObjectLiteralExpression(argument)) {
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

/** `x.slice(3, 4)` or `x.gather(3)` / `x.gather([3])`: one element. */
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

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isPropertySignature(parent) && parent.name === node) ||
    (ts.isMethodDeclaration(parent) && parent.name === node)
  );
}

function bindingNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindingNames(element.name, out);
}
