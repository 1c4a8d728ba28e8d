// The README is part of the product: its links must lead somewhere and its API table must be the
// runtime's (generated from its exports, so a new function cannot be left out).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { runtimeTable, TABLE_END, TABLE_START, withRuntimeTable } from "../../src/scripts/runtime-table";

const readme = readFileSync("README.md", "utf8");

test("every relative link in README.md names a file in the repository", () => {
  // vsce packages with --no-rewrite-relative-links, so links stay as written: they must resolve here.
  const links = [...readme.matchAll(/\]\(([^)\s]+)[^)]*\)/g)].map((match) => match[1]);
  const relative = links.filter((target) => !/^(https?:|mailto:|#)/.test(target));
  assert.ok(relative.length > 10, "the rule table links each rule's page");
  assert.deepEqual(relative.filter((target) => !existsSync(target.split("#")[0])), []);
});

test("the README's runtime table is the one made from the runtime's exports (run `npm run docs` after changing them)", () => {
  const table = runtimeTable();
  assert.match(table, /`attributionMap`/, "the table is made from the exports, helpers like attributionMap included");
  // Names by area first, so a stale table fails naming the exports it lacks or still lists.
  const written = readme.slice(readme.indexOf(TABLE_START), readme.indexOf(TABLE_END));
  assert.deepEqual(namesByArea(written), namesByArea(table), "README.md's runtime table is stale: run `npm run docs` and commit README.md");
  assert.equal(withRuntimeTable(readme, table), readme, "README.md's runtime table is stale: run `npm run docs` and commit README.md");
});

/** Each row of a runtime table as its area and the names it lists in backticks. */
function namesByArea(table: string): Record<string, string[]> {
  const rows = table.split("\n").filter((line) => line.startsWith("| ") && !/^\| (area|---) \|/.test(line));
  return Object.fromEntries(rows.map((row) => [row.split(" | ")[0].slice(2), [...row.matchAll(/`([^`]+)`/g)].map((m) => m[1])]));
}

test("the README says how long `npm run setup`, the first code-server build and `npm test` take (issue 19: a newcomer should know what to expect)", () => {
  const paragraph = readme.match(/\nHow long to expect[\s\S]*?\n\n/)?.[0];
  assert.ok(paragraph, "README.md has a 'How long to expect' paragraph");
  for (const step of ["`npm run setup`", "`npm run setup:e2e`", "`npm test`"]) {
    assert.match(paragraph, new RegExp(`${step}[^;.]*?\\d+ minutes`), `${step} comes with a duration in minutes`);
  }
});
