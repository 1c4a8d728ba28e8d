import assert from "node:assert/strict";
import { test } from "node:test";
import ts from "typescript";
import { FILE_READERS, KERNEL_GLOBAL_ROLES, RUNTIME_ROLES } from "../../../src/core/cell/api-roles";

/** The value exports of src/runtime/index.ts, read by the type checker (no module side effects). */
function runtimeExports(): Set<string> {
  const entry = "src/runtime/index.ts";
  const program = ts.createProgram([entry], { target: ts.ScriptTarget.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ES2022, noResolve: false, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(entry);
  assert.ok(file, "runtime entry not found");
  const module = checker.getSymbolAtLocation(file);
  assert.ok(module, "runtime entry is not a module");
  const values = checker.getExportsOfModule(module).filter((symbol) => {
    const resolved = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return (resolved.flags & ts.SymbolFlags.Value) !== 0;
  });
  return new Set(values.map((symbol) => symbol.name));
}

test("every runtime name the linter gives a role is really exported by the runtime", () => {
  const exported = runtimeExports();
  assert.ok(exported.has("chartMeta"), "sanity: the display contract is exported");
  const missing = Object.keys(RUNTIME_ROLES).filter((name) => !exported.has(name));
  assert.deepEqual(missing, [], `api-roles.ts lists names src/runtime/index.ts does not export: ${missing.join(", ")}`);
});

test("kernel globals are not runtime exports (they are defined by the kernel, not imported)", () => {
  const exported = runtimeExports();
  for (const name of Object.keys(KERNEL_GLOBAL_ROLES)) assert.ok(!exported.has(name), `${name} is a runtime export: move it to RUNTIME_ROLES`);
});

test("every runtime loader the export carries files for is really exported by the runtime", () => {
  const exported = runtimeExports();
  const missing = Object.keys(FILE_READERS).filter((name) => !name.includes(".") && !exported.has(name));
  assert.deepEqual(missing, [], `FILE_READERS lists names src/runtime/index.ts does not export: ${missing.join(", ")}`);
});
