// A bundled export (`falsify export --bundle`): one .mjs that runs in an empty folder with nothing
// but node. The generated script imports its runtime from "falsify/script"; here that one import
// becomes the runtime itself (dist/standalone.js: the script runtime with tfjs, its wasm binaries
// and vega inside, a CommonJS bundle), evaluated in place with the require, module and __dirname
// it would have next to the script. Only our own import statement is replaced: the cells' code is
// exactly what the generator wrote and verified.
import { builtinModules } from "node:module";
import { SCRIPT_RUNTIME_MODULE } from "../cell/environment";
import type { CellReading } from "../cell/reading";
import { literal } from "./inert";

/** The statement every generated script starts its code with. */
export const RUNTIME_IMPORT = `import { startScript } from ${literal(SCRIPT_RUNTIME_MODULE)};`;

/** `script` (generated JavaScript) with its runtime import replaced by `runtime` (dist/standalone.js). */
export function embedRuntime(script: string, runtime: string): string {
  const at = script.indexOf(`\n${RUNTIME_IMPORT}\n`);
  if (at < 0 || script.indexOf(`\n${RUNTIME_IMPORT}\n`, at + 1) >= 0) throw new Error("the generated script does not import its runtime exactly once");
  const embedded = [
    'import { createRequire as __falsifyCreateRequire } from "node:module";',
    'import { fileURLToPath as __falsifyFileURLToPath } from "node:url";',
    'import { dirname as __falsifyDirname } from "node:path";',
    "// The falsify script runtime (with TensorFlow.js and vega), as it would load from node_modules.",
    "const { startScript } = ((module) => {",
    "  const __filename = __falsifyFileURLToPath(import.meta.url);",
    "  (function (exports, require, module, __filename, __dirname) {",
    runtime.trimEnd(),
    "  })(module.exports, __falsifyCreateRequire(import.meta.url), module, __filename, __falsifyDirname(__filename));",
    "  return module.exports;",
    "})({ exports: {} });",
  ].join("\n");
  return `${script.slice(0, at + 1)}${embedded}${script.slice(at + 1 + RUNTIME_IMPORT.length)}`;
}

/** Modules the cells import that a bundled script cannot carry (it embeds no bundler's output yet): packages and the user's files. */
export function unbundledImports(readings: readonly CellReading[], isCarried: (module: string) => boolean): string[] {
  const modules = readings.flatMap((reading) => reading.imports.filter((statement) => !statement.typeOnly).map((statement) => statement.module));
  return [...new Set(modules)].filter((module) => !isCarried(module) && !isBuiltin(module));
}

function isBuiltin(module: string): boolean {
  return module.startsWith("node:") || builtinModules.includes(module);
}
