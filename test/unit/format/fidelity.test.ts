// Bytes round-trip or are refused, never silently changed (issue 14). Each repro is a fixture in
// test/fixtures/format/; parseNotebook is what validate, fmt, run, export, lint and the VS Code
// serializer all read files with (from bytes), so these hold for every command.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { runCli } from "../../../src/cli/main";
import { mergeResults, parseResults, serializeResults } from "../../../src/core/export";
import { MAX_JSON_DEPTH, parseNotebook, serializeNotebook, type FormatError, type Notebook } from "../../../src/core/format";
import { findPathOffset, readJson } from "../../../src/core/format/json-location";
import { FormatLimitError } from "../../../src/core/format/serialize";

const path = (name: string) => `test/fixtures/format/${name}`;
const bytes = (name: string) => readFileSync(path(name));

function refusal(name: string): FormatError {
  const parsed = parseNotebook(bytes(name));
  assert.ok(!parsed.ok, `${name} must be refused`);
  return parsed.error;
}

async function validate(name: string): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runCli(["validate", path(name)], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
  return { code, lines };
}

describe("invalid UTF-8 is refused where it is", () => {
  test("byte 0xE9 in a metadata string: validate says file:line:col (it used to pass, and fmt wrote U+FFFD)", async () => {
    const error = refusal("invalid-utf8.falsify");
    assert.equal(error.kind, "encoding");
    assert.deepEqual(await validate("invalid-utf8.falsify"), { code: 1, lines: [`${path("invalid-utf8.falsify")}:5:19: invalid UTF-8 (byte 0xE9): the file must be UTF-8`] });
  });

  test("overlong forms, surrogates and truncated sequences are found too", () => {
    const at = (b: number[]) => {
      const parsed = parseNotebook(new Uint8Array([0x7b, 0x0a, 0x20, ...b]));
      assert.ok(!parsed.ok && parsed.error.kind === "encoding");
      return [parsed.error.line, parsed.error.column];
    };
    assert.deepEqual(at([0xc0, 0xaf]), [2, 2], "overlong '/'");
    assert.deepEqual(at([0xed, 0xa0, 0x80]), [2, 2], "a UTF-16 surrogate");
    assert.deepEqual(at([0xe2, 0x82]), [2, 2], "cut short at the end");
    assert.deepEqual(at([0x41, 0xf4, 0x90, 0x80, 0x80]), [2, 3], "above U+10FFFF");
  });
});

describe("numbers are kept exactly or refused with their position", () => {
  for (const [name, literal] of [["inexact-integer.falsify", "9007199254740993"], ["inexact-tiny.falsify", "1e-400"]]) {
    test(`${literal} (it used to be rewritten as another number)`, async () => {
      const error = refusal(name);
      assert.equal(error.kind, "inexact-number");
      const run = await validate(name);
      assert.equal(run.code, 1);
      assert.match(run.lines[0], new RegExp(`^${path(name)}:5:\\d+: the number ${literal} cannot be kept exactly`));
    });
  }

  test("what a double holds passes, however it is written", () => {
    for (const literal of ["0", "-0", "1.0", "1E2", "0.1", "0.30000000000000004", "1.7976931348623157e308", "5e-324", "123456789012345680", `1.${"0".repeat(450)}`]) {
      assert.equal(readJson(`[${literal}]`).problem, undefined, literal);
    }
    for (const literal of ["9007199254740993", "123456789012345678", "1e400", "0.10000000000000001", "2.4703282292062328e-324"]) {
      assert.equal(readJson(`[${literal}]`).problem?.kind, "inexact-number", literal);
    }
  });
});

describe("__proto__ is an ordinary key", () => {
  test("in notebook and cell metadata: kept by parse, serialize and fmt (it used to be dropped)", async () => {
    const text = readFileSync(path("proto-key.falsify"), "utf8");
    const parsed = parseNotebook(text);
    assert.ok(parsed.ok);
    assert.deepEqual(Object.keys(parsed.notebook.metadata).sort(), ["__proto__", "seed"]);
    assert.equal(Object.getPrototypeOf(parsed.notebook.metadata), Object.prototype, "not a prototype");
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
    assert.equal(serializeNotebook(parsed.notebook), text);
    const fmt = await runCli(["fmt", "--check", path("proto-key.falsify")], { out: () => undefined, err: () => undefined });
    assert.equal(fmt, 0, "the fixture is canonical, __proto__ included");
  });

  test("in results files given to merge", () => {
    const run = {
      format: "falsify-results",
      version: 1,
      kind: "run",
      notebook: "n.falsify",
      seed: 0,
      verdicts: [],
      metrics: [{ name: "m", value: 1 }],
    };
    const text = JSON.stringify(run).replace('"kind":"run"', '"__proto__":{"note":"kept"},"kind":"run"').replace('"metrics":[{', '"metrics":[{"__proto__":1,');
    const verdictText = JSON.stringify({ ...run, verdicts: [JSON.parse('{"__proto__":"mine","hypothesis":"H1","verdict":"supported","test":"t","alternative":"greater","alpha":0.05,"statistic":1,"p":0.01,"effect":{"name":"d","estimate":1,"ci":[0,2]},"n":{"observed":1,"baseline":1},"reason":"r"}')] });
    const parsed = parseResults(verdictText);
    assert.ok(parsed.ok);
    assert.ok(Object.hasOwn(parsed.results.verdicts[0], "__proto__"));
    const merged = mergeResults([parsed.results], ["a"]);
    assert.ok(merged.ok);
    assert.match(serializeResults(merged.merged), /"__proto__": "mine"/);
    assert.ok(parseResults(text).ok);
  });
});

