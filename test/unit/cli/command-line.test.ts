// Every `falsify` command and every exported script reads its command line the same way
// (src/core/command-line.ts, node:util parseArgs): `<cmd> --help` prints that command's usage and
// exits 0, `--x=v` works wherever `--x v` does, a flag is never taken as an option's value.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseCommandLine, type CommandSpec } from "../../../src/core/command-line";
import { generatorName } from "../../../src/core/export/version";
import { runCli } from "../../../src/cli/main";
import { EXPORT, FMT, LINT, MERGE, RUN, VALIDATE } from "../../../src/cli/specs";
import { parseScriptArgs } from "../../../src/runtime/script";

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const COMMANDS: Record<string, CommandSpec> = { validate: VALIDATE, fmt: FMT, lint: LINT, run: RUN, export: EXPORT, merge: MERGE };

describe("falsify <command> --help", () => {
  for (const [name, spec] of Object.entries(COMMANDS)) {
    test(`${name} --help and -h print its usage with every option, on stdout, exit 0`, async () => {
      for (const flag of ["--help", "-h"]) {
        const result = await cli(name, flag);
        assert.equal(result.code, 0, result.err);
        assert.equal(result.err, "");
        assert.match(result.out, new RegExp(`^Usage: falsify ${name} `));
        for (const option of Object.keys(spec.options)) assert.match(result.out, new RegExp(`--${option}\\b`), `${name} --help lists --${option}`);
      }
    });
  }

  test("--help wins over a usage error (no operand given)", async () => {
    assert.equal((await cli("run", "--help")).code, 0);
    assert.equal((await cli("run")).code, 2);
  });

  test("falsify --help lists every command; falsify --version prints the version", async () => {
    const help = await cli("--help");
    assert.equal(help.code, 0);
    for (const name of Object.keys(COMMANDS)) assert.match(help.out, new RegExp(`^  ${name} `, "m"));
    const version = await cli("--version");
    assert.equal(version.code, 0);
    assert.equal(version.out, generatorName());
    assert.match(version.out, /\d+\.\d+\.\d+/);
  });

  test("an unknown option is a usage error naming it, with the usage line", async () => {
    const result = await cli("lint", "a.falsify", "--colour");
    assert.equal(result.code, 2);
    assert.match(result.err, /--colour/);
    assert.match(result.err, /Usage: falsify lint <file\.\.\.>/);
  });
});

describe("one reading of options", () => {
  test("run --out x --write: --write is a flag, not the file name (it used to be)", () => {
    const parsed = parseCommandLine(RUN, ["nb.falsify", "--out", "x.json", "--write"]);
    assert.equal(parsed.kind, "parsed");
    assert.deepEqual(parsed.kind === "parsed" && parsed.values, { out: "x.json", write: true });
  });

  test("run --out --write: a missing value is an error, not a file called --write", () => {
    const parsed = parseCommandLine(RUN, ["nb.falsify", "--out", "--write"]);
    assert.equal(parsed.kind, "error");
  });

  for (const [name, spec] of Object.entries(COMMANDS)) {
    const strings = Object.entries(spec.options).filter(([, o]) => o.type === "string");
    if (!strings.length) continue;
    test(`${name}: --option=value reads as --option value`, () => {
      for (const [option, o] of strings) {
        const value = o.choices?.[0] ?? "v1";
        const joined = parseCommandLine(spec, ["a", `--${option}=${value}`]);
        const split = parseCommandLine(spec, ["a", `--${option}`, value]);
        assert.equal(joined.kind, "parsed", `--${option}=${value}`);
        assert.deepEqual(joined, split);
        assert.equal(joined.kind === "parsed" && joined.values[option], value);
      }
    });
  }

  test("a choice outside its list is a usage error that names the choices", async () => {
    const result = await cli("lint", "--format=xml", "a.falsify");
    assert.equal(result.code, 2);
    assert.match(result.err, /--format must be text, json, sarif \(got xml\)/);
  });

  test("-- ends the options: a file named like a flag can be given", () => {
    const parsed = parseCommandLine(VALIDATE, ["--", "--odd.falsify"]);
    assert.deepEqual(parsed, { kind: "parsed", values: {}, operands: ["--odd.falsify"] });
  });
});

describe("an exported script's command line", () => {
  test("--x=v, --x v, a missing value and --help", () => {
    assert.deepEqual(parseScriptArgs(["--seed=3", "--out", "r.json", "--shard=1/4", "--allow-chart-files"]), {
      seed: 3,
      out: "r.json",
      svgDir: undefined,
      allowChartFiles: true,
      shard: { index: 1, count: 4 },
    });
    const missing = parseScriptArgs(["--out", "--seed", "2"]);
    assert.equal("kind" in missing && missing.kind, "usage");
    const help = parseScriptArgs(["--help"], "node script.mjs");
    assert.equal("kind" in help && help.kind, "help");
    assert.match("message" in help ? help.message : "", /^Usage: node script\.mjs \[options\][\s\S]*--seed <N>[\s\S]*--shard <i\/n>/);
  });

  test("--seed must be a number; an operand is refused", () => {
    for (const argv of [["--seed", "many"], ["--seed="], ["results.json"]]) {
      const parsed = parseScriptArgs(argv);
      assert.equal("kind" in parsed && parsed.kind, "usage", argv.join(" "));
    }
  });
});
