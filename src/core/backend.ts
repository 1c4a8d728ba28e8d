// Choosing the TensorFlow.js backend: the fastest that loads, and saying which and why.
//
//   tensorflow  @tensorflow/tfjs-node, resolved from the workspace first (a .vsix cannot carry its
//               ~0.8 GB native library; `npm run setup:native` builds it offline), several times faster
//   wasm        @tensorflow/tfjs + @tensorflow/tfjs-backend-wasm (bundled with the extension)
//   cpu         plain JavaScript, always available
//
// Whatever loads becomes THE tfjs instance of the process: callers (the kernel, the CLI, tests) pass
// `LoadedTf.tf` on and map every `@tensorflow/tfjs*` import to it, because two copies of
// tfjs-core give tensors that do not interoperate.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TfModule from "@tensorflow/tfjs";

export type Tf = typeof TfModule;
export type BackendName = "tensorflow" | "wasm" | "cpu";
export const BACKENDS: readonly BackendName[] = ["tensorflow", "wasm", "cpu"];

export interface LoadedTf {
  tf: Tf;
  backend: BackendName;
  tfjsVersion: string;
  /** The tfjs-node package folder, when that backend is active. */
  tfjsNodePath?: string;
  /** Why faster backends were not used, for the UI ("tfjs-node not installed in the workspace"). */
  notes: string[];
  /** Why this backend, in one line: where tfjs-node came from, or why a slower one runs. */
  why: string;
}

export interface LoadOptions {
  /** Folders to resolve `@tensorflow/tfjs-node` from, best first (notebook folder, workspace, extension). */
  searchFrom?: string[];
  /** Use this backend or a slower one; `cpu` forces plain JS. Also read from $FALSIFY_BACKEND. */
  prefer?: BackendName;
  /**
   * A bundle exporting the tfjs API plus `setWasmPaths` (the packaged extension ships one), and the
   * folder of its `.wasm` files. Without it, `@tensorflow/tfjs` and the wasm backend come from node_modules.
   */
  bundled?: { module: string; wasmDir: string };
  /** tfjs carried inside the calling bundle itself (a bundled exported script); preferred to `bundled` and node_modules. */
  carried?: () => CarriedTfjs;
}

/** A tfjs inside a bundle, with its wasm backend's binaries (e.g. as data: URLs, fetched by tfjs itself). */
export interface CarriedTfjs {
  tf: Tf;
  useWasmFiles(): void;
}

/** The process's tfjs: the backend it runs on as soon as it is loaded, and once settled (wasm may still be initialising, or fail and leave cpu). */
interface Loading {
  now: LoadedTf;
  settled: Promise<LoadedTf>;
}

let loading: Loading | undefined;

/** Loads tfjs once per process with the best backend; later calls return the same instance. */
export async function loadTensorFlow(options: LoadOptions = {}): Promise<LoadedTf> {
  return start(options).settled;
}

/**
 * loadTensorFlow for code that cannot wait (a kernel cell reaching `tf` in a way its reading did not
 * show): the same choice, but on wasm the backend may still be initialising (tfjs' ops then ask the
 * caller to `await tf.ready()`), and may yet fall back to cpu (loadTensorFlow says when it settles).
 */
export function loadTensorFlowNow(options: LoadOptions = {}): LoadedTf {
  return start(options).now;
}

/** The instance loadTensorFlow loaded, for code that only runs after it did (a bundled script's toolkit). */
export function loadedTensorFlow(): Tf {
  if (!loading) throw new Error("TensorFlow.js is used before loadTensorFlow() loaded it");
  return loading.now.tf;
}

