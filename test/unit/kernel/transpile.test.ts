// The pure parts of the kernel: the REPL rewrite and its position maps, error descriptions, tensor
// summaries and MIME bundles. (Behaviour in a live kernel: kernel.test.ts.)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { runInNewContext } from "node:vm";
import { MIME } from "../../../src/core/display";
import { parseNotebook } from "../../../src/core/format";
import { compileCell, type CompiledCell } from "../../../src/core/kernel/transpile";
import { applyEdits } from "../../../src/core/kernel/edits";
import { describeError, cellScriptName } from "../../../src/core/kernel/stack";
import { summarizeTensor, tensorText, type TensorLike } from "../../../src/core/kernel/tensor";
import { isVegaLite, mimeBundle } from "../../../src/core/kernel/mime-bundle";
import { examples, verdict } from "../charts/examples";

async function compile(source: string): Promise<CompiledCell> {
  const result = await compileCell(source);
  if (!result.ok) throw new Error(`did not compile: ${result.error.message}`);
  return result.cell;
}

/** Runs compiled cells one after another in one fresh context, like the kernel does in its own. */
function replContext(imports: Record<string, Record<string, unknown>> = {}) {
  const flag = new Int32Array(1);
  const context: Record<string, unknown> = {
    __falsify: {
      i: flag,
      stop() {
        throw new Error("Interrupted");
      },
      race: (value: unknown) => value,
      import: async (specifier: string) => imports[specifier],
    },
  };
  context.globalThis = context;
  return {
    flag,
    context,
    // Arrays come back from the other realm; copy them so deepEqual compares contents.
    run: async (cell: CompiledCell) => {
      const value = await (runInNewContext(cell.code, context) as Promise<unknown>);
      return Array.isArray(value) ? Array.from(value) : value;
    },
  };
}

describe("REPL rewrite", () => {
  test("declarations persist, can be declared again, and the trailing expression is the value", async () => {
    const repl = replContext();
    await repl.run(await compile("const a: number = 1;\nlet b: string;\nfunction f() { return a + 1; }\nclass C { x = 3 }\nexport const e = 5;"));
    assert.deepEqual(await repl.run(await compile("[a, b, f(), new C().x, e]")), [1, undefined, 2, 3, 5]);
    await repl.run(await compile("const a = 10;"));
    assert.equal(await repl.run(await compile("f()")), 11);
  });

  test("functions are hoisted within their cell", async () => {
    const repl = replContext();
    assert.equal(await repl.run(await compile("const early = later();\nfunction later() { return 'hoisted'; }\nearly")), "hoisted");
  });

  test("imports keep names a later cell uses, with default, named, renamed and namespace forms", async () => {
    const module = { default: "D", named: 1, other: 2 };
    const repl = replContext({ m: module });
    await repl.run(await compile('import D, { named, other as renamed } from "m";\nimport * as ns from "m";\nimport type { T } from "m";'));
    assert.deepEqual(await repl.run(await compile("[D, named, renamed, ns.other]")), ["D", 1, 2, 2]);
  });

  test("declared names are reported (the roots for tensor-leak accounting)", async () => {
    const cell = await compile("import * as m from 'm';\nconst { p, q: [r] } = o;\nlet s;\nclass K {}\nfunction g() {}");
    assert.deepEqual(cell.declared.sort(), ["K", "g", "m", "p", "r", "s"]);
  });

  test("loops and function bodies check the interrupt flag, braces or not", async () => {
    const repl = replContext();
    repl.flag[0] = 1;
    for (const source of ["while (true) {}", "for (;;) ;", "do {} while (true)", "for (const x of [1, 2]) x;", "(() => { return 1; })()"]) {
      await assert.rejects(repl.run(await compile(source)), /Interrupted/, source);
    }
    repl.flag[0] = 0;
    assert.equal(await repl.run(await compile("let n = 0;\nfor (let i = 0; i < 5; i++) n += i;\nn")), 10);
  });

  test("a position in the generated script maps to the cell's line and column", async () => {
    const source = "const a: number = 1;\ntype T = { x: number };\n  const b = (a as any).foo.bar;";
    const cell = await compile(source);
    const lines = cell.code.split("\n");
    const line = lines.findIndex((l) => l.includes(".foo.bar")) + 1;
    const column = lines[line - 1].indexOf(".bar") + 1;
    assert.deepEqual(cell.toCell(line, column), { line: 3, column: source.split("\n")[2].indexOf(".bar") + 1 });
    // The wrapper the rewrite adds maps to nothing.
    assert.equal(cell.toCell(lines.length, lines[lines.length - 1].length), undefined);
  });

  test("TypeScript-only syntax (enums, assertions) runs, with positions in the cell", async () => {
    const source = "import * as ns from 'm';\nconst a: number = 2;\nenum E { A = 3 }\n  const b = (a as any).foo.bar;";
    const cell = await compile(source);
    const repl = replContext({ m: { k: 1 } });
    await assert.rejects(repl.run(cell), /Cannot read properties of undefined \(reading 'bar'\)/);
    assert.deepEqual(await repl.run(await compile("[ns.k, a, E.A]")), [1, 2, 3]);
    const lines = cell.code.split("\n");
    const line = lines.findIndex((l) => l.includes(".foo.bar")) + 1;
    assert.deepEqual(cell.toCell(line, lines[line - 1].indexOf(".bar") + 1), { line: 4, column: source.split("\n")[3].indexOf(".bar") + 1 });
  });

  test("a syntax error is located in the cell", async () => {
    const result = await compileCell("const ok = 1;\nconst broken = ;");
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && [result.error.line, result.error.column], [2, 16]);
  });
});

