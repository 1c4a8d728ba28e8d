// The kernel process end to end through KernelClient, on one shared kernel (tfjs-node when built,
// as in CI): REPL state, imports, streaming, errors, interrupts, display, hypotheses, seeding.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { MIME } from "../../../src/core/display";
import { FALSIFY_VERSION } from "../../../src/core/export/version";
import type { RunEvent } from "../../../src/core/kernel/protocol";
import type { KernelClient, RunResult } from "../../../src/kernel/client";
import { startKernel } from "./support";

let kernel: KernelClient;
before(async () => {
  kernel = await startKernel();
});
after(() => kernel.dispose());

async function run(source: string, language?: "typescript" | "hypothesis"): Promise<RunResult> {
  return kernel.execute({ source, language });
}

/** The text/plain of the run's last display (the trailing value). */
function value(result: RunResult): string | undefined {
  const items = result.outputs.filter((o) => o.items.some((i) => i.mime === MIME.text)).pop()?.items;
  return items?.find((i) => i.mime === MIME.text)?.data as string | undefined;
}

async function ok(source: string): Promise<RunResult> {
  const result = await run(source);
  assert.equal(result.status, "ok", `${source}\n-> ${JSON.stringify(result.error ?? result.outputs)}`);
  return result;
}

test("the kernel runs on tfjs-node wherever its native addon is built (CI builds it)", () => {
  const addon = existsSync(resolve("node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node"));
  assert.equal(kernel.info.tensorflow?.backend, addon ? "tensorflow" : "wasm", kernel.info.tensorflow?.notes.join("; "));
  if (process.env.CI) assert.ok(addon, "CI runs `npm run setup:native`: the kernel tests must run on tfjs-node");
});

describe("REPL state", () => {
  test("top-level const, let, function and class are visible in later cells", async () => {
    await ok("const a: number = 40;\nlet b = 2;\nfunction add(x: number, y: number) { return x + y; }\nclass Box { constructor(readonly v: number) {} }");
    assert.equal(value(await ok("add(a, b)")), "42");
    assert.equal(value(await ok("new Box(a).v")), "40");
  });

  test("re-running a cell that declares names works and re-assigns them", async () => {
    await ok("const r = 1;\nclass K {}\nfunction g() { return 1; }");
    await ok("const r = 2;\nclass K {}\nfunction g() { return 2; }");
    assert.equal(value(await ok("r + g()")), "4");
  });

  test("destructuring declarations and let without initialiser", async () => {
    await ok("const { p, q: [s, t = 9] } = { p: 1, q: [2] };\nlet u;");
    assert.equal(value(await ok("[p, s, t, u]")), "[ 1, 2, 9, undefined ]");
  });

  test("top-level await, and a trailing expression's value is displayed (strings as themselves)", async () => {
    const result = await ok("const later = await new Promise<number>((r) => setTimeout(() => r(7), 20));\nlater * 6");
    assert.equal(value(result), "42");
    assert.equal(value(await ok("later")), "7");
  });

  test("a cell ending in a declaration displays nothing", async () => {
    const result = await ok("const nothing = 1;");
    assert.deepEqual(result.outputs, []);
  });
});

describe("imports", () => {
  test("tfjs packages resolve to the kernel's one tfjs instance, in cells and in the user's .ts files", async () => {
    await ok('import * as tfa from "@tensorflow/tfjs";\nimport * as tfc from "@tensorflow/tfjs-core";\nimport * as tfn from "@tensorflow/tfjs-node";');
    assert.equal(value(await ok("tfa.Tensor === tf.Tensor && tfc.Tensor === tf.Tensor && tfn.Tensor === tf.Tensor")), "true");
    await ok('import { double, tfFromHelper, createRngFromHelper } from "./helper";');
    assert.equal(value(await ok("double(21)")), "42");
    assert.equal(value(await ok("tfFromHelper.tensor([1]) instanceof tf.Tensor")), "true");
  });

  test("`falsify` is the runtime library, the same object as the `fx` global", async () => {
    await ok('import * as falsify from "falsify";\nimport { createRng } from "falsify";');
    assert.equal(value(await ok("falsify.createRng === fx.createRng && createRng === fx.createRng && createRngFromHelper === fx.createRng")), "true");
  });

  test("npm packages resolve from the notebook's folder, CommonJS and ES-module-only", async () => {
    await ok('import { greet } from "fixture-greeting";\nimport greeting from "fixture-greeting";\nimport esm, { answer } from "fixture-esm";');
    assert.equal(value(await ok("[greet('you'), typeof greeting.greet, esm, answer]")), "[ 'hello you', 'function', 'esm default', 42 ]");
  });

  test("a missing module is the cell's error", async () => {
    const result = await run('import { nope } from "no-such-package-anywhere";');
    assert.equal(result.status, "error");
    assert.match(result.error!.message, /no-such-package-anywhere/);
  });
});

