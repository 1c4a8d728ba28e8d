// A bundled export (`falsify export --bundle`) runs where a user e-mails it: copied alone into an
// empty folder (no node_modules on any parent path, NODE_PATH unset), `node script.mjs` runs on the
// TensorFlow.js it carries (wasm) and writes the same results JSON as `falsify run` on the wasm
// backend, for the whole notebook and for one cell with its dependency closure.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { exportWith } from "../../../src/cli/export";
import { runCommand } from "../../../src/cli/run";
import { exportScript } from "../../../src/core/export";
import { parseNotebook } from "../../../src/core/format";
import { kernelScript } from "../kernel/support";

const NOTEBOOK = resolve("test/fixtures/export/regression.falsify");
const scratch = mkdtempSync(join(tmpdir(), "falsify-bundle-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const quiet = { out: () => {}, err: () => {} };

/** dist/standalone.js as esbuild.js builds it, into the scratch folder. */
function buildRuntime(): string {
  const outdir = join(scratch, "dist");
  const build = spawnSync(process.execPath, ["esbuild.js", "--only", "standalone", "--outdir", outdir], { encoding: "utf8" });
  assert.equal(build.status, 0, build.stderr);
  return join(outdir, "standalone.js");
}

/** A new empty folder with nothing to resolve modules from on the way up to /. */
function emptyFolder(): string {
  const dir = mkdtempSync(join(scratch, "alone-"));
  for (let at = dir; ; at = dirname(at)) {
    assert.ok(!existsSync(join(at, "node_modules")), `${at} has node_modules: the test would not prove the script is self-contained`);
    if (dirname(at) === at) return dir;
  }
}

let runtime: string;
let wasmRun: string;
before(async () => {
  runtime = buildRuntime();
  wasmRun = join(scratch, "falsify-run.json");
  const code = await runCommand([NOTEBOOK, "--out", wasmRun], quiet, { kernelScript: kernelScript(), prefer: "wasm" });
  assert.equal(code, 0);
});

/** Exports (beside a copy of the notebook, as a user would), copies the script alone elsewhere, runs it there. */
async function runAlone(args: string[], scriptArgs = ["--out", "results.json"]): Promise<{ stdout: string; results: string; help: string }> {
  const staging = mkdtempSync(join(scratch, "export-"));
  copyFileSync(NOTEBOOK, join(staging, "regression.falsify"));
  const code = await exportWith([join(staging, "regression.falsify"), "--bundle", "-o", join(staging, "script.mjs"), ...args], quiet, { standaloneRuntime: runtime });
  assert.equal(code, 0);
  const alone = emptyFolder();
  copyFileSync(join(staging, "script.mjs"), join(alone, "script.mjs"));
  const env = { PATH: process.env.PATH, HOME: alone };
  const run = spawnSync(process.execPath, ["script.mjs", ...scriptArgs], { cwd: alone, env, encoding: "utf8", timeout: 180_000 });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  const help = spawnSync(process.execPath, ["script.mjs", "--help"], { cwd: alone, env, encoding: "utf8", timeout: 60_000 });
  assert.equal(help.status, 0, help.stderr);
  return { stdout: run.stdout, results: readFileSync(join(alone, "results.json"), "utf8"), help: help.stdout };
}

describe("a bundled script runs alone in an empty folder", () => {
  test("whole notebook: the carried tfjs on wasm, the same results as falsify run on wasm, byte for byte", async () => {
    const { stdout, results } = await runAlone([]);
    assert.match(stdout, /tfjs 4\.22\.0 on wasm/);
    assert.equal(results, readFileSync(wasmRun, "utf8"));
  });

  test("one cell with its dependency closure: the same results; its command line is parseArgs' (--out=file, --help)", async () => {
    const { results, help } = await runAlone(["--cell=evaluate"], ["--out=results.json"]);
    assert.equal(results, readFileSync(wasmRun, "utf8"));
    assert.match(help, /^Usage: node script\.mjs \[options\][\s\S]*--seed <N>[\s\S]*--shard <i\/n>/);
  });
});

test("--with-data: the model and data file the cells read, copied beside the script, run in an empty folder with the notebook gone", async () => {
  const fixture = resolve("test/fixtures/export/with-data");
  const expected = join(scratch, "with-data-run.json");
  assert.equal(await runCommand([join(fixture, "reads.falsify"), "--out", expected], quiet, { kernelScript: kernelScript(), prefer: "wasm" }), 0);

  const staging = mkdtempSync(join(scratch, "with-data-"));
  cpSync(fixture, join(staging, "notebook"), { recursive: true });
  mkdirSync(join(staging, "out"));
  const lines: string[] = [];
  const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
  const args = [join(staging, "notebook", "reads.falsify"), "--bundle", "--with-data", "-o", join(staging, "out", "script.mjs")];
  assert.equal(await exportWith(args, io, { standaloneRuntime: runtime }), 0, lines.join("\n"));
  assert.match(lines.join("\n"), /copied beside it: data\/points\.json, models\/linear\/model\.json, models\/linear\/weights\.bin/);

  const alone = emptyFolder();
  cpSync(join(staging, "out"), alone, { recursive: true });
  rmSync(staging, { recursive: true });
  const script = readFileSync(join(alone, "script.mjs"), "utf8");
  const header = script.slice(0, script.indexOf("\nimport "));
  assert.match(header, /Files the cells read: data\/points\.json \(cell points\), models\/linear\/model\.json \(cell model, from \.\/models\/linear\/model\.json\)\. Copied beside this script/);
  assert.match(script, /loadModel\("models\/linear\/model\.json"\)/, "the path is rewritten to where the copy is");
  const run = spawnSync(process.execPath, ["script.mjs", "--out", "results.json"], { cwd: alone, env: { PATH: process.env.PATH, HOME: alone }, encoding: "utf8", timeout: 180_000 });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.doesNotMatch(run.stderr, /not beside this script/, "a script with its data runs in its own folder by design");
  assert.equal(readFileSync(join(alone, "results.json"), "utf8"), readFileSync(expected, "utf8"));
});

test("--dir: the bundled script, a package.json pinning the recorded versions and a README; run elsewhere, the script warns that it runs on another backend", async () => {
  const staging = mkdtempSync(join(scratch, "dir-"));
  copyFileSync(NOTEBOOK, join(staging, "regression.falsify"));
  const lines: string[] = [];
  const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
  assert.equal(await exportWith([join(staging, "regression.falsify"), "--dir", join(staging, "out")], io, { standaloneRuntime: runtime }), 0, lines.join("\n"));

  const alone = emptyFolder();
  cpSync(join(staging, "out"), alone, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(alone, "package.json"), "utf8"));
  // The fixture's outputs were recorded on tfjs-node 4.22.0; falsify and tfjs are inside the script.
  assert.deepEqual(manifest.optionalDependencies, { "@tensorflow/tfjs-node": "4.22.0" });
  assert.equal(manifest.dependencies, undefined, "npm's falsify is another project: never a dependency");
  assert.equal(manifest.scripts.start, "node regression.mjs");
  assert.match(readFileSync(join(alone, "README.md"), "utf8"), /recorded with: tfjs 4\.22\.0, backend tensorflow, node 20\.20\.2\./);

  const run = spawnSync(process.execPath, ["regression.mjs", "--out", "results.json"], { cwd: alone, env: { PATH: process.env.PATH, HOME: alone }, encoding: "utf8", timeout: 180_000 });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stderr, /falsify: warning: the notebook's outputs were recorded with backend tensorflow; this run uses backend wasm \(npm install beside this script adds the pinned @tensorflow\/tfjs-node\): numbers may differ/);
  assert.equal(readFileSync(join(alone, "results.json"), "utf8"), readFileSync(wasmRun, "utf8"));
});

test("a cell importing a package or one of the user's files is refused for a bundle, naming what it imports", () => {
  const parsed = parseNotebook(readFileSync(NOTEBOOK, "utf8"));
  assert.ok(parsed.ok);
  const notebook = parsed.notebook;
  notebook.cells.push({ id: "helpers", kind: "code", language: "typescript", source: 'import { smooth } from "./helpers";\nimport _ from "lodash";\nsmooth(_);\n', metadata: {}, outputs: [] });
  const result = exportScript(notebook, { notebookName: "regression.falsify", generator: "falsify test", bundle: { runtime: "" } });
  assert.ok(!result.ok);
  assert.equal(result.error.kind, "not-bundleable");
  assert.equal(result.error.cellId, "helpers");
  assert.match(result.error.message, /imports \.\/helpers, lodash/);
});
