// `--with-data` decides what it copies from the paths the cells name: only files under the
// notebook's folder (a notebook from someone else must not make an export copy yours), a model.json
// with its weight files; everything else is said in the header with a path that still works here.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { carryNotebookData, copyCarried, exportScript } from "../../../src/core/export";
import type { Notebook } from "../../../src/core/format";

const scratch = mkdtempSync(join(tmpdir(), "falsify-data-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const folder = join(scratch, "notebook");
const secret = join(scratch, "secret.txt");
mkdirSync(join(folder, "model"), { recursive: true });
writeFileSync(join(folder, "table.csv"), "1,2\n");
writeFileSync(join(folder, "model", "model.json"), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ["w1.bin", "../../secret.txt"], weights: [] }] }));
writeFileSync(join(folder, "model", "w1.bin"), "w");
writeFileSync(secret, "not yours to send");
symlinkSync(secret, join(folder, "link.txt"));

const source = [
  'import { readFileSync } from "node:fs";',
  `const table = readFileSync(${JSON.stringify(join(folder, "table.csv"))}, "utf8");`,
  'const { model } = await fx.loadModel("model/model.json");',
  `const stolen = readFileSync(${JSON.stringify(secret)}, "utf8") + readFileSync("link.txt", "utf8") + readFileSync("missing.csv", "utf8");`,
  "const computed = readFileSync(`runs/${table.length}.csv`);",
  "",
].join("\n");
const notebook: Notebook = { format: "falsify", version: 1, metadata: {}, cells: [{ id: "reads", kind: "code", language: "typescript", source, metadata: {}, outputs: [] }] };

test("files under the notebook's folder are carried (a model.json with its weights); others are not, and say why", () => {
  const data = carryNotebookData(notebook, undefined, folder);
  assert.deepEqual(
    Object.fromEntries([...data].map(([path, carried]) => [path, { path: carried.path, copies: carried.copies.map((c) => c.to), notCopied: carried.notCopied }])),
    {
      [join(folder, "table.csv")]: { path: "table.csv", copies: ["table.csv"], notCopied: undefined },
      "model/model.json": { path: "model/model.json", copies: ["model/model.json", "model/w1.bin"], notCopied: undefined },
      [secret]: { path: secret, copies: [], notCopied: "outside the notebook's folder" },
      "link.txt": { path: join(folder, "link.txt"), copies: [], notCopied: "outside the notebook's folder" },
      "missing.csv": { path: "missing.csv", copies: [], notCopied: "not found when exporting" },
    },
  );
  const out = join(scratch, "out");
  assert.deepEqual(copyCarried(data.values(), out), ["table.csv", "model/model.json", "model/w1.bin"]);

  const result = exportScript(notebook, { notebookName: "reads.falsify", generator: "falsify test", language: "mjs", notebookDir: ".", data });
  assert.ok(result.ok);
  assert.match(result.script, /readFileSync\("table\.csv", "utf8"\)/, "an absolute path inside the folder is rewritten relative to the script");
  assert.match(result.script, /loadModel\("model\/model\.json"\)/);
  assert.match(result.script, new RegExp(`// Files the cells read: table\\.csv \\(cell reads, from ${join(folder, "table.csv")}\\),`));
  assert.match(result.script, /secret\.txt \(cell reads; not copied: outside the notebook's folder\)/);
  assert.match(result.script, /\/\/ Files read from paths computed at run time \(not copied; carry them yourself\): `runs\/\$\{table\.length\}\.csv` \(cell reads\)\./);
});

test("without --with-data the header still lists the files, and says how to carry them", () => {
  const result = exportScript(notebook, { notebookName: "reads.falsify", generator: "falsify test" });
  assert.ok(result.ok);
  assert.match(result.script, /\/\/ Files the cells read: .*model\/model\.json \(cell reads\).* Not carried: export with --with-data to copy them beside the script\./);
});
