// Shared by the kernel tests: a kernel bundle built from src (as esbuild.js builds dist/kernel.js),
// and a kernel started on it. Each test file shares one kernel where it can: a start loads tfjs.
import { buildSync } from "esbuild";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { KernelClient, type KernelStartOptions } from "../../../src/kernel/client";

export const NOTEBOOK_DIR = resolve("test/fixtures/kernel/notebook");

let built: string | undefined;
const CACHE = resolve("node_modules/.cache/falsify-kernel-test");
/** This process's builds, removed when it exits. */
const mine = (name: string) => {
  const path = join(CACHE, `${name}-${process.pid}`);
  process.once("exit", () => rmSync(path, { recursive: true, force: true }));
  return path;
};

/** Builds src/kernel/main.ts once per test process (under node_modules/.cache, so packages resolve). */
export function kernelScript(): string {
  if (built) return built;
  const dir = mine("kernel");
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, "kernel.js");
  buildSync({
    entryPoints: ["src/kernel/main.ts"],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: "linked",
    logLevel: "silent",
    external: ["@tensorflow/tfjs-node", "@tensorflow/tfjs", "@tensorflow/tfjs-core", "@tensorflow/tfjs-backend-wasm", "typescript", "vega", "vega-lite"],
  });
  built = outfile;
  return outfile;
}

/** dist/tfjs.js as esbuild.js builds it (tfjs + wasm backend, .wasm files beside it), once per test process. */
export function tfjsBundle(): { module: string; wasmDir: string } {
  const dir = mine("tfjs");
  const module = join(dir, "tfjs.js");
  buildSync({
    entryPoints: ["src/kernel/tfjs-bundle.ts"],
    outfile: module,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "silent",
    external: ["vscode"],
    loader: { ".wasm": "file" },
    assetNames: "wasm/[name]",
  });
  return { module, wasmDir: join(dir, "wasm") };
}

export function startKernel(options: Partial<KernelStartOptions> = {}): Promise<KernelClient> {
  return KernelClient.start({ notebookDir: NOTEBOOK_DIR, kernelScript: kernelScript(), ...options });
}
