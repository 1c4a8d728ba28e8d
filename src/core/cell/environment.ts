// What a cell sees when it runs, written down once: the kernel and an exported script's runtime
// install it from here, export binds a script's imports by it, and the linter reads cells by it. A
// notebook run (editor or `falsify run`, both the kernel) and its exported script then agree.
//
//   globals    tf, display, hypotheses, fx, rng, require: usable in every cell without a declaration
//   modules    every tfjs entry point is the one `tf`; "falsify" is `fx`; "falsify/script" starts a script
//   seeding    metadata.seed, else 0; Math.random and `rng` restart from it when a kernel or script starts
import type { Tf } from "../backend";
import type { Hypothesis } from "../hypothesis";
import { createRng, type Rng } from "../stats/rng";

/** Shows a value as the running cell's output (MIME type chosen from the value unless named). */
export type Display = (value: unknown, mime?: string) => void;

/** The globals every cell can use without declaring them. `Runtime` is the runtime library's type. */
export interface CellGlobals<Runtime = unknown> {
  /** The one TensorFlow.js instance: every tfjs import of the cells (and of their packages) is this. */
  tf: Tf;
  /** Also shows a cell's trailing expression. */
  display: Display;
  /** Hypothesis cells by id: those that have run (kernel) or those the script embeds. */
  hypotheses: Map<string, Hypothesis>;
  /** The runtime library as a namespace: what `import ... from "falsify"` gives. */
  fx: Runtime;
  /** The cells' random stream, from the seeding rule below. */
  rng: Rng;
  /** Node's `require`, resolving from the notebook's folder (an ES module script has none of its own). */
  require: NodeRequire;
}

/** The names of the cell globals, in the order exported scripts bind them. */
export const CELL_GLOBALS = ["tf", "display", "hypotheses", "fx", "rng", "require"] as const satisfies readonly (keyof CellGlobals)[];
export type CellGlobal = (typeof CELL_GLOBALS)[number];

/** A global made when code first reads it: the kernel's `tf` and `fx`, loaded only for cells that use them. */
export class LazyGlobal<T> {
  constructor(readonly make: () => T) {}
}

/** Makes the globals visible to cells run in this process (kernel cells, a script's cells). */
export function installCellGlobals<Runtime>(globals: { [Name in CellGlobal]: CellGlobals<Runtime>[Name] | LazyGlobal<CellGlobals<Runtime>[Name]> }): void {
  for (const [name, value] of Object.entries(globals)) {
    const define = (value: unknown) => Object.defineProperty(globalThis, name, { value, writable: true, enumerable: true, configurable: true });
    if (!(value instanceof LazyGlobal)) define(value);
    // Read once, it becomes a plain global (which a cell may reassign, as any other).
    else {
      const get = () => {
        const made = value.make();
        define(made);
        return made;
      };
      Object.defineProperty(globalThis, name, { get, set: define, enumerable: true, configurable: true });
    }
  }
}

/**
 * Names through which a cell's code can reach TensorFlow.js: the globals that are it or load it
 * (`fx`, `require`), and those that reach any global (a cell reading `globalThis.tf`). A function
 * of an earlier cell that reaches it was in a cell that named one of these, which loaded it then.
 */
const REACHES_TENSORFLOW: ReadonlySet<string> = new Set(["tf", "fx", "require", "globalThis", "global", "eval", "Function", "process", "module"]);

/**
 * Whether a cell may use TensorFlow.js, from its reading (reading.ts): it imports anything (a package or file
 * may import tfjs) or names one of REACHES_TENSORFLOW. The kernel loads tfjs before such a cell;
 * code that reaches `tf` in a way no reading shows (`this.tf`) loads it when it reads it.
 */
export function mayUseTensorFlow(reading: { uses: ReadonlySet<string>; imports: readonly unknown[] }): boolean {
  return reading.imports.length > 0 || [...REACHES_TENSORFLOW].some((name) => reading.uses.has(name));
}

/** The module a cell imports the runtime library from (it is the `fx` global). */
export const RUNTIME_MODULE = "falsify";
/** The module an exported script imports its runtime from (package.json `exports`). */
export const SCRIPT_RUNTIME_MODULE = "falsify/script";
/** The tfjs entry points a cell may import: each is the one `tf` (tensors from any of them interoperate). */
export const TFJS_MODULES = ["@tensorflow/tfjs", "@tensorflow/tfjs-core", "@tensorflow/tfjs-node", "@tensorflow/tfjs-layers"] as const;

/** The global an import of `module` stands for, if it is one of the environment's modules. */
export function moduleGlobal(module: string): "tf" | "fx" | undefined {
  if ((TFJS_MODULES as readonly string[]).includes(module)) return "tf";
  return module === RUNTIME_MODULE ? "fx" : undefined;
}

/** The kernel's own hooks that rewritten cell code calls (a non-enumerable global; cells must not use it). */
export const KERNEL_HOOKS_GLOBAL = "__falsify";

/** The seed of a notebook without a usable `metadata.seed`. */
export const DEFAULT_SEED = 0;

/** The seed a notebook runs with: `metadata.seed` when it is a finite number, else DEFAULT_SEED. */
export function notebookSeed(metadata: Record<string, unknown> | undefined): number {
  const seed = metadata?.seed;
  return typeof seed === "number" && Number.isFinite(seed) ? seed : DEFAULT_SEED;
}

/**
 * Seeds a run: Math.random (hence tfjs' unseeded random ops and weight initialisers) becomes the
 * seed's stream, and the returned `rng` is a fork of a second stream of the same seed, so drawing
 * from one never shifts the other. The kernel calls it when it starts (and again on Run All), an
 * exported script when it starts: the same seed gives the same numbers in both.
 */
export function seedCellRandomness(seed: number): Rng {
  const stream = createRng(seed);
  Math.random = () => stream.next();
  return createRng(seed).fork("rng");
}