test("applyEdits orders closers before openers and maps inserted text to its anchor", () => {
  const edited = applyEdits("ab", [
    { start: 1, end: 1, text: "(", depth: 1 },
    { start: 1, end: 1, text: ")", close: true, depth: 2 },
    { start: 1, end: 1, text: "]", close: true, depth: 1 },
    { start: 1, end: 1, text: "[", depth: 2 },
  ]);
  assert.equal(edited.text, "a)]([b");
  assert.equal(edited.toInput(0), 0);
  assert.equal(edited.toInput(3), 1);
  assert.equal(edited.toInput(5), 1);
});

test("describeError maps cell frames, drops internal ones and the wrapper's", () => {
  const error = new TypeError("bad");
  error.stack = [
    "TypeError: bad",
    `    at inner (${cellScriptName(2)}:5:7)`,
    "    at Module._compile (node:internal/modules/cjs/loader:1:1)",
    `    at ${cellScriptName(3)}:9:9`,
    "    at lib (/project/node_modules/lib/index.js:1:2)",
    "    at run (/ext/dist/kernel.js:10:1)",
  ].join("\n");
  const described = describeError(error, {
    lookup: (order) => ({ order, cellId: `c${order}`, toCell: (line, column) => (order === 3 ? undefined : { line: line - 1, column: column - 2 }) }),
    isInternal: (frame) => frame.includes("node:internal") || frame.includes("/dist/kernel.js"),
  });
  assert.deepEqual(described.frames, [{ order: 2, cellId: "c2", line: 4, column: 5 }]);
  assert.equal(described.stack, "TypeError: bad\n    at inner (cell [2]:4:5)\n    at lib (/project/node_modules/lib/index.js:1:2)");
});

const fake = (values: number[], shape: number[]): TensorLike => ({
  shape,
  dtype: "float32",
  size: values.length,
  dataSync: () => Float32Array.from(values),
  arraySync: () => values,
});

