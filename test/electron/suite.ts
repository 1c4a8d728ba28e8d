// Runs inside VS Code's extension host (loaded by test/electron/run.ts). No test framework: a list of
// named async checks, run in order; any failure makes run() reject, which fails the VS Code run.
import assert from "node:assert/strict";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";

const REPO = process.env.FALSIFY_REPO ?? "";
const WORKSPACE = process.env.FALSIFY_WORKSPACE ?? "";

const tests: [string, () => Promise<void>][] = [
  [
    "the extension activates",
    async () => {
      const extension = vscode.extensions.getExtension("falsify.falsify");
      assert.ok(extension, "falsify.falsify is not loaded");
      await extension.activate();
      assert.ok(extension.isActive);
    },
  ],
  [
    "a .falsify file opens as a notebook with its cells, languages and ids",
    async () => {
      const file = join(WORKSPACE, "tour.falsify");
      copyFileSync(join(REPO, "test/fixtures/e2e/tour.falsify"), file);
      const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
      assert.equal(notebook.notebookType, "falsify-notebook");
      assert.deepEqual(
        notebook.getCells().map((cell) => [cell.kind, cell.document.languageId, cell.metadata.id]),
        [
          [vscode.NotebookCellKind.Markup, "markdown", "intro"],
          [vscode.NotebookCellKind.Code, "hypothesis", "hyp"],
          [vscode.NotebookCellKind.Code, "typescript", "code"],
        ],
      );
    },
  ],
  [
    "an edit saves as canonical JSON with only that cell's source changed",
    async () => {
      const file = join(WORKSPACE, "tour.falsify");
      const original = readFileSync(file, "utf8");
      const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
      const cell = notebook.cellAt(2);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(cell.document.uri, cell.document.positionAt(cell.document.getText().length), "\nconst edited = 42;");
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await notebook.save());
      const expected = original.replace('"const x = 1 + 1;"', '"const x = 1 + 1;\\n",\n        "const edited = 42;"');
      assert.equal(readFileSync(file, "utf8"), expected);
    },
  ],
  [
    "a malformed file is refused and left as it was",
    async () => {
      const file = join(WORKSPACE, "malformed.falsify");
      copyFileSync(join(REPO, "test/fixtures/format/malformed.falsify"), file);
      const before = readFileSync(file);
      await assert.rejects(async () => {
        await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
      });
      assert.deepEqual(readFileSync(file), before);
    },
  ],
  [
    "New Falsify Notebook opens a hypothesis, a code and a markdown cell",
    async () => {
      await vscode.commands.executeCommand("falsify.newNotebook");
      const notebook = vscode.window.activeNotebookEditor?.notebook;
      assert.ok(notebook, "no active notebook editor");
      assert.deepEqual(
        notebook.getCells().map((cell) => cell.document.languageId),
        ["hypothesis", "typescript", "markdown"],
      );
    },
  ],
];

export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const [name, check] of tests) {
    try {
      await check();
      console.log(`✔ ${name}`);
    } catch (error) {
      console.log(`✘ ${name}\n${(error as Error).stack ?? String(error)}`);
      failures.push(name);
    }
  }
  console.log(`${tests.length - failures.length} passed, ${failures.length} failed`);
  if (failures.length) throw new Error(`${failures.length} extension test(s) failed: ${failures.join("; ")}`);
}
