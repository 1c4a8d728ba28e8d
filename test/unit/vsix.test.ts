// The .vsix runs with nothing but itself. Built and packed as `npm run package` packs it, unzipped into
// an empty temp folder (no node_modules on any parent path, NODE_PATH unset, HOME inside it), every
// Node entry it ships loads there: the extension activates against a stub `vscode`, the kernel runs a
// TypeScript cell on the bundled wasm backend with its stack mapped to the cell, the CLI validates
// and runs a notebook. (Inside the repository Node would find the repository's node_modules.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { builtinModules } from "node:module";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { KernelClient } from "../../src/kernel/client";
import { TFJS_MODULES } from "../../src/core/cell/environment";

const REPO = resolve(".");
const SHIPPED_SOURCES = ["package.json", ".vscodeignore", "README.md", "LICENSE", "media", "schemas", "examples"];
const staging = mkdtempSync(join(tmpdir(), "falsify-vsix-build-"));
const install = mkdtempSync(join(tmpdir(), "falsify-vsix-"));
const extension = join(install, "extension");
/** What a user's machine has: no NODE_PATH, no NODE_OPTIONS, a home with nothing in it. */
const env = { PATH: process.env.PATH, HOME: install, NODE_PATH: undefined, NODE_OPTIONS: undefined };

/** The names the `vscode` module exports (its top-level namespaces, classes, enums and constants). */
const VSCODE_API = [...readFileSync("node_modules/@types/vscode/index.d.ts", "utf8").matchAll(/^\texport (?:namespace|class|enum|const|let|function) (\w+)/gm)].map((m) => m[1]);

