import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { RULES } from "../../../src/core/lint";

test("every rule has a docs page with what it does / why it is bad / example / fix", () => {
  for (const rule of RULES) {
    assert.equal(rule.docs, `media/docs/rules/${rule.id}.md`);
    assert.ok(existsSync(rule.docs), `missing ${rule.docs}`);
    const page = readFileSync(rule.docs, "utf8");
    assert.match(page, new RegExp(`^# ${rule.id}\\n`), `${rule.docs} must start with its id`);
    for (const heading of ["## What it does", "## Why is this bad?", "## Example", "## Fix"]) {
      assert.ok(page.includes(`\n${heading}\n`), `${rule.docs} lacks "${heading}"`);
    }
    assert.match(page, new RegExp(`Default severity: ${rule.severity}`), `${rule.docs} states the wrong default severity`);
  }
});

test("rule ids are unique and the three contract ids exist", () => {
  const ids = RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ["visual-without-hypothesis", "visual-without-baseline", "visual-without-quantification"]) assert.ok(ids.includes(id));
});
