// Shared by the kernel tests: a kernel bundle built from src (as esbuild.js builds dist/kernel.js),
// and a kernel started on it. Each test file shares one kernel where it can: a start loads tfjs.
import { buildSync } from "esbuild";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { KernelClient, type KernelStartOptions } from "../../../src/kernel/client";

export const NOTEBOOK_DIR = resolve("test/fixtures/kernel/notebook");

let built: string | undefined;

/** Builds src/kernel/main.ts once per test process (under node_modules/.cache, so packages resolve). */
export function kernelScript(): string {
  if (built) return built;
  const dir = resolve("node_modules/.cache/falsify-kernel-test");
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `kernel-${process.pid}.js`);
  buildSync({
    entryPoints: ["src/kernel/main.ts"],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: "linked",
    logLevel: "silent",
    external: ["@tensorflow/tfjs-node", "@tensorflow/tfjs", "@tensorflow/tfjs-core", "@tensorflow/tfjs-backend-wasm", "esbuild", "typescript", "vega", "vega-lite"],
  });
  built = outfile;
  return outfile;
}

export function startKernel(options: Partial<KernelStartOptions> = {}): Promise<KernelClient> {
  return KernelClient.start({ notebookDir: NOTEBOOK_DIR, kernelScript: kernelScript(), ...options });
}
