// One fixture notebook per rule (test/fixtures/lint/<rule>.falsify): each holds cells that must be
// flagged and cells that must not, named for what they show. The assertions are on the exact cells
// and lines the rule reports.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseNotebook, type Notebook } from "../../../src/core/format";
import { lintNotebook, RULES, type Diagnostic } from "../../../src/core/lint";

function fixture(rule: string): Notebook {
  const parsed = parseNotebook(readFileSync(`test/fixtures/lint/${rule}.falsify`, "utf8"));
  assert.ok(parsed.ok, `fixture ${rule} does not parse`);
  return parsed.notebook;
}

function findings(rule: string): Diagnostic[] {
  const report = lintNotebook(fixture(rule));
  assert.deepEqual(report.internalErrors, []);
  return report.diagnostics.filter((d) => d.rule === rule);
}

/** "cellId line:column" of each finding, in order. */
function where(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.cellId} ${d.range.line}:${d.range.column}`);
}

test("every rule has a fixture notebook and this file tests it", () => {
  const tested = new Set(cases.map((c) => c.rule));
  for (const rule of RULES) {
    assert.ok(tested.has(rule.id), `no test case for ${rule.id}`);
    assert.doesNotThrow(() => fixture(rule.id));
  }
});

const cases: { rule: string; expected: string[]; check?: (d: Diagnostic[]) => void }[] = [
  {
    rule: "visual-without-hypothesis",
    expected: ["unlinked 2:1", "dangling 2:9", "runtime-only 1:1"],
    check(d) {
      assert.match(d[1].message, /linked to H9, but no hypothesis cell declares it/);
      const [insert, link] = d[0].fixes ?? [];
      assert.equal(insert.title, "Insert hypothesis H2 linked to this cell");
      assert.deepEqual(insert.edits.map((e) => e.kind), ["insert-cell", "insert-text"]);
      assert.equal(link.title, "Link this cell to H1");
    },
  },
  {
    rule: "visual-without-baseline",
    expected: ["h1-visual 2:9", "h2-visual 2:9"],
    check(d) {
      assert.match(d[0].message, /H1 declares no baseline/);
      assert.equal(d[0].fixes?.[0].edits[0].kind, "insert-text");
      assert.match(d[1].message, /declares the baseline "random-units" but the notebook never computes it/);
      const edit = d[1].fixes?.[0].edits[0];
      assert.ok(edit?.kind === "insert-cell" && edit.source.includes('baseline("random-units"'));
    },
  },
  {
    rule: "visual-without-quantification",
    expected: ["h1-visual 2:9"],
    check(d) {
      const edit = d[0].fixes?.[0].edits[0];
      assert.ok(edit?.kind === "insert-cell" && edit.source.includes('verdict("H1"'));
    },
  },
  { rule: "invalid-hypothesis", expected: ["syntax 3:1", "typo 3:1", "duplicate 1:1"] },
  {
    rule: "unfalsifiable-hypothesis",
    expected: ["no-null 1:1", "vague 2:1"],
    check(d) {
      assert.match(d[0].message, /H1 has no `null`/);
      assert.match(d[1].message, /"encodes" but names no `metric`/);
    },
  },
  { rule: "existence-only-prediction", expected: ["existence 3:1"] },
  { rule: "causal-claim-correlational-evidence", expected: ["correlational 5:1", "no-intervention 2:1"] },
  { rule: "single-example-visual", expected: ["one-example 2:9", "one-example-via-variable 3:9"] },
  {
    rule: "unseeded-randomness",
    expected: ["unseeded-feeds 1:15", "math-random-feeds 1:40"],
    check(d) {
      // Every run starts from the notebook seed (metadata.seed, else 0): reproducible from a fresh
      // kernel or on Run All only, and the message says so.
      assert.match(d[0].message, /restarts only when the kernel starts and on Run All, so re-running this cell alone changes the verdict/);
    },
  },
  { rule: "uncorrected-multiple-tests", expected: ["h1-tests 3:11", "h1-third 2:11"] },
  {
    rule: "edited-after-results",
    expected: ["edited 1:1"],
    check(d) {
      assert.deepEqual(d[0].fixes?.[0].edits, [{ kind: "record-amendment", hypothesis: "H1", cellIndex: 0 }]);
    },
  },
  {
    rule: "stale-output",
    expected: ["edited 1:1", "out-of-order 1:1", "before-retraining 1:1"],
    check(d) {
      assert.match(d[0].message, /edited after it ran/);
      assert.match(d[1].message, /before cell 3, which it depends on, was run again/);
      // `model.w += 1` changes what `model` is: the one graph (export's closure too) counts it.
      assert.match(d[2].message, /before cell 7, which it depends on, was run again/);
    },
  },
];

for (const { rule, expected, check } of cases) {
  test(`${rule}: flags exactly the cells its fixture says`, () => {
    const d = findings(rule);
    assert.deepEqual(where(d), expected);
    check?.(d);
  });
}