/** Everything up to the wasm backend's initialisation is synchronous (tfjs-node, cpu); only that is waited for. */
function start(options: LoadOptions): Loading {
  if (loading) return loading;
  const prefer = options.prefer ?? parseBackend(process.env.FALSIFY_BACKEND);
  const candidates = BACKENDS.slice(prefer ? BACKENDS.indexOf(prefer) : 0);
  const notes: string[] = [];
  const settledAs = (now: LoadedTf): Loading => (loading = { now, settled: Promise.resolve(now) });
  if (candidates.includes("tensorflow")) {
    const native = loadNative(options.searchFrom ?? [process.cwd()], notes);
    if (native) return settledAs({ ...native, backend: "tensorflow", tfjsVersion: native.tf.version.tfjs, notes, why: `@tensorflow/tfjs-node from ${native.tfjsNodePath}` });
  }
  const { tf, useWasmFiles } = options.carried?.() ?? loadJs(options.bundled);
  const onCpu = (): LoadedTf => {
    void tf.setBackend("cpu"); // plain JavaScript: ready as soon as it is set
    return { tf, backend: "cpu", tfjsVersion: tf.version.tfjs, notes, why: why("cpu", options, notes) };
  };
  if (candidates.includes("wasm")) {
    try {
      useWasmFiles();
      const initialised = tf.setBackend("wasm");
      const now: LoadedTf = { tf, backend: "wasm", tfjsVersion: tf.version.tfjs, notes, why: why("wasm", options, notes) };
      const fallBack = (note: string): LoadedTf => {
        notes.push(note);
        return onCpu();
      };
      const settled = initialised.then(
        (ok) => (ok ? now : fallBack("the wasm backend did not initialise")),
        (error: Error) => fallBack(`the wasm backend failed: ${error.message}`),
      );
      loading = { now, settled };
      void settled.then((result) => loading && (loading.now = result));
      return loading;
    } catch (error) {
      notes.push(`the wasm backend failed: ${(error as Error).message}`);
    }
  }
  return settledAs(onCpu());
}

/** Why a slower backend than tfjs-node: it was asked for, or the faster ones failed (their notes). */
function why(backend: BackendName, options: LoadOptions, notes: string[]): string {
  if (options.prefer === backend) return `${backend} was asked for`;
  if (!options.prefer && parseBackend(process.env.FALSIFY_BACKEND) === backend) return `FALSIFY_BACKEND=${backend}`;
  return notes.join("; ");
}

function parseBackend(value: string | undefined): BackendName | undefined {
  return BACKENDS.find((name) => name === value);
}

function loadNative(searchFrom: string[], notes: string[]): { tf: Tf; tfjsNodePath: string } | undefined {
  for (const dir of new Set(searchFrom)) {
    let entry: string;
    try {
      entry = createRequire(join(dir, "package.json")).resolve("@tensorflow/tfjs-node");
    } catch {
      continue;
    }
    const packageDir = dirname(dirname(entry));
    if (!existsSync(join(packageDir, "lib", "napi-v8", "tfjs_binding.node"))) {
      notes.push(`@tensorflow/tfjs-node in ${packageDir} has no native addon (run: npm run setup:native)`);
      continue;
    }
    try {
      patchNodeUtilForTfjsNode();
      // TensorFlow logs at INFO to stderr (oneDNN notices, each graph session it loads); keep warnings.
      process.env.TF_CPP_MIN_LOG_LEVEL ??= "1";
      const tf = require(entry) as Tf;
      if (tf.getBackend() === "tensorflow") return { tf, tfjsNodePath: packageDir };
      notes.push(`@tensorflow/tfjs-node in ${packageDir} loaded but its backend is ${tf.getBackend()}`);
    } catch (error) {
      notes.push(`@tensorflow/tfjs-node in ${packageDir} did not load: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  if (!notes.length) {
    notes.push(`@tensorflow/tfjs-node is not installed in ${[...new Set(searchFrom)].join(", ")} or a folder above (npm install @tensorflow/tfjs-node there; in VS Code: Falsify: Set Up Native Backend)`);
  }
  return undefined;
}

/**
 * tfjs-node 4.22 calls `util.isNullOrUndefined` and `util.isArray`, which Node 23 removed (VS Code
 * in code-server runs Node 24). Restoring the two trivial functions before it loads keeps it working.
 */
export function patchNodeUtilForTfjsNode(): void {
  const util = require("node:util") as Record<string, unknown>;
  util.isNullOrUndefined ??= (value: unknown) => value === null || value === undefined;
  util.isArray ??= Array.isArray;
}

function loadJs(bundled: LoadOptions["bundled"]): CarriedTfjs {
  const folder = (dir: string) => (dir.endsWith("/") ? dir : `${dir}/`);
  if (bundled) {
    const module = require(bundled.module) as Tf & { setWasmPaths: (prefix: string) => void };
    return { tf: module, useWasmFiles: () => module.setWasmPaths(folder(bundled.wasmDir)) };
  }
  const tf = require("@tensorflow/tfjs") as Tf;
  const wasm = require("@tensorflow/tfjs-backend-wasm") as { setWasmPaths: (prefix: string) => void };
  const wasmDir = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist");
  return { tf, useWasmFiles: () => wasm.setWasmPaths(folder(wasmDir)) };
}
