// The layering rule, enforced: src/core runs in plain Node and in the kernel, so it may not import
// `vscode`, the VS Code glue, the browser renderer or DOM-only packages. (DOM globals are kept out by
// tsconfig.core.json, whose `lib` has no DOM.)
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import ts from "typescript";

const FORBIDDEN_IN_CORE: [RegExp, string][] = [
  [/^vscode$/, "src/core must not import `vscode`: put VS Code glue in src/vscode and pass plain data in."],
  [/(^|\/)vscode\//, "src/core must not import the VS Code glue (src/vscode)."],
  [/(^|\/)renderer\//, "src/core must not import the browser renderer (src/renderer)."],
  [/^vega-embed$/, "vega-embed needs a DOM: embedding is the renderer's job; core builds plain specs."],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

export function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0]) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require"))
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Import cycles among the files under `dir` (relative imports, type-only ones too), each as a path. */
export function importCycles(dir: string): string[][] {
  const local = (from: string, specifier: string) =>
    specifier.startsWith(".") ? [`${join(dirname(from), specifier)}.ts`, join(dirname(from), specifier, "index.ts")].find((file) => existsSync(file)) : undefined;
  const graph = new Map(sourceFiles(dir).map((file) => [file, importsOf(file).flatMap((s) => local(file, s) ?? [])]));
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next) && graph.has(next)) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

test("src/core imports neither vscode, nor the glue, nor the renderer", () => {
  const violations: string[] = [];
  for (const file of sourceFiles("src/core")) {
    for (const specifier of importsOf(file)) {
      for (const [pattern, why] of FORBIDDEN_IN_CORE) {
        if (pattern.test(specifier)) violations.push(`${file}: import "${specifier}": ${why}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test("the boundary check really sees imports (it must be able to fail)", () => {
  const probe = join("test", "fixtures", "architecture", "imports-vscode.ts");
  assert.deepEqual(importsOf(probe), ["vscode", "../vscode/log", "vega-embed"]);
});

// A cycle makes the load order decide what is undefined at import time, and makes a module
// impossible to read on its own: shared types live in a module both sides import (cli/command.ts).
test("src has no import cycles", () => {
  assert.deepEqual(importCycles("src").map((cycle) => cycle.join(" -> ")), []);
});

test("the cycle check really finds a cycle (it must be able to fail)", () => {
  const dir = join("test", "fixtures", "architecture", "cycle");
  assert.deepEqual(importCycles(dir), [[join(dir, "a.ts"), join(dir, "b.ts"), join(dir, "a.ts")]]);
});