describe("only nothing, or ASCII whitespace, is an empty notebook", () => {
  test("a file of U+00A0 and U+3000 is refused (it used to open empty, and a save overwrote it)", async () => {
    assert.equal(refusal("unicode-spaces.falsify").kind, "syntax");
    assert.deepEqual(await validate("unicode-spaces.falsify"), {
      code: 1,
      lines: [`${path("unicode-spaces.falsify")}:1:1: Malformed JSON: Unexpected character U+00A0 (a space JSON does not allow): a value was expected`],
    });
    for (const text of ["", " \t\r\n", "\ufeff"]) assert.ok(parseNotebook(text).ok, JSON.stringify(text));
  });
});

describe("nesting is bounded in parse, with a position, and every scan is linear", () => {
  test(`[ x 4000: a too-deep error at the ${MAX_JSON_DEPTH + 1}th bracket, not a RangeError stack`, async () => {
    const error = refusal("deep-array.falsify");
    assert.equal(error.kind, "too-deep");
    assert.deepEqual(await validate("deep-array.falsify"), {
      code: 1,
      lines: [`${path("deep-array.falsify")}:1:${MAX_JSON_DEPTH + 1}: nesting deeper than ${MAX_JSON_DEPTH} levels is not supported`],
    });
  });

  test("a 3000-level metadata value is refused by validate, so fmt never reaches the serializer with it", async () => {
    assert.equal(refusal("deep-metadata.falsify").kind, "too-deep");
    const fmt = await runCli(["fmt", path("deep-metadata.falsify")], { out: () => undefined, err: () => undefined });
    assert.equal(fmt, 1);
  });

  test("serializeNotebook refuses what the file could not hold, rather than write a file that cannot be read back", () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) deep = [deep];
    const notebook: Notebook = { format: "falsify", version: 1, metadata: {}, cells: [{ id: "a", kind: "code", language: "typescript", source: "", metadata: {}, outputs: [{ items: [{ mime: "application/json", data: deep }] }] }] };
    assert.throws(() => serializeNotebook(notebook), FormatLimitError);
    let fits: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH - 7; i++) fits = [fits];
    notebook.cells[0].outputs = [{ items: [{ mime: "application/json", data: fits }] }];
    assert.ok(parseNotebook(serializeNotebook(notebook)).ok, "the deepest value serialize accepts reads back");
  });

  test("locating is linear in depth: a deep document costs what a flat one of the same length does", () => {
    // The old recursive scanner copied the path at every value, so 5,000 brackets took 1.5 s; the
    // check now stops at the limit, and below it the cost per character must not grow with depth.
    assert.equal(readJson("[".repeat(5000)).problem?.offset, MAX_JSON_DEPTH);
    assert.equal(readJson(`${"[".repeat(5000)}${"]".repeat(5000)}`).problem?.offset, MAX_JSON_DEPTH, "also when JSON.parse reads it");
    const block = (depth: number) => `${"[".repeat(depth)}0${"]".repeat(depth)}`;
    const document = (item: string, count: number) => `{"items": [${Array(count).fill(item).join(",")}], "end": 1}`;
    const deep = document(block(MAX_JSON_DEPTH - 2), 100);
    const flat = document("[0]", Math.round((100 * block(MAX_JSON_DEPTH - 2).length) / 4));
    // Interleaved, fastest of many: the machine is shared, and only the best case says what the code costs.
    const times = { deep: Infinity, flat: Infinity };
    for (let round = 0; round < 11; round++) {
      for (const [name, text] of [["deep", deep], ["flat", flat]] as const) {
        const started = performance.now();
        assert.equal(findPathOffset(text, ["end"]), text.length - 2);
        times[name] = Math.min(times[name], performance.now() - started);
      }
    }
    const ratio = times.deep / times.flat;
    assert.ok(ratio < 5, `a deep document costs ${ratio.toFixed(1)}x a flat one of the same length`);
  });

  test("a 450-digit number does not shift the position of a later error", async () => {
    const error = refusal("long-number.falsify");
    assert.equal(error.kind, "syntax");
    assert.ok(error.kind === "syntax");
    assert.deepEqual([error.line, error.column], [5, 474]);
  });
});
