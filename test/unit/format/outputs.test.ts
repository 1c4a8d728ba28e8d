// Console chunks merge into one item per run of one stream, so the saved file and the hash a run
// records of its outputs do not depend on how VS Code (or the kernel client) chunked the text.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MIME } from "../../../src/core/display";
import { addOutput, mergeStreamChunks, outputsHash, type Output, type OutputItem } from "../../../src/core/format";

const out = (data: string): OutputItem => ({ mime: MIME.stdout, data });
const err = (data: string): OutputItem => ({ mime: MIME.stderr, data });

test("consecutive chunks of one stream join; another stream or mime starts a new item", () => {
  assert.deepEqual(mergeStreamChunks([out("epoch 1\n"), out("epoch 2"), out("\n"), err("warn\n"), err("!"), out("done\n")]), [out("epoch 1\nepoch 2\n"), err("warn\n!"), out("done\n")]);
  const png: OutputItem = { mime: "image/png", data: "AAAA", encoding: "base64" };
  const json: OutputItem = { mime: "application/json", data: { a: 1 } };
  assert.deepEqual(mergeStreamChunks([png, json]), [png, json]);
  assert.deepEqual(mergeStreamChunks([json, out("a"), out("b"), json]), [json, out("ab"), json]);
  assert.deepEqual(mergeStreamChunks([]), []);
});

test("the outputs hash of chunked output equals the hash of the merged output a run records", () => {
  const recorded = outputsHash([{ items: [out("epoch 1 loss 0.5\nepoch 2 loss 0.25\n")] }]);
  const chunked = [{ items: mergeStreamChunks([out("epoch 1 loss 0.5\n"), out("epoch 2 loss 0.25\n")]) }];
  assert.equal(outputsHash(chunked), recorded);
  assert.notEqual(outputsHash([{ items: [out("epoch 1 loss 0.5\nepoch 2 loss 0.3\n")] }]), recorded);
});

test("the kernel client's rule is the saving rule: chunks added one by one end as mergeStreamChunks leaves them", () => {
  const chunks = [out("epoch 1\n"), out("epoch 2"), err("warn\n"), err("!"), out("done\n")];
  const outputs: Output[] = [];
  const placed = chunks.map((item) => addOutput(outputs, { items: [item] }));
  assert.deepEqual(placed, [0, 0, 1, 1, 2], "each chunk's output: a continuing chunk joins the last one");
  assert.deepEqual(outputs.flatMap((o) => o.items), mergeStreamChunks(chunks));
  const shown: Output = { items: [{ mime: "text/plain", data: "1" }] };
  assert.equal(addOutput(outputs, shown), 3, "a displayed value starts an output of its own");
  assert.equal(addOutput(outputs, { items: [out("more\n")] }), 4, "and the stream after it too");
});
