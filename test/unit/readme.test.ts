// The README is part of the product: its links must lead somewhere and its API table must be the
// runtime's (generated from its exports, so a new function cannot be left out).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { runtimeTable, withRuntimeTable } from "../../src/scripts/runtime-table";

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
  assert.equal(withRuntimeTable(readme, table), readme, "README.md's runtime table is stale: run `npm run docs` and commit README.md");
});
