// Foundation: "New Falsify Notebook" opens an untitled notebook from the template: a hypothesis cell,
// a TypeScript cell that refers to it, and a markdown cell. A quick fix there edits the notebook and
// nothing else: "Insert hypothesis H2 linked to this cell" used to open Save As (issue 19).
import assert from "node:assert/strict";
import { waitFor, type Scenario } from "../harness";
import { activeTabTitle, renderedMarkdown, typeAtEndOfCell, waitForNotebookCells } from "../workbench";
import { applyQuickFix } from "./lint-ui";

export const scenario: Scenario = {
  name: "New Falsify Notebook creates hypothesis, code and markdown cells",
  timeoutMs: 180_000,
  async run({ page, runCommand, screenshot }) {
    await runCommand("Falsify: New Falsify Notebook");
    await waitFor(async () => (await activeTabTitle(page))?.startsWith("Untitled"), 20_000, "an untitled notebook tab");

    const cells = await waitForNotebookCells(page, 3);
    assert.deepEqual(
      cells.map((cell) => [cell.kind, cell.language]),
      [
        ["code", "Hypothesis"],
        ["code", "TypeScript"],
        ["markup", undefined],
      ],
    );
    assert.match(cells[0].text, /^id: H1/);
    assert.match(cells[1].text, /@hypothesis H1/);
    await waitFor(async () => (await renderedMarkdown(page)).some((text) => text.includes("Notes")), 20_000, "the markdown cell to be rendered");
    await screenshot("new");

    // An unlinked picture: the code cell's link line becomes a chart.
    await typeAtEndOfCell(page, 1, "");
    await page.keyboard.press("Control+Home");
    await page.keyboard.press("Shift+End");
    await page.keyboard.type('display({ mark: "bar", data: { values: [] } });');
    await applyQuickFix(page, "Insert hypothesis H2 linked to this cell");
    // The list is virtual (rows come and go as it scrolls): find the two cells by their text.
    const rowWith = (text: string) => page.locator(".notebook-editor .cell-list-container .monaco-list-row").filter({ has: page.locator(".view-lines", { hasText: text }) });
    const indices = await waitFor(async () => {
      const [h2, picture] = [rowWith("id: H2"), rowWith("@hypothesis H2")];
      if (!(await h2.count()) || !(await picture.count())) return undefined;
      return [Number(await h2.first().getAttribute("data-index", { timeout: 2_000 })), Number(await picture.first().getAttribute("data-index", { timeout: 2_000 }))];
    }, 30_000, "H2 inserted and the picture linked to it");
    assert.deepEqual(indices, [1, 2], "H2 above the picture it explains");
    assert.equal(await page.locator(".quick-input-widget").isVisible(), false, "no Save As prompt");
    assert.equal(await page.locator(".monaco-dialog-box").count(), 0, "no save dialog");
    assert.ok((await activeTabTitle(page))?.startsWith("Untitled"), "the notebook is still untitled (not saved)");
    await screenshot("quick-fix");
  },
};
