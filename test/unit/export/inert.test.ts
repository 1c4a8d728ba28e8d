// Export produces only the user's code: notebook text from someone else (markdown with the line
// terminators JavaScript honours, cell ids, recorded versions) never runs in an exported script. The
// repros of issue 14 are fixtures in test/fixtures/export/hostile/; the scripts are checked by
// parsing them here (the payloads' console.log is called nowhere in the script's code), independently of the
// generator's own check, which is tested on its own below.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import ts from "typescript";
import { runCli } from "../../../src/cli/main";
import { exportScript, type ExportOptions } from "../../../src/core/export";
import { comment } from "../../../src/core/export/inert";
import { verifyScript } from "../../../src/core/export/verify";
import { parseNotebook, type Notebook } from "../../../src/core/format";

const HOSTILE = "test/fixtures/export/hostile";
const OPTIONS: ExportOptions = { notebookName: "hostile.falsify", generator: "falsify 0.1.0" };

function hostile(name: string): Notebook {
  const parsed = parseNotebook(readFileSync(join(HOSTILE, name), "utf8"));
  assert.ok(parsed.ok, `${name} parses`);
  return parsed.notebook;
}

/** What every call in the script's code calls (comments and string contents are not code). */
function callees(script: string): string[] {
  const file = ts.createSourceFile("script.ts", script, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) found.push(node.expression.getText(file));
    node.forEachChild(visit);
  };
  visit(file);
  return found;
}

function assertInert(script: string, what: string): void {
  assert.match(script, /INJECTED/, `${what}: the hostile text is still in the script (as a comment or data)`);
  // Every payload calls console.log; the fixtures' cells never do.
  assert.ok(!callees(script).includes("console.log"), `${what}: notebook text became code`);
}

describe("notebook text stays inert in exported scripts", () => {
  for (const name of ["markdown-line-terminators.falsify", "execution-backend-newline.falsify"]) {
    for (const language of ["ts", "mjs"] as const) {
      test(`${name} as ${language}`, () => {
        const result = exportScript(hostile(name), { ...OPTIONS, language });
        assert.ok(result.ok, result.ok ? "" : result.error.message);
        assertInert(result.script, `${name} (${language})`);
      });
    }
  }

  test("a cell id with a newline is refused where it is, and `falsify fmt --fix-ids` renames it", async () => {
    const text = readFileSync(join(HOSTILE, "cell-id-newline.falsify"), "utf8");
    const parsed = parseNotebook(text);
    assert.ok(!parsed.ok && parsed.error.kind === "schema");
    assert.deepEqual([parsed.error.issues[0].line, parsed.error.issues[0].column], [7, 13]);
    assert.match(parsed.error.message, /cells\[0\]\.id: a cell id is 1 to 64 letters.*falsify fmt --fix-ids/);

    const scratch = mkdtempSync(join(tmpdir(), "falsify-fix-ids-"));
    try {
      const path = join(scratch, "ids.falsify");
      const out: string[] = [];
      const io = { out: (line: string) => out.push(line), err: (line: string) => out.push(line) };
      await import("node:fs/promises").then((fs) => fs.writeFile(path, text));
      assert.equal(await runCli(["fmt", "--check", "--fix-ids", path], io), 1, "--check reports the rename without writing");
      assert.equal(readFileSync(path, "utf8"), text);
      assert.equal(await runCli(["fmt", "--fix-ids", path], io), 0, out.join("\n"));
      const fixed = parseNotebook(readFileSync(path, "utf8"));
      assert.ok(fixed.ok);
      assert.equal(fixed.notebook.cells[0].id, "c1-console.log-INJECTED-by-the-cell-id-");
      assert.match(out.join("\n"), /cell 1: id "c1\\nconsole\.log\('INJECTED by the cell id'\);\/\/" -> c1-console\.log-INJECTED-by-the-cell-id-/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  test("fix-ids also renames repeated and missing ids, keeping the first of a repeated one", () => {
    const cell = (id: unknown) => ({ id, kind: "code", language: "typescript", source: "", metadata: {}, outputs: [] });
    const text = JSON.stringify({ format: "falsify", version: 1, cells: [cell("a"), cell("a"), cell(7), cell("a-2"), cell("")] });
    const parsed = parseNotebook(text, { fixIds: true });
    assert.ok(parsed.ok);
    const ids = parsed.notebook.cells.map((c) => c.id);
    assert.deepEqual(ids.slice(0, 2), ["a", "a-3"], "a-2 is taken by a later cell");
    assert.equal(ids[3], "a-2");
    assert.equal(new Set(ids).size, 5);
    assert.deepEqual(parsed.renamed?.map((r) => r.index), [1, 2, 4]);
  });

  test("a notebook built in memory (not read through the schema) still exports inert, in both languages", () => {
    const notebook = hostile("markdown-line-terminators.falsify");
    notebook.cells[1].id = "c1\nconsole.log('INJECTED by the cell id');//\u2028console.log('INJECTED again')";
    notebook.cells[1].execution = { backend: "cpu\rconsole.log('INJECTED by the backend')", tfjsVersion: "4\u2029console.log('INJECTED by tfjs')" };
    for (const language of ["ts", "mjs"] as const) {
      const result = exportScript(notebook, { ...OPTIONS, notebookName: "x\u2028console.log('INJECTED by the file name').falsify", language });
      assert.ok(result.ok, result.ok ? "" : result.error.message);
      assertInert(result.script, language);
    }
  });

  test("falsify export writes the same inert script", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "falsify-inert-"));
    try {
      const out = join(scratch, "hostile.mjs");
      const io = { out: () => undefined, err: (line: string) => assert.fail(line) };
      assert.equal(await runCli(["export", join(HOSTILE, "markdown-line-terminators.falsify"), "-o", out], io), 0);
      assertInert(readFileSync(out, "utf8"), "falsify export -o .mjs");
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe("the generator's last check: statements are exactly the runtime's and the cells'", () => {
  const cell = (cellId: string, text: string) => ({ kind: "cell" as const, cellId, text });

  test("passes the parts as meant", () => {
    assert.equal(verifyScript([{ kind: "comment", text: comment("notes\nmore") }, { kind: "runtime", text: "await f();" }, cell("a", "const x = 1;\nx")]), undefined);
  });

  test("refuses a comment that holds code (as one split only at \\n would)", () => {
    const leaky = "notes\u2028evil();".split("\n").map((line) => `// ${line}`).join("\n");
    const error = verifyScript([{ kind: "comment", text: leaky }, cell("a", "const x = 1;")]);
    assert.equal(error?.kind, "not-inert");
    assert.match(error!.message, /evil\(\)/);
  });

  test("refuses text that swallows or joins the cells' statements", () => {
    const swallowing = verifyScript([{ kind: "comment", text: "// a\u2028/*" }, cell("a", "const x = 1;"), { kind: "comment", text: "// */" }]);
    assert.equal(swallowing?.kind, "not-inert");
    assert.equal(swallowing?.cellId, "a");
    const joined = verifyScript([cell("a", "const f = (v: number) => v\nf"), { kind: "comment", text: "// m" }, cell("b", "(2)")]);
    assert.equal(joined?.kind, "not-inert");
  });

  test("refuses a runtime line that is not exactly one statement", () => {
    assert.equal(verifyScript([{ kind: "runtime", text: "const a = 1; evil();" }])?.kind, "not-inert");
  });
});
