import assert from "node:assert/strict";
import { test } from "node:test";
import { FIELD_VALUES, fieldAt, fieldsFor, scopeAt, TEST_KINDS } from "../../../src/core/hypothesis";

const CELL = `id: H1
claim: x
baselines:
  - name: random-units
    description: y
  - 
test:
  kind: permutation
  
alternatives:
  - claim: z
`;

test("scope comes from the indentation and the key above, even in a half-typed cell", () => {
  assert.equal(scopeAt(CELL, 0), "");
  assert.equal(scopeAt(CELL, 3), "baselines");
  assert.equal(scopeAt(CELL, 4), "baselines");
  assert.equal(scopeAt(CELL, 5), "baselines");
  assert.equal(scopeAt(CELL, 7), "test");
  assert.equal(scopeAt(CELL, 8), "test");
  assert.equal(scopeAt(CELL, 10), "alternatives");
  assert.equal(scopeAt(CELL, 9), "");
});

test("fields offered per scope carry their docs", () => {
  assert.deepEqual(fieldsFor("test").map((f) => f.field), ["test.kind", "test.alternative", "test.alpha", "test.minEffect", "test.twoSided", "test.correction"]);
  const top = fieldsFor("").map((f) => f.field);
  assert.ok(top.includes("null") && top.includes("prediction") && !top.includes("test.kind"));
  assert.ok(fieldsFor("").every((f) => f.docs.length > 0));
});

test("hover finds the field on a line, in its scope", () => {
  assert.equal(fieldAt(CELL, 7)?.field, "test.kind");
  assert.match(fieldAt(CELL, 7)?.docs ?? "", /permutation/);
  assert.equal(fieldAt(CELL, 3)?.field, "baselines.name");
  assert.equal(fieldAt(CELL, 1)?.field, "claim");
  assert.equal(fieldAt("nope: 1\n", 0), undefined);
  assert.deepEqual(FIELD_VALUES["test.kind"], TEST_KINDS);
});
