// `falsify run --write` puts outputs into the notebook as it is when the run ends (issue 14: a cell
// added to the file during the run used to be lost): by cell id, only when every cell that ran is
// still there with the source it ran, else nothing is written. The kernel-level repro (a cell that
// edits its own notebook file while it runs) is in test/unit/export/run.test.ts.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { writeOutputsBack, type RanCell } from "../../../src/cli/write-back";
import { parseNotebook, serializeNotebook, type Cell, type Notebook } from "../../../src/core/format";

const scratch = mkdtempSync(join(tmpdir(), "falsify-write-back-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const code = (id: string, source: string): Cell => ({ id, kind: "code", language: "typescript", source, metadata: {}, outputs: [] });
const notebook = (...cells: Cell[]): Notebook => ({ format: "falsify", version: 1, metadata: {}, cells });
const output = (text: string) => [{ items: [{ mime: "text/plain", data: text }] }];

function setUp(name: string): { path: string; bytes: Buffer; ran: Map<string, RanCell> } {
  const path = join(scratch, name);
  writeFileSync(path, serializeNotebook(notebook(code("a", "1 + 1"), code("b", "2 + 2"))));
  const ran = new Map<string, RanCell>([
    ["a", { source: "1 + 1", language: "typescript", outputs: output("2") }],
    ["b", { source: "2 + 2", language: "typescript", outputs: output("4") }],
  ]);
  return { path, bytes: readFileSync(path), ran };
}

const cells = (path: string) => {
  const parsed = parseNotebook(readFileSync(path, "utf8"));
  assert.ok(parsed.ok);
  return parsed.notebook.cells.map((cell) => [cell.id, cell.outputs[0]?.items[0].data ?? null]);
};

test("an unchanged file gets the outputs", async () => {
  const { path, bytes, ran } = setUp("same.falsify");
  assert.deepEqual(await writeOutputsBack(path, bytes, ran), { written: true, merged: false });
  assert.deepEqual(cells(path), [["a", "2"], ["b", "4"]]);
});

test("a cell added meanwhile is kept: the outputs are merged into the file as it is now", async () => {
  const { path, bytes, ran } = setUp("added.falsify");
  writeFileSync(path, serializeNotebook(notebook(code("a", "1 + 1"), code("new", "// added in the editor"), code("b", "2 + 2"))));
  assert.deepEqual(await writeOutputsBack(path, bytes, ran), { written: true, merged: true });
  assert.deepEqual(cells(path), [["a", "2"], ["new", null], ["b", "4"]]);
});

test("a cell edited or removed meanwhile: nothing is written, and the reason names it", async () => {
  for (const [name, changed] of [
    ["edited", notebook(code("a", "1 + 1"), code("b", "2 + 3"))],
    ["removed", notebook(code("a", "1 + 1"))],
  ] as const) {
    const { path, bytes, ran } = setUp(`${name}.falsify`);
    const now = serializeNotebook(changed);
    writeFileSync(path, now);
    const result = await writeOutputsBack(path, bytes, ran);
    assert.deepEqual(result, { written: false, reason: "it changed during the run: cell b is edited or gone" }, name);
    assert.equal(readFileSync(path, "utf8"), now, name);
  }
});
