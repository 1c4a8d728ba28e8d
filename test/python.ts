// The project's Python (TensorFlow, scipy, ipykernel... from the local wheels) for benchmark
// baselines and reference generators: the venv `npm run setup:python` makes, made on first use.
// Throws with setup-python's own message (e.g. the requirement missing from the wheel stores).
import { spawnSync } from "node:child_process";
import { join } from "node:path";

let python: string | undefined;

/** The venv's python executable, made (a few minutes, once) or updated when needed. */
export function projectPython(): string {
  if (python) return python;
  const script = join(__dirname, "..", "src", "scripts", "setup-python.mjs");
  const made = spawnSync(process.execPath, [script, "--print"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (made.status !== 0) throw new Error("the project's Python environment could not be made (npm run setup:python says why above)");
  python = made.stdout.trim();
  return python;
}