function sh(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; shell?: boolean }) {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 300_000, ...options });
  assert.equal(result.status, 0, `${command} failed:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
  return result;
}

before(() => {
  for (const path of SHIPPED_SOURCES) cpSync(path, join(staging, path), { recursive: true });
  sh(process.execPath, ["esbuild.js", "--production", "--outdir", join(staging, "dist")], { cwd: REPO });
  // The package script exactly as package.json says, with vsce from the repository's dependencies.
  const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
  sh(scripts.package, [], { cwd: staging, shell: true, env: { ...process.env, PATH: `${join(REPO, "node_modules", ".bin")}${delimiter}${process.env.PATH}` } });
  sh("unzip", ["-q", join(staging, "dist", "falsify.vsix"), "-d", install], { cwd: install });
  copyFileSync("test/fixtures/kernel/backend.falsify", join(install, "backend.falsify"));
  copyFileSync("test/fixtures/export/sweep.falsify", join(install, "sweep.falsify"));
});

after(() => {
  rmSync(staging, { recursive: true, force: true });
  rmSync(install, { recursive: true, force: true });
});

describe("the .vsix outside the repository", () => {
  test("no folder from the unpacked extension up to the root has a node_modules", () => {
    for (let dir = extension; ; dir = dirname(dir)) {
      assert.equal(existsSync(join(dir, "node_modules")), false, `${dir}/node_modules exists`);
      if (dir === dirname(dir)) break;
    }
  });

  test("the Node bundles require only Node's own modules, vscode, and the tfjs the kernel provides", () => {
    // The kernel maps every @tensorflow/tfjs* request to its one loaded instance (modules.ts), and asks
    // for the wasm backend package only when no bundled tfjs is given (never from a .vsix).
    const provided: Record<string, string[]> = {
      "extension.js": ["vscode"],
      "cli.js": [],
      "commands.js": [],
      "run.js": [],
      "kernel.js": [...TFJS_MODULES, "@tensorflow/tfjs-backend-wasm"],
      "tfjs.js": [],
      // The runtime bundled exports embed: tfjs-node is looked up by path at run time, never named.
      "standalone.js": [],
    };
    for (const [bundle, allowed] of Object.entries(provided)) {
      const code = readFileSync(join(extension, "dist", bundle), "utf8");
      const requested = new Set([...code.matchAll(/\brequire\("([^"./][^"]*)"\)/g)].map((m) => m[1].replace(/^node:/, "")));
      const foreign = [...requested].filter((name) => !builtinModules.includes(name) && !allowed.includes(name));
      assert.deepEqual(foreign, [], `dist/${bundle} requires packages the .vsix does not carry`);
    }
  });

  test("the extension loads and activates against a stub vscode, reporting no failure", () => {
    // Every vscode API is a recording stub: calls are logged by path, whatever they return is a stub too
    // (an empty list where iterated).
    // The module itself lists the real API's names as its own keys (bundles copy them into a namespace).
    const script = `
      const Module = require("module");
      const calls = [];
      const stub = (path) => new Proxy(function () {}, {
        get: (_, key) => (key === Symbol.iterator ? () => [].values() : key === "then" || typeof key === "symbol" ? undefined : stub(path + "." + String(key))),
        apply: (_, __, args) => (calls.push([path, ...args.filter((a) => typeof a === "string")].join(" ")), stub(path + "()")),
        construct: () => stub("new " + path),
        set: () => true,
      });
      const resolveFilename = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) { return request === "vscode" ? "vscode" : resolveFilename.call(this, request, ...rest); };
      const names = ${JSON.stringify(VSCODE_API)};
      const vscode = new Proxy({}, {
        get: (_, key) => (typeof key === "symbol" || key === "then" || key === "__esModule" ? undefined : stub("vscode." + key)),
        ownKeys: () => names,
        getOwnPropertyDescriptor: (_, key) => ({ value: stub("vscode." + String(key)), enumerable: true, configurable: true, writable: true }),
      });
      require.cache.vscode = { id: "vscode", filename: "vscode", loaded: true, exports: vscode };
      process.on("unhandledRejection", (reason) => calls.push("unhandledRejection: " + (reason && reason.stack || reason)));
      const extension = require("./extension/dist/extension.js");
      const context = { subscriptions: [], extensionPath: ${JSON.stringify(extension)}, extensionUri: stub("extensionUri"), globalState: stub("globalState"), workspaceState: stub("workspaceState") };
      extension.activate(context);
      setTimeout(() => { console.log(JSON.stringify({ calls, subscriptions: context.subscriptions.length })); process.exit(0); }, 200);
    `;
    const result = sh(process.execPath, ["-e", script], { cwd: install, env });
    const { calls, subscriptions } = JSON.parse(result.stdout.trim().split("\n").pop()!) as { calls: string[]; subscriptions: number };
    assert.deepEqual(calls.filter((call) => /showErrorMessage|unhandledRejection/.test(call)), []);
    for (const api of ["vscode.workspace.registerNotebookSerializer falsify-notebook", "vscode.notebooks.createNotebookController falsify-kernel"]) assert.ok(calls.some((call) => call.startsWith(api)), `activation calls ${api}`);
    assert.ok(subscriptions >= 6, `activation registers its disposables (${subscriptions})`);
  });

  test("loading the extension reads nothing of vscode before activation", () => {
    // A module-level read (an enum in a table, a static field) fails under any host or checker whose
    // `vscode` is not yet the full API; loaded against an empty module, requiring it must not throw.
    const script = `
      const Module = require("module");
      const resolveFilename = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) { return request === "vscode" ? "vscode" : resolveFilename.call(this, request, ...rest); };
      require.cache.vscode = { id: "vscode", filename: "vscode", loaded: true, exports: {} };
      console.log(typeof require("./extension/dist/extension.js").activate);
    `;
    assert.equal(sh(process.execPath, ["-e", script], { cwd: install, env }).stdout.trim(), "function");
  });

  test("the kernel runs a TypeScript cell on the bundled wasm backend and maps a failing cell's stack", async () => {
    const kernel = await KernelClient.start({ notebookDir: install, kernelScript: join(extension, "dist", "kernel.js"), env });
    try {
      assert.equal(kernel.info.tensorflow?.backend, "wasm", kernel.info.tensorflow?.notes.join("; "));
      const ok = await kernel.execute({ source: "const n: number = 3;\nconst sum = tf.tidy(() => tf.sum(tf.range(0, n + 1)));\n`${tf.getBackend()} ${sum.dataSync()[0]}`" });
      assert.equal(ok.status, "ok", JSON.stringify(ok.error));
      assert.deepEqual(ok.outputs.flatMap((output) => output.items.map((item) => item.data)), ["wasm 6"]);
      const failed = await kernel.execute({ source: "function check(n: number): void {\n  if (n > 1) throw new RangeError(`too big: ${n}`);\n}\ncheck(5);" });
      assert.equal(failed.status, "error");
      assert.deepEqual(failed.error?.frames.map(({ line, column }) => [line, column]), [
        [2, 20],
        [4, 1],
      ]);
    } finally {
      kernel.dispose();
    }
  });

  test("the CLI validates a notebook and runs one, printing the failing cell's mapped stack", () => {
    const cli = join(extension, "dist", "cli.js");
    sh(process.execPath, [cli, "validate", join(extension, "examples", "01-selectivity-ablation.falsify")], { cwd: install, env });
    const run = spawnSync(process.execPath, [cli, "run", "backend.falsify"], { cwd: install, env, encoding: "utf8", timeout: 120_000 });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /on wasm \(@tensorflow\/tfjs-node is not installed in [^\n]*\/extension\/dist or a folder above [^\n]*\)\n {2}ok {7}backend .*\n {2}error {4}boom/);
    assert.match(run.stdout, /RangeError: too big: 5\n\s+at check \(cell \[2\]:2:20\)/);
  });

  test("the CLI exports a bundled script, which runs there with the tfjs it carries", () => {
    const cli = join(extension, "dist", "cli.js");
    sh(process.execPath, [cli, "export", "sweep.falsify", "--bundle", "-o", "sweep.mjs"], { cwd: install, env });
    const run = sh(process.execPath, ["sweep.mjs", "--shard", "1/2"], { cwd: install, env });
    assert.match(run.stdout, /tfjs 4\.22\.0 on wasm/);
    assert.match(run.stdout, /metric square = \{"k":1,"value":1\}/);
  });
});
