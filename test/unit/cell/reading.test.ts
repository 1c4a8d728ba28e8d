import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readCell } from "../../../src/core/cell/reading";
import { exportScript } from "../../../src/core/export";
import { parseNotebook } from "../../../src/core/format";
import { lintNotebook } from "../../../src/core/lint";

test("visualisations: display, chart builders (also through fx, aliases and namespaces), tfjs-vis and spec literals", () => {
  const facts = readCell(`import * as F from "falsify";
import { ablationCurves as curves } from "falsify";
import * as vis from "@tensorflow/tfjs-vis";
display(png);
fx.attributionHeatmap(img, map);
F.ckaMatrix(m);
curves(input);
vis.render.heatmap(surface, data);
vis.visor();
const spec = { $schema: "https://vega.github.io/schema/vega-lite/v5.json", layer: [{ mark: "bar", encoding: {} }] };
const notASpec = { mark: "x" };
display(fx.verdict("H1", a, b));
`);
  assert.deepEqual(
    facts.visuals.map((v) => [v.name, v.range.line]),
    [["display", 4], ["attributionHeatmap", 5], ["ckaMatrix", 6], ["ablationCurves", 7], ["vis.render.heatmap", 8], ["vega-lite spec", 10]],
  );
  assert.deepEqual(facts.tests.map((t) => [t.name, t.strings]), [["verdict", ["H1"]]]);
});

test("links, hypothesis properties, controls, corrections and seeds", () => {
  const facts = readCell(`// @hypothesis H1, H2
/* @hypothesis H3 */
const control = baseline("random-units", values, { hypothesis: "H4" });
const adjusted = adjustPValues(ps, "holm");
const a = tf.randomUniform([3], 0, 1, "float32", 7);
const b = tf.randomUniform([3]);
const c = Math.random();
const d = tf.util.shuffle(xs);
hypotheses.get("H5");
`);
  assert.deepEqual(facts.links.map((l) => [l.id, l.range.line, l.range.column]), [["H1", 1, 16], ["H2", 1, 20], ["H3", 2, 16]]);
  assert.deepEqual(facts.baselines.map((b) => [b.name, b.hypothesis, b.strings]), [["baseline", "H4", ["random-units"]]]);
  assert.deepEqual(facts.corrections.map((c) => c.name), ["adjustPValues"]);
  assert.deepEqual(facts.randomness.map((r) => [r.name, r.seeded]), [["tf.randomUniform", true], ["tf.randomUniform", false], ["Math.random", false], ["tf.util.shuffle", false]]);
  assert.deepEqual(facts.mentions.map((m) => m.strings), [["H5"]]);
});

test("declared and used top-level names, for the dependency graph", () => {
  const facts = readCell(`import { x } from "./local";
const { a, b: [c] } = obj;
function f(p) { return p + q.r; }
class K {}
let y = a + z.w;
`);
  assert.deepEqual(facts.declares, ["x", "a", "c", "f", "K", "y"]);
  for (const used of ["obj", "q", "a", "z"]) assert.ok(facts.uses.has(used), used);
  for (const property of ["r", "w"]) assert.ok(!facts.uses.has(property), `${property} is a property, not a variable`);
});

test("single examples: a literal index, a one-element slice or gather, also through a const", () => {
  const single = (code: string) => readCell(code).visuals.map((v) => v.singleExample);
  assert.deepEqual(single("display(heat(images[3]));"), [true]);
  assert.deepEqual(single("const one = xs.slice(4, 5);\ndisplay(one);"), [true]);
  assert.deepEqual(single("display(xs.gather([2]));"), [true]);
  assert.deepEqual(single("display(xs.slice(0, 100));"), [false]);
  assert.deepEqual(single("display(images[i]);"), [false]);
  // tfjs' slice takes a size: slice(7, 1) is one example.
  assert.deepEqual(single("display(heat(images.slice(7, 1)));"), [true]);
  // Sizes and labels are not examples.
  assert.deepEqual(single("display(heat(maps, { width: x.shape[2], height: x.shape[1] }));"), [false]);
  assert.deepEqual(single("display(heat(maps, { title: names[0], color: palette[2] }));"), [false]);
  assert.deepEqual(single("display(heat(maps, { title: `digit ${labels[3]}` }));"), [false]);
  // ... but a picked example stays picked next to them.
  assert.deepEqual(single("display(heat(maps[0], { title: names[0] }));"), [true]);
  assert.deepEqual(single("display(heat(maps, { values: scores[4] }));"), [true]);
});

