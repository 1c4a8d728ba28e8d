// The README is part of the product: its links must lead somewhere and its API table must be true.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import * as runtime from "../../src/runtime";

const readme = readFileSync("README.md", "utf8");

test("every relative link in README.md names a file in the repository", () => {
  // vsce packages with --no-rewrite-relative-links, so links stay as written: they must resolve here.
  const links = [...readme.matchAll(/\]\(([^)\s]+)[^)]*\)/g)].map((match) => match[1]);
  const relative = links.filter((target) => !/^(https?:|mailto:|#)/.test(target));
  assert.ok(relative.length > 10, "the rule table links each rule's page");
  assert.deepEqual(relative.filter((target) => !existsSync(target.split("#")[0])), []);
});

test("every function the README's runtime table names is exported by the runtime", () => {
  const section = readme.split("## The runtime library")[1]?.split("\n## ")[0] ?? "";
  const names = [...section.matchAll(/`([A-Za-z]+)`/g)].map((match) => match[1]).filter((name) => name !== "fx" && name !== "falsify");
  assert.ok(names.length > 30, `the table lists the runtime (found ${names.length} names)`);
  assert.deepEqual(names.filter((name) => !(name in runtime)), []);
});
