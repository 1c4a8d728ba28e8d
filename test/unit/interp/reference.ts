// Loads reference values written by the generators in test/reference/interp/, and compares arrays.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function interpReference<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, "../../reference/interp", `${name}.json`), "utf8")) as T;
}

/** Every |actual − expected| ≤ tol · max(1, max |expected|): a tolerance relative to the array's scale. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = "values"): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    assert.ok(diff <= tol * scale, `${what}[${i}]: expected ${expected[i]}, got ${actual[i]} (diff ${diff}, tol ${tol * scale})`);
  }
}
