// A scratch folder where exported scripts run as a user's would: an ES-module package whose
// node_modules/falsify is this package as published (package.json `exports` -> dist/script.js,
// built here from src). It lives under node_modules/.cache so tfjs resolves from the repository.
import { buildSync } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

let built: string | undefined;

export function scriptWorkspace(): string {
  if (built) return built;
  const dir = resolve(`node_modules/.cache/falsify-export-test-${process.pid}`);
  const falsify = join(dir, "node_modules", "falsify");
  mkdirSync(join(falsify, "dist"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { name: string; version: string; exports: unknown };
  writeFileSync(join(falsify, "package.json"), JSON.stringify({ name: manifest.name, version: manifest.version, exports: manifest.exports }));
  buildSync({
    entryPoints: ["src/runtime/script.ts"],
    outfile: join(falsify, "dist", "script.js"),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "silent",
    external: ["@tensorflow/tfjs-node", "@tensorflow/tfjs", "@tensorflow/tfjs-core", "@tensorflow/tfjs-backend-wasm", "vega", "vega-lite"],
  });
  built = dir;
  return dir;
}

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script of the workspace with node (TypeScript through tsx, as the header says). */
export function runScript(file: string, ...args: string[]): ScriptRun {
  const cwd = scriptWorkspace();
  const loader = file.endsWith("ts") ? ["--import", "tsx"] : [];
  const result = spawnSync(process.execPath, [...loader, file, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Removes the scratch folder (call from an `after` hook). */
export function removeScriptWorkspace(): void {
  if (built) rmSync(built, { recursive: true, force: true });
  built = undefined;
}
