// Export as data: the dependency closure of a cell, the generated scripts (golden files; rewrite
// them with UPDATE_GOLDEN=1 after an intended change and review the diff), and the refusals.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { runCli } from "../../../src/cli/main";
import { exportScript, planExport, type ExportOptions } from "../../../src/core/export";
import { lintNotebook } from "../../../src/core/lint";
import { outputsHash, parseNotebook, serializeNotebook, type Cell, type Notebook } from "../../../src/core/format";

const FIXTURES = "test/fixtures/export";

function fixture(name: string): Notebook {
  const parsed = parseNotebook(readFileSync(join(FIXTURES, name), "utf8"));
  assert.ok(parsed.ok, `${name} parses`);
  return parsed.notebook;
}

function code(id: string, source: string, extra: Partial<Cell> = {}): Cell {
  return { id, kind: "code", language: "typescript", source, metadata: {}, outputs: [], ...extra };
}

function notebook(...cells: Cell[]): Notebook {
  return { format: "falsify", version: 1, metadata: { seed: 3 }, cells };
}

const OPTIONS: ExportOptions = { notebookName: "regression.falsify", generator: "falsify 0.1.0" };

function exported(nb: Notebook, options: Partial<ExportOptions> = {}) {
  return exportScript(nb, { ...OPTIONS, ...options });
}

function cellsOf(nb: Notebook, cellId: string): string[] {
  const plan = planExport(nb, cellId);
  assert.ok(plan.ok, plan.ok ? "" : plan.error.message);
  return plan.plan.cells.map(({ cell }) => cell.id);
}

function golden(file: string, actual: string): void {
  const path = join(FIXTURES, file);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  assert.equal(actual, readFileSync(path, "utf8"), `${path} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

describe("dependency closure", () => {
  const nb = fixture("regression.falsify");

  test("a cell brings the cells that declare what it uses and the cells that changed them, in notebook order", () => {
    // evaluate uses model (declared in `model`, trained in `train`) and xs/ys/n (from `data`); `notes` is unrelated.
    assert.deepEqual(cellsOf(nb, "evaluate"), ["data", "model", "train", "evaluate"]);
  });

  test("a cell that uses nothing from other cells comes alone", () => {
    assert.deepEqual(cellsOf(nb, "notes"), ["notes"]);
    assert.deepEqual(cellsOf(nb, "model"), ["model"]);
  });

  test("the dependencies of dependencies come along", () => {
    const chain = notebook(code("a", "const a = 1;"), code("b", "const b = a + 1;"), code("c", "const c = 5;"), code("d", "b * 2"));
    assert.deepEqual(cellsOf(chain, "d"), ["a", "b", "d"]);
  });

  test("property names and object keys are not uses", () => {
    const nb2 = notebook(code("a", "const x = 1;"), code("b", "const y = { x: 2 }; y.x"), code("c", "let z = 3;"), code("d", "const w = { z: 1 }.z + y.x;"));
    assert.deepEqual(cellsOf(nb2, "d"), ["b", "d"]);
  });

  test("a cell that passes a value to a call may change it, so it is kept", () => {
    const nb2 = notebook(code("a", "const model = { w: 0 };"), code("b", "train(model);"), code("c", "function train(m: { w: number }) { m.w++; }"), code("d", "model.w"));
    assert.deepEqual(cellsOf(nb2, "d"), ["a", "b", "d"]);
  });

  test("the hypotheses the exported cells refer to are embedded, others are not", () => {
    const withTwo = notebook(
      { id: "h1", kind: "code", language: "hypothesis", source: "id: H1\nclaim: one.\n", metadata: {}, outputs: [] },
      { id: "h2", kind: "code", language: "hypothesis", source: "id: H2\nclaim: two.\n", metadata: {}, outputs: [] },
      code("a", 'const h = hypotheses.get("H2");'),
      code("b", "// @hypothesis H1\nconst k = 1;"),
    );
    const plan = planExport(withTwo, "a");
    assert.ok(plan.ok);
    assert.deepEqual(plan.plan.hypotheses.map((h) => h.hypothesis.id), ["H2"]);
    const tagged = planExport(withTwo, "b");
    assert.ok(tagged.ok);
    assert.deepEqual(tagged.plan.hypotheses.map((h) => h.hypothesis.id), ["H1"]);
    const whole = planExport(withTwo);
    assert.ok(whole.ok);
    assert.deepEqual(whole.plan.hypotheses.map((h) => h.cellId), ["h1", "h2"]);
  });

  // Export's own regex once linked `// @hypothesis H1, H2` to H1 only (the linter to both) and read
  // the directive inside strings; both now come from the one reading (src/core/cell/reading.ts).
  test("`// @hypothesis H1, H2` embeds both, as the linter links both; a directive inside a string links nothing", () => {
    const hypothesis = (id: string): Cell => ({ id: id.toLowerCase(), kind: "code", language: "hypothesis", source: `id: ${id}\nclaim: ${id}.\n`, metadata: {}, outputs: [] });
    const nb2 = notebook(hypothesis("H1"), hypothesis("H2"), hypothesis("H3"), code("a", '// @hypothesis H1, H2\nconst note = "// @hypothesis H3";'));
    const plan = planExport(nb2, "a");
    assert.ok(plan.ok);
    assert.deepEqual(plan.plan.hypotheses.map((h) => h.hypothesis.id), ["H1", "H2"]);
    const linked = lintNotebook(nb2).hypotheses.map((h) => [h.id, h.linkedCells.map((c) => c.cellId)]);
    assert.deepEqual(linked, [["H1", ["a"]], ["H2", ["a"]], ["H3", []]], "the linter links the cell to the same two");
  });
});

