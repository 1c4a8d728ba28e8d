// How imports resolve in the kernel, for cells and for everything they load:
//   @tensorflow/tfjs, -core, -node, -layers  -> the kernel's ONE tfjs instance (tensors interoperate)
//   falsify                                   -> the kernel's runtime library (`fx`)
//   npm packages                              -> node_modules of the notebook's folder (and up)
//   ./relative.ts / .js                       -> the user's files; TypeScript transpiled on the fly
// Module._load is the one hook every require() passes through, including those inside packages.
import { readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { transpileModule } from "../core/kernel/transpile";

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const ModuleInternals = Module as unknown as {
  _load: Loader;
  _extensions: Record<string, (module: { _compile(code: string, filename: string): void }, filename: string) => void>;
};

export interface ModuleResolver {
  /** `import x from "m"` in a cell: an ES-module-like namespace (`default` = CommonJS exports). */
  import(specifier: string): Promise<Record<string, unknown>>;
  /** `require` for cells, rooted at the notebook's folder. */
  require: NodeRequire;
}

/** The module the kernel provides for an import (made when first imported: tfjs loads only then), if it is one of its own. */
export type KernelModules = (request: string) => { exports: unknown } | undefined;

export function installModuleHooks(notebookDir: string, aliases: KernelModules): ModuleResolver {
  const load = ModuleInternals._load;
  ModuleInternals._load = function (request, parent, isMain) {
    const alias = aliases(request);
    return alias ? alias.exports : load.call(this, request, parent, isMain);
  };
  for (const extension of [".ts", ".tsx", ".mts", ".cts"]) {
    ModuleInternals._extensions[extension] = (module, filename) => module._compile(transpileModule(readFileSync(filename, "utf8"), filename), filename);
  }
  process.setSourceMapsEnabled?.(true);

  const cellRequire = createRequire(join(notebookDir, "<cell>.js"));
  const namespaces = new WeakMap<object, Record<string, unknown>>();
  const namespace = (exports: unknown): Record<string, unknown> => {
    if ((typeof exports !== "object" && typeof exports !== "function") || exports === null) return { default: exports };
    // An ES module (require(esm) on newer Node) or compiled ESM: already a namespace.
    if ((exports as { __esModule?: boolean }).__esModule || Object.prototype.toString.call(exports) === "[object Module]") return exports as Record<string, unknown>;
    let ns = namespaces.get(exports);
    if (!ns) namespaces.set(exports, (ns = { ...(exports as Record<string, unknown>), default: exports }));
    return ns;
  };
  return {
    require: cellRequire,
    async import(specifier) {
      const alias = aliases(specifier);
      if (alias) return namespace(alias.exports);
      try {
        return namespace(cellRequire(specifier));
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== "ERR_REQUIRE_ESM" && code !== "ERR_REQUIRE_ASYNC_MODULE") throw error;
        // An ES-module-only package: load it natively.
        return (await import(pathToFileURL(cellRequire.resolve(specifier)).href)) as Record<string, unknown>;
      }
    },
  };
}
