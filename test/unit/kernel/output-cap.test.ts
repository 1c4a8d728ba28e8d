// A cell's console output is capped (issue 14: a cell printing 50 MB put a 52 MB notebook on disk):
// the kernel keeps the first maxOutputChars characters of a run's stdout and stderr together and
// ends the run's output with a note saying how many were dropped.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { MIME } from "../../../src/core/display";
import { parseNotebook } from "../../../src/core/format";
import { DEFAULT_MAX_OUTPUT_CHARS } from "../../../src/core/kernel/protocol";
import type { KernelClient } from "../../../src/kernel/client";
import { startKernel } from "./support";

// One kernel with the default cap (a start costs seconds); `falsify run --max-output-chars` sets
// another (test/unit/export/run.test.ts).
let kernel: KernelClient;
before(async () => {
  kernel = await startKernel();
});
after(() => kernel?.dispose());

const text = (outputs: { items: { mime: string; data: unknown }[] }[]) => outputs.flatMap((o) => o.items).map((item) => `${item.mime === MIME.stderr ? "E:" : "O:"}${String(item.data)}`);

test("the repro: 50 MB printed keep the default 1,000,000 characters and a note of the 49,000,000 dropped", async () => {
  const repro = parseNotebook(readFileSync("test/fixtures/run/prints-50mb.falsify"));
  assert.ok(repro.ok);
  const run = await kernel.execute({ source: repro.notebook.cells.find((cell) => cell.id === "print")!.source });
  assert.equal(run.status, "ok");
  const [kept, note] = text(run.outputs);
  assert.equal(kept, `O:${"x".repeat(DEFAULT_MAX_OUTPUT_CHARS)}`);
  assert.match(note, /^E:\n\[falsify: this cell printed or displayed 49,000,000 more characters of text than the 1,000,000 a run keeps; they were dropped \(setting falsify\.kernel\.maxOutputChars, falsify run --max-output-chars\)\]\n$/);
  const next = await kernel.execute({ source: 'console.log("fresh")' });
  assert.deepEqual(text(next.outputs), ["O:fresh\n"], "the next run starts with the whole allowance");
});

test("stdout and stderr count together; what is kept is the start of the output, without gaps; no half characters", async () => {
  const line = "o".repeat(49_999);
  const source = `for (let i = 0; i < 30; i++) console.log("${line}"); console.error("e".repeat(500)); console.log("late");`;
  const run = await kernel.execute({ source });
  assert.deepEqual(text(run.outputs), [
    `O:${`${line}\n`.repeat(20)}`,
    "E:\n[falsify: this cell printed or displayed 500,506 more characters of text than the 1,000,000 a run keeps; they were dropped (setting falsify.kernel.maxOutputChars, falsify run --max-output-chars)]\n",
  ]);
  const emoji = await kernel.execute({ source: `void process.stdout.write("a".repeat(999_999) + "\\u{1F600}")` });
  assert.equal(text(emoji.outputs)[0], `O:${"a".repeat(999_999)}`, "the pair that does not fit is dropped whole");
});

test("the setting's documented default is the kernel's", () => {
  const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } };
  assert.equal(manifest.contributes.configuration.properties["falsify.kernel.maxOutputChars"].default, DEFAULT_MAX_OUTPUT_CHARS);
});

test("values displayed as text share the allowance (a 50 MB trailing string is as easy as a print); rich outputs are kept whole", async () => {
  const trailing = await kernel.execute({ source: '"x".repeat(50_000_000)' });
  const [kept, note, ...rest] = text(trailing.outputs);
  assert.equal(kept, `O:${"x".repeat(DEFAULT_MAX_OUTPUT_CHARS)}`);
  assert.match(note, /^E:\n\[falsify: this cell printed or displayed 49,000,000 more characters of text than the 1,000,000 a run keeps/);
  assert.deepEqual(rest, []);

  const chart = '{ $schema: "https://vega.github.io/schema/vega-lite/v5.json", mark: "point", data: { values: [] } }';
  const source = `console.log("a".repeat(${DEFAULT_MAX_OUTPUT_CHARS - 5})); display("0123456789"); display("more"); display(${chart}); ""`;
  const mixed = await kernel.execute({ source });
  const shown = (data: unknown) => (typeof data !== "string" ? "{spec}" : data.length > 40 ? `...${data.slice(-12)}` : data);
  const items = mixed.outputs.map((output) => output.items.map((item) => [item.mime, shown(item.data)]));
  assert.deepEqual(items, [
    [[MIME.stdout, "...aaaaaaaaaaa\n"]],
    [[MIME.text, "0123"]],
    [[MIME.vegaLite, "{spec}"], [MIME.text, "[Vega-Lite chart]"]],
    [[MIME.text, ""]],
    [[MIME.stderr, "...put-chars)]\n"]],
  ]);
  assert.match(String(mixed.outputs[4].items[0].data), /displayed 10 more characters of text than the 1,000,000/, "6 of 0123456789 and the 4 of more");
});
