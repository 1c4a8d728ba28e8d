// The one dependency graph (export's closures, the linter's stale outputs and test feeders).
import assert from "node:assert/strict";
import { test } from "node:test";
import { CellGraph } from "../../../src/core/cell/graph";
import { readCell } from "../../../src/core/cell/reading";

const graph = (...sources: (string | undefined)[]) => new CellGraph(sources.map((source) => (source === undefined ? undefined : readCell(source))));

test("a cell depends on the nearest cell above declaring what it uses, and on every cell between that may change it", () => {
  const g = graph("let model = make();", "model = make();", undefined, "model.fit(xs);", "const xs = [1];", "evaluate(model);", "const unrelated = 2;");
  // model: declared in 0, reassigned in 1, trained in 3; xs (declared in 4) is not used by 5.
  assert.deepEqual(g.dependenciesOf(5), [0, 1, 3]);
  assert.deepEqual(g.dependenciesOf(3), [0, 1], "xs is declared below: no dependency on a later cell");
  assert.deepEqual(g.dependenciesOf(6), []);
});

test("a name the cell declares itself is not a dependency; a cell that is not code has none", () => {
  const g = graph("const a = 1;", "const a = 2; a + 1", undefined);
  assert.deepEqual(g.dependenciesOf(1), []);
  assert.deepEqual(g.dependenciesOf(2), []);
});

test("upstreamOf: the targets and what they depend on, transitively", () => {
  const g = graph("const a = 1;", "const b = a + 1;", "const c = 5;", "const d = b * 2;", "c + d");
  assert.deepEqual([...g.upstreamOf([3])].sort(), [0, 1, 3]);
  assert.deepEqual([...g.upstreamOf([4])].sort(), [0, 1, 2, 3, 4]);
});
