// `falsify validate` and `falsify fmt`: exit codes, `file:line:col: message` lines, canonical
// rewriting that never touches a file it could not read. In-process through runCli, and once through
// the built dist/cli.js, the file package.json's `bin` points at.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { runCli } from "../../../src/cli/main";

const FIXTURES = "test/fixtures/format";
const fixture = (name: string) => join(FIXTURES, name);

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function cli(...argv: string[]): Promise<Run> {
  const run: Run = { code: -1, out: [], err: [] };
  run.code = await runCli(argv, { out: (line) => run.out.push(line), err: (line) => run.err.push(line) });
  return run;
}

const nativeBuilt = existsSync("node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node");

const scratch = mkdtempSync(join(tmpdir(), "falsify-cli-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A writable copy of a fixture (fmt rewrites files in place). */
function copyOf(name: string): string {
  const path = join(scratch, `${Math.random().toString(36).slice(2)}-${name}`);
  copyFileSync(fixture(name), path);
  return path;
}

/** not-canonical.falsify (one line, no trailing newline) as `falsify fmt` must write it. */
const NOT_CANONICAL_FORMATTED = `{
  "format": "falsify",
  "version": 1,
  "metadata": {},
  "cells": [
    {
      "id": "a",
      "kind": "code",
      "language": "typescript",
      "source": [
        "x"
      ],
      "metadata": {},
      "outputs": []
    }
  ]
}
`;

describe("falsify validate", () => {
  test("exits 0 and prints nothing for valid files, unknown fields included", async () => {
    const run = await cli("validate", fixture("valid.falsify"), fixture("unknown-fields.falsify"));
    assert.deepEqual(run, { code: 0, out: [], err: [] });
  });

  test("malformed JSON: exit 1 and the line and column of the syntax error", async () => {
    const run = await cli("validate", fixture("malformed.falsify"));
    assert.equal(run.code, 1);
    // Line 11 is the `"metadata"` that follows `"source": [...]` without a comma.
    assert.deepEqual(run.out, [`${fixture("malformed.falsify")}:11:7: Malformed JSON: Expected ',' or '}' after a property value`]);
  });

  test("schema violation: exit 1 and the position of the offending value", async () => {
    const run = await cli("validate", fixture("bad-kind.falsify"));
    assert.equal(run.code, 1);
    assert.equal(run.out.length, 1);
    assert.match(run.out[0], /^test\/fixtures\/format\/bad-kind\.falsify:8:15: cells\[0\]\.kind: .*"markdown".*"code"/);
  });

  test("a future format version is refused by name", async () => {
    const run = await cli("validate", fixture("future-version.falsify"));
    assert.equal(run.code, 1);
    assert.equal(run.out.length, 1);
    assert.match(run.out[0], /^test\/fixtures\/format\/future-version\.falsify:1:1: .*version 2.*reads version 1/);
  });

  test("several files: one finding per bad file, exit 1 if any is bad", async () => {
    const run = await cli("validate", fixture("valid.falsify"), fixture("malformed.falsify"), fixture("bad-kind.falsify"));
    assert.equal(run.code, 1);
    assert.deepEqual(
      run.out.map((line) => line.split(":")[0]),
      [fixture("malformed.falsify"), fixture("bad-kind.falsify")],
    );
  });

  test("a missing file is reported, not thrown, by validate and fmt alike", async () => {
    const missing = join(scratch, "nope.falsify");
    for (const args of [["validate"], ["fmt"], ["fmt", "--check"]]) {
      const run = await cli(...args, missing);
      assert.equal(run.code, 1, args.join(" "));
      assert.match(run.err.join("\n"), new RegExp(`^${missing}: cannot read`), args.join(" "));
    }
  });

  test("no file is a usage error (exit 2)", async () => {
    assert.equal((await cli("validate")).code, 2);
  });
});

describe("falsify fmt", () => {
  test("--check exits 1 for a non-canonical file and leaves it alone", async () => {
    const path = copyOf("not-canonical.falsify");
    const before = readFileSync(path, "utf8");
    const run = await cli("fmt", "--check", path);
    assert.equal(run.code, 1);
    assert.match(run.out.join("\n"), /not in canonical form/);
    assert.equal(readFileSync(path, "utf8"), before);
  });

  test("--check exits 0 for canonical files", async () => {
    const run = await cli("fmt", "--check", fixture("valid.falsify"), fixture("unknown-fields.falsify"));
    assert.deepEqual(run, { code: 0, out: [], err: [] });
  });

  test("rewrites a file to canonical form, after which --check passes and fmt changes nothing", async () => {
    const path = copyOf("not-canonical.falsify");
    assert.equal((await cli("fmt", path)).code, 0);
    assert.equal(readFileSync(path, "utf8"), NOT_CANONICAL_FORMATTED);
    assert.equal((await cli("fmt", "--check", path)).code, 0);
    const again = await cli("fmt", path);
    assert.deepEqual(again, { code: 0, out: [], err: [] });
  });

  test("keeps unknown fields at every level and puts keys back in canonical order", async () => {
    const path = copyOf("unknown-fields.falsify");
    const canonical = readFileSync(path, "utf8");
    // Scramble: reversed key order everywhere, no indentation.
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : value && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]))
          : value;
    writeFileSync(path, JSON.stringify(reversed(JSON.parse(canonical))));
    assert.equal((await cli("fmt", "--check", path)).code, 1);

    assert.equal((await cli("fmt", path)).code, 0);
    const formatted = readFileSync(path, "utf8");
    assert.equal(formatted, canonical);
    const notebook = JSON.parse(formatted);
    assert.deepEqual(notebook.futureTopLevel, { kept: true });
    assert.deepEqual(notebook.metadata.zzz, { a: 1, b: 2 });
    assert.equal(notebook.cells[0].reviewer, "ana");
  });

  for (const name of ["malformed.falsify", "bad-kind.falsify", "future-version.falsify", "unicode-spaces.falsify"]) {
    test(`never rewrites an invalid file (${name}): exit 1, error lines, bytes unchanged`, async () => {
      const path = copyOf(name);
      const bytes = readFileSync(path);
      for (const args of [["fmt", path], ["fmt", "--check", path]]) {
        const run = await cli(...args);
        assert.equal(run.code, 1);
        assert.match(run.err.join("\n"), new RegExp(`^${path}:\\d+:\\d+: `));
        assert.deepEqual(readFileSync(path), bytes);
      }
    });
  }

  test("no file is a usage error (exit 2)", async () => {
    assert.equal((await cli("fmt", "--check")).code, 2);
  });
});

