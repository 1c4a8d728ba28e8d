// The worked examples run headless from top to bottom (`falsify run`, the editor's kernel from
// src), each on the shipped digits models: exit code 0, every cell ok, one verdict per test each
// notebook declares (whatever the verdicts turn out to be), and example 1 writes its charts as SVG,
// as the README's one-command start does. One of the slowest parts of the unit suite (30-60 s with
// tfjs-node): it is the integration test of kernel, toolkit, charts and run together.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { runCommand } from "../../../src/cli/run";
import type { VerdictWord } from "../../../src/core/display";
import { kernelScript } from "../kernel/support";

const scratch = mkdtempSync(join(tmpdir(), "falsify-examples-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function run(notebook: string, ...flags: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const results = join(scratch, `${notebook}.json`);
  const started = performance.now();
  const code = await runCommand([join("examples", `${notebook}.falsify`), "--out", results, ...flags], { out: (l) => out.push(l), err: (l) => err.push(l) }, { kernelScript: kernelScript() });
  const seconds = (performance.now() - started) / 1000;
  const text = out.join("\n");
  assert.equal(code, 0, `${notebook} failed:\n${text}\n${err.join("\n")}`);
  assert.doesNotMatch(text, /^ {2}(error|skipped|interrupted|died)/m, text);
  return { text, seconds, results: JSON.parse(readFileSync(results, "utf8")) as { verdicts: { hypothesis: string; label?: string; verdict: string }[]; metrics: { name: string; value: unknown }[] } };
}

const VERDICT_WORDS: readonly VerdictWord[] = ["supported", "falsified", "inconclusive"];
const verdictsOf = (results: { verdicts: { hypothesis: string; verdict: string }[] }) => {
  for (const v of results.verdicts) assert.ok((VERDICT_WORDS as readonly string[]).includes(v.verdict), `${v.hypothesis}: ${v.verdict}`);
  return results.verdicts.map((v) => v.hypothesis);
};

describe("examples run headless with falsify run", { concurrency: false }, () => {
  test("01-selectivity-ablation decides H1 and H2 and writes its charts as SVG", async (t) => {
    const svgDir = join(scratch, "svg");
    const { results, seconds, text } = await run("01-selectivity-ablation", "--svg-dir", svgDir);
    t.diagnostic(`${seconds.toFixed(1)} s`);
    assert.deepEqual(verdictsOf(results), ["H1", "H2"]);
    assert.match(text, /^verdict H1: /m, "the verdicts are printed");
    const svgs = readdirSync(svgDir).sort();
    assert.deepEqual(svgs.map((f) => f.replace(/^chart-\d\d-/, "")), ["selectivity-histograms.svg", "ablation-curves.svg", "class-ablation-bars.svg"]);
    for (const file of svgs) assert.match(readFileSync(join(svgDir, file), "utf8"), /^<svg[^>]*>[\s\S]*<\/svg>\s*$/);
    // The class-ablation bars: one-digit class labels read upright, and every bar too low to see has its value written.
    const bars = readFileSync(join(svgDir, svgs[2]), "utf8");
    const axisLabels = [...bars.matchAll(/class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/gs)].map((m) => m[1]);
    assert.ok(axisLabels.length === 2 && axisLabels.every((labels) => !labels.includes("rotate(")), "axis labels are not rotated");
    const perClass = (name: string) => (results.metrics.find((m) => m.name === `per-class accuracy: ${name}`)?.value ?? []) as number[];
    const nearZero = ["class direction", "most selective unit", "random direction"].flatMap(perClass).filter((accuracy) => accuracy < 0.05).length;
    assert.ok(nearZero > 0, "example 1's class direction zeroes some classes (the case this checks)");
    const valueLabels = bars.match(/aria-roledescription="text mark"/g)?.length ?? 0;
    assert.equal(valueLabels, nearZero, "a value label for every bar too low to see");
  });

  test("02-saliency-sanity decides H1 once per attribution method, each verdict labelled with its method", async (t) => {
    const { results, seconds, text } = await run("02-saliency-sanity");
    t.diagnostic(`${seconds.toFixed(1)} s`);
    assert.deepEqual(verdictsOf(results), Array(8).fill("H1"));
    assert.deepEqual(results.verdicts.map((v) => v.label), ["gradient", "SmoothGrad", "Integrated Gradients", "Guided Backprop", "Grad-CAM", "Guided Grad-CAM", "occlusion", "DeepLift"]);
    assert.match(text, /^verdict H1 \(SmoothGrad\): /m, "the printed verdicts say which test they are");
  });

  test("03-representations decides H1 (CKA) and H2 (probes)", async (t) => {
    const { results, seconds } = await run("03-representations");
    t.diagnostic(`${seconds.toFixed(1)} s`);
    assert.deepEqual(verdictsOf(results), ["H1", "H2"]);
  });

  test("08-real-model-sanity runs the sanity checks by block on the pretrained MobileNetV2 and decides H1", async (t) => {
    const { results, seconds } = await run("08-real-model-sanity");
    t.diagnostic(`${seconds.toFixed(1)} s`);
    assert.deepEqual(verdictsOf(results), ["H1"]);
  });

  test("09-onnx-resnet-sanity opens the ONNX ResNet and decides H1 by block", async (t) => {
    const { results, seconds } = await run("09-onnx-resnet-sanity");
    t.diagnostic(`${seconds.toFixed(1)} s`);
    assert.deepEqual(verdictsOf(results), ["H1"]);
  });

  test("05-implanted-flaw scores every attribution method on the planted trigger and decides H1", async (t) => {
    const { results, seconds, text } = await run("05-implanted-flaw");
    t.diagnostic(`${seconds.toFixed(1)} s`);
    assert.deepEqual(verdictsOf(results), ["H1"]);
    const mass = results.metrics.find((m) => m.name === "relevance mass inside the trigger, mean per method")?.value as Record<string, number>;
    assert.deepEqual(Object.keys(mass).sort(), ["deeplift", "grad-cam", "gradient", "gradient-x-input", "guided-backprop", "guided-grad-cam", "integrated-gradients", "occlusion", "smoothgrad"]);
    assert.ok(Object.values(mass).every((m) => m > 4 / 64), `every method above chance: ${text}`);
  });

  test("06-selectivity-regularizer trains 15 CNNs with the regulariser and decides H1", async (t) => {
    const { results, seconds, text } = await run("06-selectivity-regularizer");
    t.diagnostic(`${seconds.toFixed(1)} s`);
    assert.deepEqual(verdictsOf(results), ["H1"]);
    assert.match(text, /^metric alpha = -1 = \{"accuracy":\[(0\.\d+,){4}0\.\d+\],"selectivity"/m, "five seeded runs at alpha = -1, each with its accuracy and selectivity");
  });

  test("04-linter-tour runs its heatmap (and decides nothing yet)", async (t) => {
    const { results, seconds } = await run("04-linter-tour");
    t.diagnostic(`${seconds.toFixed(1)} s`);
    assert.deepEqual(verdictsOf(results), []);
  });

  test("07-forward-prediction writes its study and decides H1 on simulated participants", async (t) => {
    const { results, seconds } = await run("07-forward-prediction");
    t.diagnostic(`${seconds.toFixed(1)} s`);
    assert.deepEqual(verdictsOf(results), ["H1"]);
    const metrics = (results as unknown as { metrics: { name: string }[] }).metrics.map((m) => m.name);
    assert.deepEqual(metrics, ["accuracy per condition (SIMULATED participants)"], "the recorded numbers say they come from simulated participants");
    const written = join("examples", "out", "07-forward-prediction");
    assert.deepEqual(readdirSync(written).sort(), ["saliency-digits.html", "saliency-digits.key.json"]);
    rmSync(written, { recursive: true, force: true });
  });
});
