import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseHypothesis, rawHypothesisId, TEST_KINDS } from "../../../src/core/hypothesis";

const VALID = `id: H1
claim: Selective units are necessary.
prediction: Ablating them drops accuracy more than random units.
null: Same drop either way.
intervention: ablation
baselines:
  - name: random-units
    description: 100 random draws.
metric: drop in test accuracy
test:
  kind: permutation
  alternative: greater
alternatives:
  - id: H1b
    claim: Distributed directions carry it.
    prediction: Random rotations hurt as much.
`;

test("a valid hypothesis parses, with defaults filled in and the field named null kept", () => {
  const parsed = parseHypothesis(VALID);
  assert.deepEqual(parsed.errors, []);
  assert.equal(parsed.hypothesis?.id, "H1");
  assert.equal(parsed.hypothesis?.null, "Same drop either way.");
  assert.deepEqual(parsed.hypothesis?.test, { kind: "permutation", alternative: "greater", alpha: 0.05 });
  assert.equal(parsed.hypothesis?.baselines[0].name, "random-units");
  assert.equal(parsed.hypothesis?.alternatives?.[0].id, "H1b");
});

test("prediction, null, metric and test are optional: their absence is a lint finding, not a schema error", () => {
  const parsed = parseHypothesis("id: H2\nclaim: Layer 3 encodes shape.\n");
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(parsed.hypothesis?.baselines, []);
});

test("schema errors point at the offending field, with line and column inside the cell", () => {
  const parsed = parseHypothesis("id: H1\nclaim: x\ntest:\n  kind: t-test\n  alpha: 2\n");
  assert.equal(parsed.hypothesis, undefined);
  const kind = parsed.errors.find((e) => e.path.join(".") === "test.kind");
  assert.ok(kind, JSON.stringify(parsed.errors));
  assert.deepEqual([kind.range.line, kind.range.column], [4, 3]);
  for (const k of TEST_KINDS) assert.match(kind.message, new RegExp(k));
  const alpha = parsed.errors.find((e) => e.path.join(".") === "test.alpha");
  assert.equal(alpha?.range.line, 5);
});

test("an unknown field suggests the closest known one", () => {
  const parsed = parseHypothesis("id: H1\nclaim: x\npredicton: y\n");
  assert.equal(parsed.errors.length, 1);
  assert.match(parsed.errors[0].message, /Unknown field `predicton`\. Did you mean `prediction`\?/);
  assert.deepEqual([parsed.errors[0].range.line, parsed.errors[0].range.column], [3, 1]);
});

test("a missing required field says so", () => {
  const parsed = parseHypothesis("id: H1\n");
  assert.deepEqual(parsed.errors.map((e) => e.message), ["`claim` is required."]);
});

test("YAML syntax errors carry their position and the raw id survives for linking", () => {
  const parsed = parseHypothesis("id: H7\nclaim: [unclosed\nprediction: y\n");
  assert.ok(parsed.errors.length > 0);
  assert.equal(parsed.errors[0].kind, "yaml");
  assert.ok(parsed.errors[0].range.line >= 2);
  const partial = parseHypothesis("id: H7\nclaim: 3\n");
  assert.equal(partial.hypothesis, undefined);
  assert.equal(rawHypothesisId(partial), "H7");
});

test("an empty cell asks for id and claim", () => {
  assert.match(parseHypothesis("").errors[0].message, /Empty hypothesis/);
  assert.match(parseHypothesis("# just a comment\n").errors[0].message, /Empty hypothesis/);
});

test("locate finds nested fields and falls back to the closest ancestor", () => {
  const parsed = parseHypothesis(VALID);
  assert.equal(parsed.locate(["test", "alternative"]).line, 12);
  assert.equal(parsed.locate(["baselines", 0, "name"]).line, 7);
  assert.equal(parsed.locate(["test", "minEffect"]).line, 10);
});

// Issue 14: YAML anchors and aliases (fixtures in test/fixtures/hypothesis/).
const yamlFixture = (name: string) => readFileSync(`test/fixtures/hypothesis/${name}`, "utf8");

test("an alias stands for its anchor's value (it used to be 'expected string, received object')", () => {
  const parsed = parseHypothesis(yamlFixture("alias.yaml"));
  assert.deepEqual(parsed.errors, []);
  assert.equal(parsed.hypothesis?.prediction, "Class-selective units are necessary for accuracy.");
});

test("aliases of aliases that would expand exponentially are refused at the first alias, quickly", () => {
  const started = performance.now();
  const parsed = parseHypothesis(yamlFixture("billion-laughs.yaml"));
  assert.equal(parsed.errors.length, 1);
  assert.match(parsed.errors[0].message, /^Unreadable YAML: Excessive alias count/);
  assert.deepEqual([parsed.errors[0].range.line, parsed.errors[0].range.column], [4, 8]);
  assert.ok(performance.now() - started < 5000);
});

test("an alias of no anchor is an error where it is; a __proto__ key is an ordinary key", () => {
  const missing = parseHypothesis("id: H1\nclaim: *nowhere\n");
  assert.match(missing.errors[0].message, /Unresolved alias.*nowhere/);
  assert.equal(missing.errors[0].range.line, 2);
  const proto = parseHypothesis('id: H1\nclaim: c\n__proto__: {"polluted": true}\n');
  assert.ok(Object.hasOwn(proto.raw as object, "__proto__"));
  assert.equal(Object.getPrototypeOf(proto.raw), Object.prototype);
});

test("YAML nested thousands deep is one error saying so (it was hundreds of 'Maximum call stack size exceeded')", () => {
  const parsed = parseHypothesis(yamlFixture("deep-flow.yaml"));
  assert.deepEqual(
    parsed.errors.map((error) => [error.message, error.range.line]),
    [["The YAML is nested too deeply to be read: a hypothesis needs a few levels at most.", 2]],
  );
});

test("an alias beside a collection used as a key makes no warning on the console (found by the fuzz test)", async () => {
  const warnings: string[] = [];
  const listener = (warning: Error) => warnings.push(warning.message);
  process.on("warning", listener);
  try {
    const parsed = parseHypothesis("id: H1\nclaim: &c x\n? [a, b]\n: *c\n");
    assert.match(parsed.errors[0].message, /^Unknown field `\["a","b"\]`/);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("warning", listener);
  }
  assert.deepEqual(warnings, []);
});
