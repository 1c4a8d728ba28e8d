// Faithfulness: a notebook run headless by `falsify run` (the kernel process the editor uses) and the
// same notebook exported as a script and run with node, on the same backend and seed, write
// byte-identical results JSON. Also: --seed, --shard with `falsify merge`, the .mjs variant.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { runCommand } from "../../../src/cli/run";
import { runCli } from "../../../src/cli/main";
import { notebookSeed } from "../../../src/core/cell/environment";
import { MIME } from "../../../src/core/display";
import { exportScript, mergeResults, parseResults, serializeResults, type ExportOptions, type RunResults } from "../../../src/core/export";
import { parseNotebook, serializeNotebook, type Notebook } from "../../../src/core/format";
import { kernelScript, startKernel } from "../kernel/support";
import { removeScriptWorkspace, runScript, scriptWorkspace } from "./support";

const FIXTURES = resolve("test/fixtures/export");

function exportTo(name: string, file: string, options: Partial<ExportOptions> = {}): string {
  const parsed = parseNotebook(readFileSync(join(FIXTURES, name), "utf8"));
  assert.ok(parsed.ok);
  const language = file.endsWith(".mjs") ? "mjs" : "ts";
  const result = exportScript(parsed.notebook, { notebookName: name, generator: "falsify test", language, ...options });
  assert.ok(result.ok, result.ok ? "" : result.error.message);
  writeFileSync(join(scriptWorkspace(), file), result.script);
  return file;
}

function scriptResults(file: string, ...args: string[]): { text: string; stdout: string } {
  const out = `${file}.${args.join("_").replace(/[^\w.-]/g, "")}.results.json`;
  const run = runScript(file, ...args, "--out", out);
  assert.equal(run.status, 0, `${file} failed:\n${run.stdout}\n${run.stderr}`);
  return { text: readFileSync(join(scriptWorkspace(), out), "utf8"), stdout: run.stdout };
}

async function notebookResults(name: string): Promise<{ text: string; out: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const file = join(scriptWorkspace(), `${name}.kernel.results.json`);
  const code = await runCommand([join(FIXTURES, name), "--out", file], { out: (l) => out.push(l), err: (l) => err.push(l) }, { kernelScript: kernelScript() });
  assert.equal(code, 0, [...out, ...err].join("\n"));
  return { text: readFileSync(file, "utf8"), out };
}

after(removeScriptWorkspace);

/** The backend a run or script printed (falsify run prints it when tfjs loads, before the first cell that uses it). */
const backendOf = (output: string) => /tfjs \S+ on (tensorflow|wasm|cpu)/.exec(output)?.[1];

describe("notebook and exported script write the same results", () => {
  let kernel: { text: string; out: string[] };
  before(async () => {
    scriptWorkspace();
    kernel = await notebookResults("regression.falsify");
  });

  test("whole notebook: falsify run vs the .ts script with node, byte for byte", () => {
    const script = scriptResults(exportTo("regression.falsify", "regression.ts"));
    assert.equal(backendOf(script.stdout), backendOf(kernel.out.join("\n")), "same backend");
    assert.equal(script.text, kernel.text);
    const results = parseResults(script.text);
    assert.ok(results.ok && results.results.kind === "run");
    const run = results.results as RunResults;
    assert.equal(run.seed, 7);
    assert.deepEqual(run.verdicts.map((v) => [v.hypothesis, v.test]), [["H1", "welch-t"]]);
    assert.deepEqual(run.metrics.map((m) => m.name), ["mse", "draw"]);
    assert.match(script.stdout, /verdict H1: \w+ \(welch-t/);
  });

  test("one cell with its dependencies, as .mjs run by plain node: the same results", () => {
    const script = scriptResults(exportTo("regression.falsify", "evaluate.mjs", { cellId: "evaluate" }));
    assert.equal(script.text, kernel.text);
  });

  test("--seed changes the run (and says so in the results)", () => {
    const reseeded = parseResults(scriptResults("evaluate.mjs", "--seed", "8").text);
    const original = parseResults(kernel.text);
    assert.ok(reseeded.ok && original.ok);
    const [a, b] = [reseeded.results as RunResults, original.results as RunResults];
    assert.equal(a.seed, 8);
    assert.notDeepEqual(a.metrics, b.metrics);
  });
});

describe("paths", () => {
  test("a script runs in the notebook's folder, as the kernel does: relative data paths in cells agree, --out is the caller's", async () => {
    const dir = join(scriptWorkspace(), "data");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "numbers.json"), "[1, 2, 39]");
    const notebook: Notebook = {
      format: "falsify",
      version: 1,
      metadata: {},
      cells: [{ id: "read", kind: "code", language: "typescript", source: 'fx.record("sum", JSON.parse(require("node:fs").readFileSync("numbers.json", "utf8")).reduce((a: number, b: number) => a + b, 0));', metadata: {}, outputs: [] }],
    };
    writeFileSync(join(dir, "reads.falsify"), serializeNotebook(notebook));
    const result = exportScript(notebook, { notebookName: "reads.falsify", generator: "falsify test", language: "mjs", notebookDir: "data" });
    assert.ok(result.ok);
    writeFileSync(join(scriptWorkspace(), "reads.mjs"), result.script);
    const script = scriptResults("reads.mjs");
    assert.match(script.text, /"value": 42/);
    const out: string[] = [];
    const kernelOut = join(scriptWorkspace(), "reads.kernel.json");
    const code = await runCommand([join(dir, "reads.falsify"), "--out", kernelOut], { out: (l) => out.push(l), err: (l) => out.push(l) }, { kernelScript: kernelScript() });
    assert.equal(code, 0, out.join("\n"));
    assert.equal(readFileSync(kernelOut, "utf8"), script.text);
  });
});