describe("outputs", () => {
  test("console output streams while the cell runs, in order, before the value", async () => {
    const seen: { event: RunEvent; at: number }[] = [];
    const start = Date.now();
    const result = await kernel.execute(
      { source: 'console.log("first");\nawait new Promise((r) => setTimeout(r, 300));\nconsole.error("second");\n"end"' },
      (event) => seen.push({ event, at: Date.now() - start }),
    );
    assert.equal(result.status, "ok");
    const kinds = seen.map(({ event }) => (event.type === "stream" ? `${event.name}:${event.text.trim()}` : event.type));
    assert.deepEqual(kinds, ["stdout:first", "stderr:second", "display", "done"]);
    // "first" arrived while the cell was still waiting, not with the rest at the end.
    assert.ok(seen[0].at < seen[1].at - 200, `first at ${seen[0].at} ms, second at ${seen[1].at} ms`);
  });

  test("tensors display as shape, dtype and statistics, small ones with every value", async () => {
    const result = await ok("const small = tf.tensor2d([[1, 2], [3, 4]]);\nsmall");
    const tensor = result.outputs[0].items.find((i) => i.mime === MIME.tensor)?.data as { shape: number[]; dtype: string; values: unknown; stats: { mean: number } };
    assert.deepEqual(tensor.shape, [2, 2]);
    assert.equal(tensor.dtype, "float32");
    assert.deepEqual(tensor.values, [[1, 2], [3, 4]]);
    assert.equal(tensor.stats.mean, 2.5);
    const big = await ok("const big = tf.zeros([50, 50]);\nbig");
    const summary = big.outputs[0].items.find((i) => i.mime === MIME.tensor)?.data as { values?: unknown; size: number };
    assert.equal(summary.size, 2500);
    assert.equal(summary.values, undefined);
  });

  test("display() picks the MIME type: verdicts, Falsify charts, plain Vega-Lite, or the one named", async () => {
    const result = await ok(`
const verdictLike = { hypothesis: "H1", verdict: "supported", test: "permutation", alternative: "greater", alpha: 0.05, statistic: 1, p: 0.01,
  effect: { name: "mean difference", estimate: 0.2, ci: [0.1, 0.3] }, n: { observed: 10, baseline: 10 }, reason: "because" };
display(verdictLike);
display({ mark: "bar", data: { values: [] }, usermeta: { falsify: { chart: "test", baselines: ["random"] } } });
display({ $schema: "https://vega.github.io/schema/vega-lite/v5.json", mark: "point" });
display("<b>hi</b>", "text/html");`);
    assert.deepEqual(
      result.outputs.map((o) => o.items[0].mime),
      [MIME.verdict, MIME.chart, MIME.vegaLite, MIME.html],
    );
    assert.equal(result.outputs[3].items[0].data, "<b>hi</b>");
  });

  test("a cell that leaves unreferenced tensors gets a warning; one that keeps them in variables does not", async () => {
    const leaky = await ok("for (let i = 0; i < 3; i++) tf.ones([4]);");
    assert.match(leaky.outputs.map((o) => o.items[0].data).join(""), /left 3 more tensors allocated/);
    const clean = await ok("const kept = [tf.ones([4]), tf.ones([4])];\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });");
    assert.deepEqual(clean.outputs, []);
    // A huge array among the variables does not break (or stall) the accounting.
    assert.deepEqual((await ok("const huge = Array.from({ length: 2e6 }, (_, i) => i);\nconst also = tf.ones([2]);")).outputs, []);
  });
});

