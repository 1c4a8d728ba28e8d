// Loads the scipy/statsmodels reference values written by test/reference/stats/generate.py.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function reference<T = any>(name: string): T {
  const text = readFileSync(join(__dirname, "../../reference/stats", `${name}.json`), "utf8");
  // generate.py writes infinities as strings (JSON has none).
  return JSON.parse(text, (_key, v) => (v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v)) as T;
}

/** |actual − expected| ≤ rel·|expected| + abs, with a message that shows both numbers. */
export function close(actual: number, expected: number, rel: number, abs = 0, what = "value"): void {
  const ok = actual === expected || Math.abs(actual - expected) <= rel * Math.abs(expected) + abs;
  if (!ok) throw new Error(`${what}: expected ${expected}, got ${actual} (diff ${actual - expected}, rel tol ${rel}, abs tol ${abs})`);
}
