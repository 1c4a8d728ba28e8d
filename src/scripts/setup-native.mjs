#!/usr/bin/env node
// `npm run setup:native [-- --strict] [--dir <project>]`: make @tensorflow/tfjs-node work on a machine
// where its install step cannot download libtensorflow (no network but the npm registry).
//
// It builds tfjs-node's N-API addon against the TensorFlow C API found in a local TensorFlow CPU pip
// wheel (or an installed `tensorflow` Python package), following shared/recipes/tfjs-node-offline.md:
//   1. install @tensorflow/tfjs-node without its scripts if it is missing;
//   2. unpack libtensorflow_cc.so.2, libtensorflow_framework.so.2 and the headers into its deps/;
//   3. build the addon with npm's node-gyp against the local Node headers, into lib/napi-v8/.
// It is idempotent (a working addon is left alone) and always exits 0 unless --strict is given, so
// `npm install` stays green anywhere: without the native backend the kernel falls back to wasm.
//
// Where the TensorFlow wheel is looked for, in order: $FALSIFY_TF_WHEEL (a .whl file), $FALSIFY_TF_DIR
// (an installed `tensorflow` package folder), pip's configured find-links folders, the usual wheel
// stores (/opt/pypi/files, /opt/pypi-more/files, /opt/wheels, ~/.cache/falsify-wheels), then an
// installed `tensorflow` package found by python3.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";

const args = process.argv.slice(2);
const strict = args.includes("--strict");
const projectDir = resolve(args.includes("--dir") ? args[args.indexOf("--dir") + 1] : process.cwd());
const log = (line) => console.log(`[setup:native] ${line}`);

function fail(message) {
  log(message);
  log("The kernel will use the wasm backend instead (slower).");
  process.exit(strict ? 1 : 0);
}

const requireFromProject = createRequire(join(projectDir, "package.json"));
const wantedVersion = JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")).optionalDependencies?.["@tensorflow/tfjs-node"] ?? "4.22.0";

function packageDir() {
  try {
    return dirname(requireFromProject.resolve("@tensorflow/tfjs-node/package.json"));
  } catch {
    return undefined;
  }
}

/** Loads tfjs-node in a child Node and runs one op, the only proof that the addon works. */
function works(dir) {
  const probe = `
    const util = require("util");
    util.isNullOrUndefined ??= (v) => v === null || v === undefined;
    util.isArray ??= Array.isArray;
    const tf = require(${JSON.stringify(dir)});
    const sum = tf.tensor([1, 2, 3]).sum().dataSync()[0];
    if (tf.getBackend() !== "tensorflow" || sum !== 6) process.exit(1);`;
  return spawnSync(process.execPath, ["-e", probe], { stdio: "ignore" }).status === 0;
}

function ensureInstalled() {
  let dir = packageDir();
  if (dir) return dir;
  log(`installing @tensorflow/tfjs-node@${wantedVersion} without its download step`);
  const npm = process.env.npm_execpath;
  const [cmd, cmdArgs] = npm ? [process.execPath, [npm]] : ["npm", []];
  execFileSync(cmd, [...cmdArgs, "install", "--no-save", "--ignore-scripts", `@tensorflow/tfjs-node@${wantedVersion}`], {
    cwd: projectDir,
    stdio: "inherit",
  });
  dir = packageDir();
  if (!dir) fail("could not install @tensorflow/tfjs-node");
  return dir;
}

function pipFindLinks() {
  const out = spawnSync("python3", ["-m", "pip", "config", "list"], { encoding: "utf8" });
  if (out.status !== 0) return [];
  return [...out.stdout.matchAll(/find-links='([^']+)'/g)].flatMap((m) => m[1].split(/\s+/));
}

/** A TensorFlow CPU wheel (.whl) or an installed tensorflow package folder. */
function findTensorFlow() {
  if (process.env.FALSIFY_TF_WHEEL) return { wheel: process.env.FALSIFY_TF_WHEEL };
  if (process.env.FALSIFY_TF_DIR) return { dir: process.env.FALSIFY_TF_DIR };
  const stores = [...pipFindLinks(), "/opt/pypi/files", "/opt/pypi-more/files", "/opt/wheels", join(homedir(), ".cache", "falsify-wheels")];
  for (const store of stores) {
    if (!existsSync(store)) continue;
    const wheels = readdirSync(store)
      .filter((f) => /^tensorflow(_cpu)?-\d[^-]*-.*linux.*x86_64\.whl$/.test(f))
      .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
    if (wheels.length) return { wheel: join(store, wheels[0]) };
  }
  const installed = spawnSync("python3", ["-c", "import os, importlib.util as u; s = u.find_spec('tensorflow'); print(os.path.dirname(s.origin) if s else '')"], {
    encoding: "utf8",
  });
  const dir = installed.stdout?.trim();
  if (dir && existsSync(join(dir, "libtensorflow_cc.so.2"))) return { dir };
  return undefined;
}

