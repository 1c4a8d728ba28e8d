#!/usr/bin/env node
// `npm run setup:python`: the ONE Python environment the project's tests, reference generators and
// benchmarks use (TensorFlow, Keras, scipy... as oracles and baselines), made offline from the local
// wheel stores into the clone's own .cache/python. Idempotent and quick when done: a stamp records
// the requirement list it was made from, and a changed list (another engineer adding a package)
// installs what is new. Exits non-zero with the exact missing requirement when pip cannot find one.
//
//   npm run setup:python            make or update .cache/python
//   node src/scripts/setup-python.mjs --print   print the venv's python path (after making it)
//
// Wheel stores, in order: $FALSIFY_WHEELS (folders separated by ':'), /opt/pypi/files,
// /opt/pypi-more/files. Nothing is downloaded (pip --no-index).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Every package any Python oracle or baseline of the project imports; one list, one venv. */
export const REQUIREMENTS = [
  "tensorflow_cpu==2.21.0",
  "keras",
  "numpy",
  "scipy",
  "statsmodels",
  "scikit-learn",
  "scikit-image",
  "onnx",
  "onnxruntime",
  "jupyter_client",
  "ipykernel",
  // `jupyter execute`: the whole-process baseline of `falsify run` (test/bench/cli.bench.ts).
  "nbclient",
];

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const VENV = join(root, ".cache", "python");
export const PYTHON = join(VENV, "bin", "python");
const STAMP = join(VENV, "falsify-requirements.txt");
const log = (line) => process.stderr.write(`[setup:python] ${line}\n`);

function stores() {
  const configured = (process.env.FALSIFY_WHEELS ?? "").split(":").filter(Boolean);
  return [...configured, "/opt/pypi/files", "/opt/pypi-more/files"].filter((dir) => existsSync(dir));
}

function run(command, args) {
  return spawnSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: "1" } });
}

function fail(message) {
  log(message);
  process.exit(1);
}

export function setupPython() {
  const wanted = `${REQUIREMENTS.join("\n")}\n`;
  if (existsSync(PYTHON) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === wanted) return PYTHON;
  const found = stores();
  if (!found.length) fail("no wheel store found: set FALSIFY_WHEELS to a folder of .whl files (the project installs Python packages offline only)");
  if (!existsSync(PYTHON)) {
    log(`making a virtual environment in ${VENV}`);
    const made = run("python3", ["-m", "venv", VENV]);
    if (made.status !== 0) fail(`python3 -m venv failed (is python3 with its venv module installed?): ${made.stderr || made.error}`);
  }
  log(`installing ${REQUIREMENTS.length} requirements from ${found.join(", ")} (a few minutes the first time)`);
  const pip = run(PYTHON, ["-m", "pip", "install", "--no-index", ...found.flatMap((dir) => ["--find-links", dir]), ...REQUIREMENTS]);
  if (pip.status !== 0) {
    const missing = [...pip.stderr.matchAll(/No matching distribution found for (\S+)/g)].map((m) => m[1]);
    fail(missing.length ? `not in the wheel stores (${found.join(", ")}): ${missing.join(", ")}` : `pip install failed:\n${pip.stderr.slice(-3000)}`);
  }
  writeFileSync(STAMP, wanted);
  log("ready");
  return PYTHON;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const python = setupPython();
  if (process.argv.includes("--print")) console.log(python);
  else log(`${python} is ready`);
}
