// The method scoreboard on the shipped trojan: every built-in method scored (none silently dropped),
// the tests against chance Holm-corrected across methods, an oracle explainer (the mask itself) at
// the top of every score, a method that cannot take a model listed with its reason.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { digitsModelPath, loadDigits, loadModel, type LoadedModel } from "../../../src/core/data";
import { implantTrigger, loadTrigger, methodScoreboard, SCOREBOARD_METHODS } from "../../../src/core/interp/flaws";
import { InterpError } from "../../../src/core/interp/activations";
import { type Progress, setTaskHost, TaskInterrupted } from "../../../src/core/progress";
import { noLeak, testTf } from "../../support/tf";

let trojan: LoadedModel;
let twin: LoadedModel;
let stamped: tf.Tensor;
let mask: number[][];

before(async () => {
  await testTf();
  [trojan, twin] = [await loadModel(digitsModelPath("cnn-trojan")), await loadModel(digitsModelPath("cnn"))];
  const trigger = loadTrigger(digitsModelPath("cnn-trojan").replace(/model\.json$/, "trigger.json"));
  mask = trigger.mask;
  const digits = loadDigits();
  const attack = implantTrigger(digits.test, { ...trigger, rate: 1 });
  stamped = tf.gather(attack.images, attack.poisoned.slice(0, 12));
  tf.dispose([attack.images]);
  digits.dispose();
});

test("every built-in method is scored on the trojan against chance and the clean twin, corrected across methods", async () => {
  const board = await noLeak(() =>
    methodScoreboard(trojan, stamped, mask, { twin, methodOptions: { "integrated-gradients": { steps: 8 }, smoothgrad: { samples: 8 } } }),
  );
  assert.deepEqual(board.entries.map((e) => e.name), [...SCOREBOARD_METHODS]);
  assert.ok(board.entries.every((e) => e.result && !e.notApplicable), "the digits CNN takes every method");
  assert.equal(board.table.length, SCOREBOARD_METHODS.length * 3);
  assert.equal(board.chanceLevel, 4 / 64, "the 2x2 patch's area fraction");
  for (const row of board.table) {
    const raw = board.entries.find((e) => e.name === row.method)!.result!.tests[row.metric].vsChance;
    assert.ok(row.p >= raw.p - 1e-15, `${row.method} ${row.metric}: corrected p ${row.p} < raw ${raw.p}`);
    assert.ok(row.lower <= row.mean && row.mean <= row.upper);
    assert.equal(typeof row.twinMean, "number");
  }
  const corrected = board.entries[0].corrected!.relevanceMass;
  assert.deepEqual([corrected.correction?.method, corrected.correction?.tests], ["holm", SCOREBOARD_METHODS.length]);
  assert.deepEqual(board.chartInput.map((e) => e.name), [...SCOREBOARD_METHODS]);
});

test("an oracle map (the mask itself) tops every score; a method that cannot take the model is listed with its reason", async () => {
  const oracle = { name: "oracle", explain: async (_m: unknown, x: tf.Tensor, targets: Int32Array) => ({ method: "gradient" as const, values: Float32Array.from({ length: x.size }, (_, k) => mask[Math.floor((k % 64) / 8)][k % 8]), shape: x.shape, targets, scores: new Float32Array(x.shape[0]), output: "logits", settings: {} }) };
  const cannot = { name: "needs-a-dag", explain: async () => { throw new InterpError("unsupported-model", "not this model"); } };
  const board = await methodScoreboard(trojan, stamped, mask, { methods: [oracle, cannot, "gradient"] });
  assert.deepEqual(board.entries.map((e) => [e.name, e.notApplicable]), [["oracle", undefined], ["needs-a-dag", "not this model"], ["gradient", undefined]]);
  const rows = board.table.filter((r) => r.method === "oracle");
  assert.deepEqual(rows.map((r) => r.mean), [1, 1, 1]);
  assert.ok(rows.every((r) => r.verdict === "supported"));
  assert.equal(board.entries[0].corrected!.pointingGame.correction?.tests, 2, "only the applicable methods form the family");
});

test("the scoreboard is one progress task of every method's maps, and an interrupt stops it between two of them", async () => {
  let calls = 0;
  let stopAfter = Infinity;
  const explain = async (_m: unknown, x: tf.Tensor, targets: Int32Array) => {
    calls++;
    return { method: "gradient" as const, values: Float32Array.from({ length: x.size }, (_, k) => mask[Math.floor((k % 64) / 8)][k % 8]), shape: x.shape, targets, scores: new Float32Array(x.shape[0]), output: "logits", settings: {} };
  };
  const cannot = { name: "needs-a-dag", explain: async () => { throw new InterpError("unsupported-model", "not this model"); } };
  const methods = [{ name: "a", explain }, cannot, { name: "b", explain }, "gradient" as const];
  const reports: Progress[] = [];
  try {
    setTaskHost({ report: (p) => reports.push(p), interrupted: () => calls >= stopAfter });
    await noLeak(() => methodScoreboard(trojan, stamped, mask, { methods, twin }));
    // 4 methods × (the trojan, its twin); the method that cannot take the model counts as done.
    const last = reports.at(-1)!;
    assert.deepEqual([last.label, last.done, last.total, last.unit, last.final], ["methodScoreboard", 8, 8, "method maps", true]);
    assert.equal(calls, 4);
    [calls, stopAfter] = [0, 3];
    const before = tf.memory().numTensors;
    await assert.rejects(methodScoreboard(trojan, stamped, mask, { methods, twin }), (e) => e instanceof TaskInterrupted && /methodScoreboard stopped by the user/.test(e.message));
    assert.equal(calls, 3, "b's twin maps and gradient's are never computed");
    assert.equal(tf.memory().numTensors, before);
  } finally {
    setTaskHost(undefined);
  }
});