function unpack(source, deps) {
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(join(deps, "lib"), { recursive: true });
  let tfDir = source.dir;
  if (source.wheel) {
    log(`unpacking the TensorFlow C API from ${source.wheel}`);
    const stage = join(deps, "wheel");
    execFileSync("python3", ["-c", UNZIP, source.wheel, stage], { stdio: "inherit" });
    tfDir = join(stage, "tensorflow");
  } else {
    log(`using the TensorFlow C API of the installed package ${tfDir}`);
  }
  execFileSync("cp", ["-r", join(tfDir, "include"), join(deps, "include")]);
  const lib = join(deps, "lib");
  // The wheel's libtensorflow_cc exports the C and eager C APIs; the addon links `-ltensorflow`.
  copyFileSync(join(tfDir, "libtensorflow_cc.so.2"), join(lib, "libtensorflow.so.2"));
  copyFileSync(join(tfDir, "libtensorflow_framework.so.2"), join(lib, "libtensorflow_framework.so.2"));
  symlinkSync("libtensorflow.so.2", join(lib, "libtensorflow.so"));
  symlinkSync("libtensorflow.so.2", join(lib, "libtensorflow_cc.so.2")); // the SONAME the loader asks for
  symlinkSync("libtensorflow_framework.so.2", join(lib, "libtensorflow_framework.so"));
  if (source.wheel) rmSync(join(deps, "wheel"), { recursive: true, force: true });
}

const UNZIP = `
import sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
want = ("tensorflow/include/", "tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2")
with zipfile.ZipFile(wheel) as z:
    z.extractall(out, [n for n in z.namelist() if n.startswith(want)])
`;

function nodeGyp() {
  const candidates = [];
  if (process.env.npm_execpath) candidates.push(join(dirname(process.env.npm_execpath), "..", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  const prefix = spawnSync("npm", ["prefix", "-g"], { encoding: "utf8" }).stdout?.trim();
  if (prefix) candidates.push(join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  return candidates.find(existsSync);
}

/** Node's headers, so node-gyp does not try to download them. */
function nodeHeaders() {
  const configured = spawnSync("npm", ["config", "get", "nodedir"], { encoding: "utf8" }).stdout?.trim();
  const candidates = [process.env.npm_config_nodedir, configured, resolve(dirname(process.execPath), "..")];
  return candidates.find((dir) => dir && dir !== "undefined" && existsSync(join(dir, "include", "node", "node_api.h")));
}

function build(dir) {
  const gyp = nodeGyp();
  if (!gyp) fail("npm's node-gyp was not found");
  const headers = nodeHeaders();
  if (!headers) fail("Node's C headers were not found (set npm config nodedir)");
  log("building the tfjs-node addon (about 15 s)");
  const result = spawnSync(
    process.execPath,
    [gyp, "rebuild", `--nodedir=${headers}`, "--napi_build_version=8", "--module_name=tfjs_binding", "--module_path=./lib/napi-v8"],
    { cwd: dir, stdio: "inherit" },
  );
  if (result.status !== 0) fail("the addon did not build");
  mkdirSync(join(dir, "lib", "napi-v8"), { recursive: true });
  copyFileSync(join(dir, "build", "Release", "tfjs_binding.node"), join(dir, "lib", "napi-v8", "tfjs_binding.node"));
}

const dir = ensureInstalled();
if (works(dir)) {
  log(`@tensorflow/tfjs-node already works (${dir})`);
  process.exit(0);
}
const source = findTensorFlow();
if (!source) fail("no TensorFlow CPU wheel or installed tensorflow package was found; set FALSIFY_TF_WHEEL=/path/to/tensorflow_cpu-*.whl");
unpack(source, join(dir, "deps"));
build(dir);
if (!works(dir)) fail("the addon was built but does not load");
log("@tensorflow/tfjs-node works: backend 'tensorflow'");