test("declarations of every kind, once each; declarations' own names and parameters are not uses", () => {
  const reading = readCell(`import type { T } from "./types";
import tf2, * as ns from "m";
interface Shape { w: number }
type Id = string;
namespace N {}
enum E { A }
function f(p: Shape): Id { return p.w + outer; }
function f(p: Shape, q?: number): Id;
const { a, b: renamed } = source;
`);
  assert.deepEqual(reading.declares, ["T", "tf2", "ns", "Shape", "Id", "N", "E", "f", "a", "renamed"]);
  for (const name of ["outer", "source", "Shape", "Id", "p"]) assert.ok(reading.uses.has(name), name);
  for (const name of ["w", "b", "q"]) assert.ok(!reading.uses.has(name), `${name} names something; it is not a use`);
});

test("what a cell may change: assignments, increments, method calls and arguments, at any depth", () => {
  const reading = readCell(`model.fit(xs, ys);
weights[0] = 1;
count++;
({ p, q } = pair);
if (ready) { log.push(item); }
const local = 1;
`);
  assert.deepEqual([...reading.touches].sort(), ["count", "log", "model", "p", "q", "weights", "xs", "ys", "item"].sort());
});

test("what a script cannot reproduce, first reason per kind; the string arguments of calls", () => {
  const reading = readCell(`import * as readline from "node:readline";
const answer = prompt("value?");
prompt("again?");
process.stdin.on("data", () => {});
__falsify.stop();
report({ hypothesis: "H2", tags: ["H3"] });
`);
  assert.deepEqual(reading.interactive, [
    "asks the user for input (prompt)",
    "reads interactive input (process.stdin)",
    "calls into the kernel's internals (__falsify)",
    "reads interactive input (node:readline)",
  ]);
  assert.deepEqual([...reading.callStrings], ["value?", "again?", "data", "H2", "H3"]);
});

test("the trailing expression, a last statement without `;`, and a syntax error's position", () => {
  const shown = readCell("const x = 1;\nx + 1");
  assert.deepEqual(shown.trailingExpression, { start: 13, end: 18 });
  assert.equal(shown.openEnd, 18);
  assert.equal(readCell("f();").openEnd, undefined);
  assert.deepEqual(readCell("const = 1;").syntaxError, { message: "Variable declaration expected.", line: 1, column: 7 });
});

test("code nested beyond what TypeScript's parser can recurse is a syntax error at its deepest bracket, for the linter and the export alike", () => {
  // The fuzz test's find: 4,000 brackets overflowed the parser's stack, and the RangeError reached
  // the linter (an internal error) and `falsify export` (a stack trace).
  const parsed = parseNotebook(readFileSync("test/fixtures/lint/deep-code.falsify"));
  assert.ok(parsed.ok);
  const reading = readCell(parsed.notebook.cells[0].source);
  assert.deepEqual(reading.syntaxError, { message: "The code is nested too deeply to be read (4000 levels of brackets)", line: 2, column: 4010 });
  assert.deepEqual(reading.declares, []);
  assert.deepEqual(lintNotebook(parsed.notebook).internalErrors, []);
  const exported = exportScript(parsed.notebook, { notebookName: "deep-code.falsify", generator: "test" });
  assert.ok(!exported.ok && exported.error.kind === "syntax", "refused as a cell that does not parse");
  assert.match(exported.error.message, /^cell deep does not parse \(line 2, column 4010\): The code is nested too deeply/);
  assert.equal(readCell(`x = ${"!".repeat(5000)}y`).syntaxError?.line, 1, "deep without brackets: the cell's start");
});

test("the files a cell reads: literal paths (URL scheme kept apart) and computed ones, through runtime loaders, aliases, fs and tfjs", () => {
  const source = `import { readFileSync as read } from "node:fs";
import * as fs from "node:fs/promises";
import { loadModel as load } from "falsify";
const a = read("data/a.json", "utf8");
const b = await fs.readFile(name);
const { model } = await load("m/model.json");
const digits = fx.loadDigits({ seed: 1, path: "digits.csv.gz" });
const g = await tf.loadGraphModel("file:///abs/g/model.json");
const remote = await tf.loadGraphModel("https://example.org/model.json");
const each = await fx.loadModel(\`runs/\${k}/model.json\`);
`;
  const reading = readCell(source);
  assert.deepEqual(
    reading.reads.map(({ call, path, scheme, expression, start, end }) => ({ call, path, scheme, expression, text: source.slice(start, end) })),
    [
      { call: "read", path: "data/a.json", scheme: undefined, expression: undefined, text: '"data/a.json"' },
      { call: "fs.readFile", path: undefined, scheme: undefined, expression: "name", text: "name" },
      { call: "load", path: "m/model.json", scheme: undefined, expression: undefined, text: '"m/model.json"' },
      { call: "fx.loadDigits", path: "digits.csv.gz", scheme: undefined, expression: undefined, text: '"digits.csv.gz"' },
      { call: "tf.loadGraphModel", path: "/abs/g/model.json", scheme: "file://", expression: undefined, text: '"file:///abs/g/model.json"' },
      { call: "fx.loadModel", path: undefined, scheme: undefined, expression: "`runs/${k}/model.json`", text: "`runs/${k}/model.json`" },
    ],
  );
});