describe("tensor summaries", () => {
  test("statistics match the closed forms; small tensors carry their values", () => {
    const summary = summarizeTensor(fake([1, 2, 3, 4], [2, 2]));
    // population std of 1..4 = sqrt(1.25)
    assert.deepEqual(summary.stats, { min: 1, max: 4, mean: 2.5, std: Math.sqrt(1.25) });
    assert.deepEqual(summary.values, [1, 2, 3, 4]);
    assert.match(tensorText(summary), /^Tensor float32 \[2, 2\]  min 1  max 4  mean 2\.5  std 1\.118/);
  });

  test("large tensors carry no values; a NaN makes the statistics NaN", () => {
    const big = summarizeTensor(fake(Array.from({ length: 1000 }, (_, i) => i), [1000]));
    assert.equal(big.values, undefined);
    assert.equal(big.stats!.mean, 499.5);
    assert.ok(Number.isNaN(summarizeTensor(fake([1, NaN], [2])).stats!.mean));
  });
});

describe("MIME bundles", () => {
  const noTensor = (_: unknown): _ is TensorLike => false;

  test("Vega-Lite specs are recognised by $schema or by mark with data/encoding", () => {
    assert.equal(isVegaLite({ $schema: "https://vega.github.io/schema/vega-lite/v5.json" }), true);
    assert.equal(isVegaLite({ mark: "bar", encoding: {} }), true);
    assert.equal(isVegaLite({ $schema: "https://vega.github.io/schema/vega/v5.json", marks: [] }), false);
    assert.equal(isVegaLite({ mark: "looks like a chart, is not" }), false);
  });

  test("explicit MIME types: JSON as data, text as text, bytes as base64", () => {
    assert.deepEqual(mimeBundle({ a: 1 }, "application/x+json", noTensor), [{ mime: "application/x+json", data: { a: 1 } }]);
    assert.deepEqual(mimeBundle(new Uint8Array([1, 2, 3]), MIME.png, noTensor), [{ mime: MIME.png, data: "AQID", encoding: "base64" }]);
    assert.deepEqual(mimeBundle("<i>x</i>", MIME.html, noTensor), [{ mime: MIME.html, data: "<i>x</i>" }]);
  });

  test("every Falsify MIME type comes with a text/plain reading, also when display() names the type (record)", () => {
    const fakeTensor = fake([1, 2], [2]);
    const isTensor = (value: unknown): value is TensorLike => value === fakeTensor;
    const shown: Record<string, { value: unknown; mime?: string; text: RegExp }> = {
      [MIME.verdict]: { value: verdict, text: /^H1: FALSIFIED/ },
      [MIME.chart]: { value: examples["attribution-heatmap"](), text: /^\[Falsify chart\] hypothesis H1/ },
      [MIME.tensor]: { value: fakeTensor, text: /^Tensor float32 \[2\]/ },
      [MIME.metric]: { value: { name: "accuracy", value: 0.93 }, mime: MIME.metric, text: /^accuracy = 0\.93$/ },
    };
    const falsifyMimes = Object.values(MIME).filter((mime) => mime.startsWith("application/vnd.falsify."));
    assert.deepEqual(Object.keys(shown).sort(), [...falsifyMimes].sort(), "a new Falsify MIME type needs a row here");
    for (const [mime, { value, mime: named, text }] of Object.entries(shown)) {
      const items = mimeBundle(value, named, isTensor);
      assert.deepEqual(items.map((item) => item.mime), [mime, MIME.text], mime);
      assert.match(String(items[1].data), text, mime);
    }
    assert.deepEqual(mimeBundle(verdict, MIME.verdict, noTensor).map((item) => item.mime), [MIME.verdict, MIME.text], "display(v, MIME.verdict) too");
  });

  test("other values are inspected as text", () => {
    assert.deepEqual(mimeBundle({ a: [1, 2] }, undefined, noTensor), [{ mime: MIME.text, data: "{ a: [ 1, 2 ] }" }]);
  });
});

test("a cell nested too deeply for TypeScript's parser is a syntax error at its deepest bracket, not a RangeError from the compiler", () => {
  const parsed = parseNotebook(readFileSync("test/fixtures/lint/deep-code.falsify"));
  assert.ok(parsed.ok);
  assert.deepEqual(compileCell(parsed.notebook.cells[0].source), {
    ok: false,
    error: { kind: "syntax", message: "The code is nested too deeply to be read (4000 levels of brackets)", line: 2, column: 4010 },
  });
});