describe("dist/cli.js (the `falsify` bin)", () => {
  before(() => {
    // Build from the current sources so a stale bundle cannot pass.
    const build = spawnSync(process.execPath, ["esbuild.js"], { encoding: "utf8" });
    assert.equal(build.status, 0, build.stderr);
  });

  const bin = (...args: string[]) => spawnSync(process.execPath, ["dist/cli.js", ...args], { encoding: "utf8" });

  test("validate: exit codes and `file:line:col: message` lines on stdout", () => {
    assert.equal(bin("validate", fixture("valid.falsify")).status, 0);
    const run = bin("validate", fixture("valid.falsify"), fixture("malformed.falsify"), fixture("future-version.falsify"));
    assert.equal(run.status, 1);
    const lines = run.stdout.trim().split("\n");
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^test\/fixtures\/format\/malformed\.falsify:11:7: Malformed JSON/);
    assert.match(lines[1], /^test\/fixtures\/format\/future-version\.falsify:1:1: /);
  });

  test("fmt --check, then fmt, on a copied file", () => {
    const path = copyOf("not-canonical.falsify");
    assert.equal(bin("fmt", "--check", path).status, 1);
    assert.equal(bin("fmt", path).status, 0);
    assert.equal(readFileSync(path, "utf8"), NOT_CANONICAL_FORMATTED);
    assert.equal(bin("fmt", "--check", path).status, 0);
  });

  test("an unknown command prints usage and exits 2; --help exits 0", () => {
    const unknown = bin("frobnicate");
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'[\s\S]*^ {2}validate /m);
    assert.equal(bin("--help").status, 0);
  });

  test("run, outside any project: the tfjs-node installed with falsify, and the backend's reason printed", { skip: !nativeBuilt && !process.env.CI && "tfjs-node not built (npm run setup:native)" }, () => {
    const dir = mkdtempSync(join(tmpdir(), "falsify-alone-"));
    try {
      for (let at = dir; dirname(at) !== at; at = dirname(at)) assert.ok(!existsSync(join(at, "node_modules")), `${at} has node_modules`);
      writeFileSync(join(dir, "one.falsify"), JSON.stringify({ format: "falsify", version: 1, metadata: {}, cells: [{ id: "a", kind: "code", language: "typescript", source: "tf.getBackend()", metadata: {}, outputs: [] }] }));
      const env = { PATH: process.env.PATH, HOME: dir };
      const run = spawnSync(process.execPath, [resolve("dist/cli.js"), "run", "one.falsify"], { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
      assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
      const tfjsNode = resolve("node_modules/@tensorflow/tfjs-node");
      assert.ok(run.stdout.includes(`on tensorflow (@tensorflow/tfjs-node from ${tfjsNode})`), run.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--help and --version load no command: they work with the commands' bundle absent", () => {
    const dist = join(scratch, "dist-cli");
    const build = spawnSync(process.execPath, ["esbuild.js", "--only", "cli", "--outdir", dist], { encoding: "utf8" });
    assert.equal(build.status, 0, build.stderr);
    assert.ok(statSync(join(dist, "cli.js")).size < 200_000, "the CLI's entry stays small: the commands are in commands.js");
    // `run` loads a bundle of its own, without the TypeScript compiler (the kernel transpiles cells).
    assert.ok(!readFileSync(join(dist, "run.js"), "utf8").includes("node_modules/typescript/"), "run.js carries no TypeScript");
    rmSync(join(dist, "commands.js"));
    rmSync(join(dist, "run.js"));
    for (const args of [["--help"], ["--version"], ["lint", "--help"], ["run", "-h"]]) {
      const run = spawnSync(process.execPath, [join(dist, "cli.js"), ...args], { encoding: "utf8" });
      assert.equal(run.status, 0, `${args.join(" ")}: ${run.stderr}`);
    }
    const lint = spawnSync(process.execPath, [join(dist, "cli.js"), "lint", fixture("valid.falsify")], { encoding: "utf8" });
    assert.match(lint.stderr, /Cannot find module '\.\/commands'/, "a command does load the bundle");
    const run = spawnSync(process.execPath, [join(dist, "cli.js"), "run", fixture("valid.falsify")], { encoding: "utf8" });
    assert.match(run.stderr, /Cannot find module '\.\/run'/, "run loads its own bundle");
  });

  test("<command> --help prints that command's usage on stdout, exit 0; --version prints the version", () => {
    const help = bin("lint", "--help");
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: falsify lint <file\.\.\.> \[options\][\s\S]*--max-warnings <N>/);
    const version = bin("--version");
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, /^falsify \d+\.\d+\.\d+/);
  });
});
