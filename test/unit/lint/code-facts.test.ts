import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeCode } from "../../../src/core/lint/code-facts";

test("visualisations: display, chart builders (also through fx, aliases and namespaces), tfjs-vis and spec literals", () => {
  const facts = analyzeCode(`import * as F from "falsify";
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
  const facts = analyzeCode(`// @hypothesis H1, H2
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
  const facts = analyzeCode(`import { x } from "./local";
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
  const single = (code: string) => analyzeCode(code).visuals.map((v) => v.singleExample);
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