describe("errors", () => {
  test("a runtime error's stack points at the cell's line and column, through functions of earlier cells", async () => {
    const define = await ok("function explode(n: number): number {\n  const limit: number = 3;\n  if (n > limit) throw new RangeError(`too big: ${n}`);\n  return n;\n}");
    const order = define.execution!.order!;
    const result = await run("const fine = explode(1);\n\n    explode(fine + 10);");
    assert.equal(result.status, "error");
    const error = result.error!;
    assert.equal(error.name, "RangeError");
    assert.equal(error.message, "too big: 11");
    assert.deepEqual(
      error.frames.map(({ order: o, line, column }) => [o - order, line, column]),
      [
        [0, 3, 24],
        [1, 3, 5],
      ],
    );
    assert.match(error.stack, new RegExp(`at explode \\(cell \\[${order}\\]:3:24\\)`));
    assert.doesNotMatch(error.stack, /falsify-kernel-test|node:internal|falsify-cell/);
  });

  test("an error in the user's .ts module is mapped by its source map", async () => {
    const result = await run('import { fails } from "./helper";\nfails();');
    assert.equal(result.status, "error");
    assert.match(result.error!.stack, /helper\.ts:13:9/);
  });

  test("a syntax error says where in the cell", async () => {
    const result = await run("const ok = 1;\nconst broken = ;");
    assert.equal(result.status, "error");
    assert.equal(result.error!.name, "SyntaxError");
    assert.deepEqual(result.error!.frames.map((f) => [f.line, f.column]), [[2, 16]]);
  });

  test("a thrown non-Error value reads as the REPL shows it", async () => {
    const result = await run('throw "plain string";');
    assert.equal(result.status, "error");
    assert.equal(result.error!.message, "Uncaught 'plain string'");
    assert.equal((await run("throw { code: 3 };")).error!.message, "Uncaught { code: 3 }");
  });
});

describe("interrupt", () => {
  async function interruptAfter(ms: number, source: string): Promise<{ result: RunResult; stoppedInMs: number }> {
    const running = kernel.execute({ source });
    await new Promise((r) => setTimeout(r, ms));
    const sent = Date.now();
    kernel.interrupt();
    const result = await running;
    return { result, stoppedInMs: Date.now() - sent };
  }

  test("stops a runaway synchronous loop within a second and keeps state", async () => {
    await ok("let counter = 0;\nconst before = 'kept';");
    const { result, stoppedInMs } = await interruptAfter(300, "while (true) { counter++; }");
    assert.equal(result.status, "interrupted");
    assert.equal(result.error!.name, "Interrupted");
    assert.ok(stoppedInMs < 1000, `stopped after ${stoppedInMs} ms`);
    assert.equal(value(await ok("before")), "kept");
    assert.equal(value(await ok("counter > 0")), "true");
  });

  test("stops a long async loop, and an await that never settles, within a second", async () => {
    await ok("let steps = 0;");
    const loop = await interruptAfter(300, "for (let i = 0; i < 1e9; i++) { await new Promise((r) => setTimeout(r, 5)); steps++; }");
    assert.equal(loop.result.status, "interrupted");
    assert.ok(loop.stoppedInMs < 1000, `stopped after ${loop.stoppedInMs} ms`);
    const stuck = await interruptAfter(200, "await new Promise(() => {});");
    assert.equal(stuck.result.status, "interrupted");
    assert.ok(stuck.stoppedInMs < 1000);
    assert.equal(value(await ok("steps > 0 && before")), "kept");
  });

  test("stops a loop inside a function defined by an earlier cell, even one that swallows errors", async () => {
    await ok("function spin() { while (true) { try { Math.sqrt(2); } catch { /* swallowed */ } } }");
    const { result } = await interruptAfter(200, "spin();");
    assert.equal(result.status, "interrupted");
    // The next run is not affected by the earlier interrupt.
    assert.equal(value(await ok("for (let i = 0; i < 1000; i++) {}\n'fresh'")), "fresh");
  });
});