describe("generated scripts (golden)", () => {
  const nb = fixture("regression.falsify");

  test("whole notebook as TypeScript", () => {
    const result = exported(nb);
    assert.ok(result.ok);
    golden("regression.ts", result.script);
  });

  test("one cell with its dependencies as TypeScript", () => {
    const result = exported(nb, { cellId: "evaluate" });
    assert.ok(result.ok);
    assert.deepEqual(result.cellIds, ["data", "model", "train", "evaluate"]);
    assert.deepEqual(result.hypotheses, ["H1"]);
    golden("regression.evaluate.ts", result.script);
  });

  test("one cell with its dependencies as plain JavaScript (.mjs), markers kept", () => {
    const result = exported(nb, { cellId: "evaluate", language: "mjs" });
    assert.ok(result.ok);
    golden("regression.evaluate.mjs", result.script);
    for (const id of ["data", "model", "train", "evaluate"]) assert.match(result.script, new RegExp(`^// %% \\[${id}\\]$`, "m"));
    assert.doesNotMatch(result.script, / as tf\.Tensor|: number\b/, "types are stripped");
  });

  test("header: generator, notebook, cells, recorded environment, seed", () => {
    const result = exported(nb, { cellId: "evaluate" });
    assert.ok(result.ok);
    const header = result.script.split("\n").slice(0, 4).join("\n");
    assert.match(header, /^\/\/ Generated by falsify 0\.1\.0 from regression\.falsify: cell evaluate and the cells it depends on\./);
    assert.match(header, /Cells: data, model, train, evaluate\. Hypotheses \(embedded as data\): H1 \(cell h1\)\./);
    assert.match(header, /node 20\.20\.2, tfjs 4\.22\.0, backend tensorflow/);
    assert.match(header, /Notebook seed: 7/);
    assert.match(result.script, /"seed": 7/);
  });

  test("tfjs and runtime imports bind to the runtime's instances; other imports are hoisted once; relative ones rebased", () => {
    const nb2 = notebook(
      code("a", 'import * as tfn from "@tensorflow/tfjs-node";\nimport { mean } from "falsify";\nimport { helper } from "./lib/helper";\nconst m = mean([1, 2]);'),
      code("b", 'import { helper } from "./lib/helper";\nimport * as tf from "@tensorflow/tfjs";\nconst t = tf.scalar(helper(m)); tfn.dispose(t);'),
    );
    const result = exported(nb2, { notebookDir: "../notebooks" });
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    assert.equal(result.script.match(/import \{ helper \} from "\.\.\/notebooks\/lib\/helper";/g)?.length, 1);
    assert.match(result.script, /^const tfn = tf;$/m);
    assert.match(result.script, /^const \{ mean \} = fx;$/m);
    assert.doesNotMatch(result.script, /from "@tensorflow|from "falsify"/);
    assert.match(result.script, /^const \{ tf, display, fx \} = falsifyScript;$/m);
  });

  test("the same runtime import in several cells is bound once", () => {
    const nb2 = notebook(code("a", 'import { mean, createRng } from "falsify";\nconst m = mean([1]);'), code("b", 'import { createRng, verdict } from "falsify";\nconst r = createRng(1);'));
    const result = exported(nb2, { language: "mjs" });
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    assert.equal(result.script.match(/createRng/g)?.length, 2, "one binding, one use");
    assert.match(result.script, /^const \{ mean, createRng, verdict \} = fx;$/m);
  });

  test("the trailing expression is displayed as the kernel displays it, and a cell without `;` cannot run into the next", () => {
    const nb2 = notebook(code("a", "const x = 2\nx * 3"), code("b", "(async () => 1)()"));
    const result = exported(nb2);
    assert.ok(result.ok);
    assert.match(result.script, /^display\(await \(x \* 3\)\);$/m);
    assert.match(result.script, /^const x = 2$/m);
  });
});

describe("refusals name the cell and why", () => {
  function refused(nb: Notebook, cellId?: string) {
    const result = exported(nb, { cellId });
    assert.equal(result.ok, false, "the export must refuse");
    return (result as Extract<typeof result, { ok: false }>).error;
  }

  test("a cell that asks for input", () => {
    const error = refused(notebook(code("a", "const k = 1;"), code("ask", 'const answer = prompt("threshold?");')));
    assert.equal(error.kind, "interactive");
    assert.equal(error.cellId, "ask");
    assert.match(error.message, /cell ask asks the user for input \(prompt\)/);
  });

  test("a cell that uses the VS Code API or stdin, even when only a dependency of the exported cell", () => {
    const nb = notebook(code("ui", 'import * as vscode from "vscode";\nconst pick = vscode.window;'), code("use", "pick"));
    const error = refused(nb, "use");
    assert.equal(error.kind, "interactive");
    assert.equal(error.cellId, "ui");
    assert.match(error.message, /VS Code API/);
    assert.equal(refused(notebook(code("s", "process.stdin.on('data', () => {});"))).kind, "interactive");
  });

  test("outputs marked as edited by hand", () => {
    const edited = code("a", "1 + 1", { outputs: [{ items: [{ mime: "text/plain", data: "3" }], metadata: { edited: true } }] });
    const error = refused(notebook(edited));
    assert.equal(error.kind, "edited-output");
    assert.equal(error.cellId, "a");
  });

  test("outputs that differ from the hash the run recorded", () => {
    const outputs = [{ items: [{ mime: "text/plain", data: "2" }] }];
    const recorded = { order: 1, outputsHash: outputsHash(outputs) };
    assert.equal(exported(notebook(code("a", "1 + 1", { outputs, execution: recorded }))).ok, true, "untouched outputs export");
    const handEdited = [{ items: [{ mime: "text/plain", data: "3" }] }];
    const error = refused(notebook(code("a", "1 + 1", { outputs: handEdited, execution: recorded })));
    assert.equal(error.kind, "edited-output");
    assert.match(error.message, /cell a has outputs that differ/);
  });

  test("a name declared in two exported cells (fine in the kernel, a SyntaxError in one script)", () => {
    const error = refused(notebook(code("a", "let model = 1;"), code("b", "const model = 2;")));
    assert.equal(error.kind, "redeclared");
    assert.equal(error.cellId, "b");
    assert.match(error.message, /declares model again \(cell a declared it first\)/);
  });

  test("a cell that would not compile as part of the script is refused, not written", () => {
    const error = refused(notebook(code("a", "const k = 1;"), code("twice", "const x = 1;\nlet x = 2;")));
    assert.equal(error.kind, "syntax");
    assert.equal(error.cellId, "twice");
    assert.match(error.message, /Cannot redeclare block-scoped variable 'x'/);
  });

  test("a cell that does not parse, an unknown cell, a referenced hypothesis that does not parse", () => {
    assert.equal(refused(notebook(code("a", "const = ;"))).kind, "syntax");
    assert.equal(refused(notebook(code("a", "1")), "zzz").kind, "unknown-cell");
    const badHypothesis = notebook({ id: "h", kind: "code", language: "hypothesis", source: "id: H1\nclaim: [\n", metadata: {}, outputs: [] }, code("a", "// @hypothesis H1\n1"));
    const error = refused(badHypothesis);
    assert.equal(error.kind, "invalid-hypothesis");
    assert.equal(error.cellId, "h");
  });
});

describe("falsify export", () => {
  const scratch = mkdtempSync(join(tmpdir(), "falsify-export-"));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  test("-o picks TypeScript or JavaScript by extension; relative imports are rebased to the script's folder", async () => {
    const mjs = join(scratch, "out", "evaluate.mjs");
    mkdirSync(dirname(mjs), { recursive: true });
    const result = await cli("export", join(FIXTURES, "regression.falsify"), "--cell", "evaluate", "-o", mjs);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /wrote .*evaluate\.mjs: 4 cells \(data, model, train, evaluate\)/);
    const script = readFileSync(mjs, "utf8");
    assert.match(script, /^\/\/ Generated by falsify \d+\.\d+\.\d+ from regression\.falsify/);
    assert.doesNotMatch(script, / as tf\./);
    const printed = await cli("export", join(FIXTURES, "regression.falsify"));
    assert.equal(printed.code, 0);
    assert.match(printed.out, /^\/\/ %% \[notes\]$/m, "without -o the whole notebook goes to stdout as TypeScript");
  });

  test("exit 1 with the refusal for a cell that cannot be exported, 2 for usage and unreadable notebooks", async () => {
    const path = join(scratch, "ask.falsify");
    writeFileSync(path, serializeNotebook(notebook(code("ask", 'const k = prompt("k?");'))));
    const refused = await cli("export", path);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /refused \(interactive\): cell ask asks the user for input/);
    assert.equal((await cli("export")).code, 2);
    assert.equal((await cli("export", path, "-o", join(scratch, "x.py"))).code, 2);
    assert.equal((await cli("export", join(scratch, "missing.falsify"))).code, 2);
  });
});