describe("--shard i/n jobs, merged", () => {
  test("two shards of the script merge into every item once, as the unsharded notebook run recorded them", async () => {
    const file = exportTo("sweep.falsify", "sweep.mjs");
    const shards = [0, 1].map((i) => scriptResults(file, "--shard", `${i}/2`, "--svg-dir", `charts-${i}`).text);
    const svg = readFileSync(join(scriptWorkspace(), "charts-0", "chart-01-distribution.svg"), "utf8");
    assert.match(svg, /^<svg[^>]*>/, "the displayed chart is written as SVG");
    const parsed = shards.map((text) => parseResults(text)).map((p) => (assert.ok(p.ok), p.results));
    const merged = mergeResults([...parsed].reverse(), ["s1", "s0"]);
    assert.ok(merged.ok, merged.ok ? "" : merged.error.message);
    const squares = merged.merged.metrics.filter((m) => m.name === "square");
    assert.deepEqual(squares.map((m) => (m.value as { k: number }).k), [0, 2, 4, 6, 1, 3, 5], "shard 0 takes the even items, shard 1 the odd ones");
    assert.deepEqual(squares.map((m) => m.shard?.index), [0, 0, 0, 0, 1, 1, 1]);

    const whole = parseResults((await notebookResults("sweep.falsify")).text);
    assert.ok(whole.ok);
    const wholeSquares = (whole.results as RunResults).metrics.filter((m) => m.name === "square").map((m) => m.value);
    assert.deepEqual([...squares.map((m) => m.value)].sort((x, y) => (x as { k: number }).k - (y as { k: number }).k), wholeSquares);

    // The same through the CLI, with the files in any order.
    const names = shards.map((text, i) => {
      const path = join(scriptWorkspace(), `shard-${i}.json`);
      writeFileSync(path, text);
      return path;
    });
    const out = join(scriptWorkspace(), "merged.json");
    const code = await runCli(["merge", names[1], names[0], "-o", out], { out: () => {}, err: () => {} });
    assert.equal(code, 0);
    assert.equal(readFileSync(out, "utf8"), serializeResults(merged.merged));
  });
});

// Issue 12: `rng` existed in the editor only after Run All sent a seed. The kernel now seeds itself
// at start from the init request (the notebook's seed, else 0), by the rule exports use.
describe("rng from the start: one cell in a fresh kernel, falsify run and the script draw the same", () => {
  const draw = (seed?: number): Notebook => ({
    format: "falsify",
    version: 1,
    metadata: seed === undefined ? {} : { seed },
    cells: [{ id: "draw", kind: "code", language: "typescript", source: 'fx.record("draw", [rng.next(), Math.random()]);', metadata: {}, outputs: [] }],
  });
  const freshKernelDraw = async (notebook: Notebook, seeded: boolean): Promise<string> => {
    const kernel = await startKernel(seeded ? { seed: notebookSeed(notebook.metadata) } : {});
    try {
      const result = await kernel.execute({ source: notebook.cells[0].source, cellId: "draw" });
      assert.equal(result.status, "ok", JSON.stringify(result.error));
      const metric = result.outputs.flatMap((o) => o.items).find((item) => item.mime === MIME.metric);
      return JSON.stringify((metric?.data as { value: unknown }).value);
    } finally {
      kernel.dispose();
    }
  };
  const scriptDraw = (notebook: Notebook, name: string): string => {
    const exported = exportScript(notebook, { notebookName: name, generator: "falsify test", language: "mjs" });
    assert.ok(exported.ok);
    writeFileSync(join(scriptWorkspace(), `${name}.mjs`), exported.script);
    const results = parseResults(scriptResults(`${name}.mjs`).text);
    assert.ok(results.ok);
    return JSON.stringify((results.results as RunResults).metrics[0].value);
  };

  test("metadata.seed travels in the init request (as the editor sends it); without one, everything starts from 0", async () => {
    const seeded = draw(5);
    writeFileSync(join(scriptWorkspace(), "seeded.falsify"), serializeNotebook(seeded));
    const out = join(scriptWorkspace(), "seeded.kernel.json");
    const [kernel, unseededKernel, code] = await Promise.all([
      freshKernelDraw(seeded, true),
      freshKernelDraw(draw(), false),
      runCommand([join(scriptWorkspace(), "seeded.falsify"), "--out", out], { out: () => {}, err: () => {} }, { kernelScript: kernelScript() }),
    ]);
    assert.equal(code, 0);
    const run = parseResults(readFileSync(out, "utf8"));
    assert.ok(run.ok);
    assert.equal(kernel, JSON.stringify((run.results as RunResults).metrics[0].value), "fresh kernel = falsify run");
    assert.equal(kernel, scriptDraw(seeded, "seeded.falsify"), "fresh kernel = exported script");
    assert.equal(unseededKernel, scriptDraw(draw(), "unseeded.falsify"), "no seed anywhere: 0 in both");
    assert.notEqual(kernel, unseededKernel, "the seed matters");
  });
});