test("interrupt stops model.fit itself, not only the cell awaiting it; the model can train again", async () => {
  await ok(`const fitModel = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 8, activation: "relu" }), tf.layers.dense({ units: 1 })] });
fitModel.compile({ optimizer: "sgd", loss: "meanSquaredError" });
const fx4 = tf.randomNormal([512, 4]), fy4 = tf.randomNormal([512, 1]);`);
  // No callback from the cell: its code would see the interrupt itself; library code must be stopped.
  const running = kernel.execute({ source: "await fitModel.fit(fx4, fy4, { epochs: 100000, batchSize: 8, verbose: 0 });" });
  await new Promise((r) => setTimeout(r, 400));
  kernel.interrupt();
  assert.equal((await running).status, "interrupted");
  const steps = async () => Number(value(await ok("fitModel.optimizer.iterations")));
  const at = await steps();
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(await steps(), at, "no training step ran after the interrupt returned");
  assert.ok(at > 0);
  const again = await ok("(await fitModel.fit(fx4, fy4, { epochs: 2, verbose: 0 })).epoch.length");
  assert.equal(value(again), "2");
});

test("interrupt stops a loop inside the user's own imported .ts module", async () => {
  await ok('import { spinForever } from "./helper";');
  const running = kernel.execute({ source: "spinForever();" });
  await new Promise((r) => setTimeout(r, 200));
  kernel.interrupt();
  assert.equal((await running).status, "interrupted");
});

describe("hypotheses", () => {
  const valid = `id: H1
claim: Unit 7 detects loops
prediction: ablating unit 7 lowers accuracy on loop digits more than ablating random units
null: the drop is no larger than for random units
baselines:
  - name: random-units
    description: The same number of units, drawn at random.
metric: accuracy drop
test:
  kind: permutation
  alternative: greater
  alpha: 0.05
`;

  test("a hypothesis cell registers its parsed content for code: hypotheses.get(id)", async () => {
    const result = await run(valid, "hypothesis");
    assert.equal(result.status, "ok", JSON.stringify(result.error));
    assert.equal(value(await ok('hypotheses.get("H1").claim')), "Unit 7 detects loops");
    // verdict("H1", ...) of the runtime finds it too, and the card shows.
    const card = await ok('fx.verdict("H1", [5, 6, 7, 8, 9], [1, 2, 3, 4, 5])');
    const verdict = card.outputs[0].items.find((i) => i.mime === MIME.verdict)?.data as { hypothesis: string; claim?: string; test: string };
    assert.deepEqual([verdict.hypothesis, verdict.claim, verdict.test], ["H1", "Unit 7 detects loops", "permutation"]);
  });

  test("a hypothesis cell with a YAML error fails with the error's position", async () => {
    const result = await run("id: H2\nclaim: [unclosed", "hypothesis");
    assert.equal(result.status, "error");
    assert.match(result.error!.message, /line \d+:\d+/);
  });
});

describe("reproducibility", () => {
  test("seeding makes tfjs' unseeded random ops and the cells' rng repeat", async () => {
    const draw = "[tf.randomNormal([3]).arraySync(), rng.next(), Math.random()]";
    await kernel.seed(42);
    const first = value(await ok(draw));
    await kernel.seed(42);
    assert.equal(value(await ok(draw)), first);
    await kernel.seed(43);
    assert.notEqual(value(await ok(draw)), first);
  });

  test("each run records order, duration, backend, versions and the source hash", async () => {
    const a = await ok("1 + 1");
    const b = await ok("2 + 2");
    const execution = b.execution!;
    assert.equal(execution.order, a.execution!.order! + 1);
    assert.equal(execution.backend, kernel.info.tensorflow?.backend);
    assert.equal(execution.tfjsVersion, "4.22.0");
    assert.equal(execution.nodeVersion, process.versions.node);
    assert.equal(execution.falsifyVersion, FALSIFY_VERSION);
    assert.equal(typeof execution.durationMs, "number");
    assert.match(execution.sourceHash!, /^[0-9a-f]{16}$/);
    assert.notEqual(execution.sourceHash, a.execution!.sourceHash);
  });
});
