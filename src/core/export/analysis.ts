// What one TypeScript cell declares and uses at top level, read with the TypeScript compiler API.
// Export builds the dependency closure of a cell from these facts and refuses cells that read
// interactive state. Deliberately conservative: an identifier shadowed by a local of the same name
// still counts as a use (an extra dependency costs run time; a missing one breaks the script).
import ts from "typescript";
import { KERNEL_HOOKS_GLOBAL } from "../cell/environment";

export interface CellFacts {
  /** Top-level names the cell declares: variables, functions, classes, enums, types, imports. */
  declared: string[];
  /** Names the cell refers to (declared here or not): the candidates for dependencies. */
  used: Set<string>;
  /** Names the cell assigns to, calls a method on or passes to a call, at any depth: it may change them. */
  touched: Set<string>;
  imports: ImportFacts[];
  /** String literals passed to calls (directly or inside object literals): hypothesis ids, often. */
  callStrings: Set<string>;
  /** `// @hypothesis H1` comments. */
  hypothesisTags: string[];
  /** Why the cell cannot run outside the notebook, if it cannot (first reason per kind). */
  interactive: string[];
  /** The last statement, when it is an expression statement: the kernel displays its value. */
  trailingExpression?: { start: number; end: number };
  /** Where the last statement ends, when it has no `;` (the next cell could continue it: ASI). */
  openEnd?: number;
  /** A syntax error, if the cell does not parse. */
  syntaxError?: { message: string; line: number; column: number };
  file: ts.SourceFile;
}

export interface ImportFacts {
  module: string;
  /** Offsets of the whole statement in the cell source. */
  start: number;
  end: number;
  typeOnly: boolean;
  default?: string;
  namespace?: string;
  named: { imported: string; local: string; typeOnly: boolean }[];
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

export function analyzeCell(source: string): CellFacts {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const facts: CellFacts = {
    declared: [],
    used: new Set(),
    touched: new Set(),
    imports: [],
    callStrings: new Set(),
    hypothesisTags: [...source.matchAll(/\/\/\s*@hypothesis\s+([A-Za-z][A-Za-z0-9_.-]*)/g)].map((m) => m[1]),
    interactive: [],
    file,
  };
  const diagnostics = (file as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (diagnostics.length) {
    const first = diagnostics[0];
    const position = file.getLineAndCharacterOfPosition(first.start);
    facts.syntaxError = { message: ts.flattenDiagnosticMessageText(first.messageText, "\n"), line: position.line + 1, column: position.character + 1 };
  }

  for (const statement of file.statements) collectDeclarations(statement, facts);
  const last = file.statements[file.statements.length - 1];
  if (last && ts.isExpressionStatement(last)) facts.trailingExpression = { start: last.expression.getStart(file), end: last.expression.end };
  if (last && !source.slice(0, last.end).endsWith(";") && !source.slice(0, last.end).endsWith("}")) facts.openEnd = last.end;

  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && isReference(node)) {
      facts.used.add(node.text);
      const reason = INTERACTIVE_GLOBALS[node.text];
      if (reason) addReason(facts, reason);
    }
    if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind)) touch(node.left, facts);
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && isIncrement(node.operator)) touch(node.operand, facts);
    if (ts.isCallExpression(node)) {
      if (ts.isPropertyAccessExpression(node.expression) || ts.isElementAccessExpression(node.expression)) touch(node.expression.expression, facts);
      for (const argument of node.arguments) {
        collectStrings(argument, facts.callStrings);
        // train(model, data) may change model as surely as model.fit(data) does.
        if (ts.isIdentifier(argument)) facts.touched.add(argument.text);
      }
    }
    if (isProcessStdin(node)) addReason(facts, "reads interactive input (process.stdin)");
    ts.forEachChild(node, visit);
  };
  visit(file);
  for (const statement of facts.imports) {
    const reason = INTERACTIVE_MODULES[statement.module];
    if (reason) addReason(facts, reason);
  }
  return facts;
}

function addReason(facts: CellFacts, reason: string): void {
  if (!facts.interactive.includes(reason)) facts.interactive.push(reason);
}

function collectDeclarations(statement: ts.Statement, facts: CellFacts): void {
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) bindingNames(declaration.name, facts.declared);
  } else if (
    (ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement)) &&
    statement.name
  ) {
    if (!facts.declared.includes(statement.name.text)) facts.declared.push(statement.name.text);
  } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
    facts.declared.push(statement.name.text);
  } else if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
    const clause = statement.importClause;
    const facts_: ImportFacts = {
      module: statement.moduleSpecifier.text,
      start: statement.getStart(),
      end: statement.end,
      typeOnly: clause?.isTypeOnly ?? false,
      named: [],
    };
    if (clause?.name) facts_.default = clause.name.text;
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) facts_.namespace = bindings.name.text;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        facts_.named.push({ imported: (element.propertyName ?? element.name).text, local: element.name.text, typeOnly: element.isTypeOnly });
      }
    }
    facts.imports.push(facts_);
    facts.declared.push(...[facts_.default, facts_.namespace, ...facts_.named.map((n) => n.local)].filter((n): n is string => !!n));
  } else if (ts.isImportEqualsDeclaration(statement)) {
    facts.declared.push(statement.name.text);
  }
}

function bindingNames(name: ts.BindingName, into: string[]): void {
  if (ts.isIdentifier(name)) into.push(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindingNames(element.name, into);
}

/** False for identifiers that name something rather than refer to it: `a.b`'s b, `{ b: 1 }`'s b, declarations. */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!parent) return true;
  if ((ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent)) && (parent as ts.PropertyAccessExpression).name === node) {
    return false;
  }
  if (ts.isPropertyAssignment(parent) && parent.name === node) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  if (
    (ts.isVariableDeclaration(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isFunctionExpression(parent) ||
      ts.isClassExpression(parent) ||
      ts.isParameter(parent) ||
      ts.isBindingElement(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isGetAccessorDeclaration(parent) ||
      ts.isSetAccessorDeclaration(parent) ||
      ts.isEnumDeclaration(parent) ||
      ts.isEnumMember(parent) ||
      ts.isInterfaceDeclaration(parent) ||
      ts.isTypeAliasDeclaration(parent) ||
      ts.isTypeParameterDeclaration(parent) ||
      ts.isImportSpecifier(parent) ||
      ts.isImportClause(parent) ||
      ts.isNamespaceImport(parent) ||
      ts.isLabeledStatement(parent) ||
      ts.isBreakOrContinueStatement(parent)) &&
    (parent as { name?: ts.Node }).name === node
  ) {
    return false;
  }
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  return true;
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function isIncrement(operator: ts.SyntaxKind): boolean {
  return operator === ts.SyntaxKind.PlusPlusToken || operator === ts.SyntaxKind.MinusMinusToken;
}

/** The root variable of `x`, `x.a.b`, `x[i]`: what an assignment or a method call may change. */
function touch(target: ts.Node, facts: CellFacts): void {
  let node = target;
  while (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) {
    node = node.expression;
  }
  if (ts.isIdentifier(node)) facts.touched.add(node.text);
  else if (ts.isObjectLiteralExpression(node) || ts.isArrayLiteralExpression(node)) {
    node.forEachChild(function each(child) {
      if (ts.isIdentifier(child)) facts.touched.add(child.text);
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
