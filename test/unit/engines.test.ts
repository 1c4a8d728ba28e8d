// The Node versions package.json promises (`engines.node`, quoted by the README) must be ones every
// package `npm ci` installs supports: otherwise npm prints an EBADENGINE warning per package on a
// promised Node (issue 19: ~50 lines on CI's Node 20) and the tools behind them may break there.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import semver from "semver";

interface Locked {
  version?: string;
  engines?: { node?: string } | string[];
}

const promised = (JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } }).engines.node;
const locked = (JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, Locked> }).packages;

test("every package in the lockfile supports every Node version package.json's engines.node admits", () => {
  const excluding = Object.entries(locked).flatMap(([path, { version, engines }]) => {
    // Old manifests may list engines as an array of strings; npm ignores those, and so does this.
    const range = engines && !Array.isArray(engines) ? engines.node : undefined;
    if (!path || !range || semver.subset(promised, range)) return [];
    return [`${path.replace(/^.*node_modules\//, "")}@${version} wants Node ${range}`];
  });
  assert.deepEqual(excluding, [], `engines.node is ${promised}: pin versions that support it, or narrow it (and the README)`);
});

test("the Node running the tests is one the project promises, and the README says which", () => {
  assert.ok(semver.satisfies(process.version, promised), `Node ${process.version} is outside engines.node ${promised}`);
  assert.ok(readFileSync("README.md", "utf8").includes(`\`${promised}\``), `README.md must state the Node requirement, \`${promised}\``);
});
