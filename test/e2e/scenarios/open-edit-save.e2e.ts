// Foundation: a .falsify file opens as a notebook (rendered markdown, hypothesis and TypeScript cells
// with their language labels, stored outputs), and an edit saves as canonical JSON in which only the
// edited source lines changed: ids, other cells and unknown fields come back byte for byte.
import assert from "node:assert/strict";
import { waitFor, type Scenario } from "../harness";
import { outputTexts, renderedMarkdown, typeAtEndOfCell, waitForNotebookCells } from "../workbench";

const FILE = "tour.falsify";

export const scenario: Scenario = {
  name: "open, edit and save a notebook",
  workspaceFiles: { [FILE]: "test/fixtures/e2e/tour.falsify" },
  async run({ page, openFile, readText, screenshot }) {
    const original = readText(FILE);
    await openFile(FILE);

    const cells = await waitForNotebookCells(page, 3);
    assert.deepEqual(
      cells.map((cell) => [cell.kind, cell.language]),
      [
        ["markup", undefined],
        ["code", "Hypothesis"],
        ["code", "TypeScript"],
      ],
    );
    assert.match(cells[1].text, /id: H1\s+claim: Selective units are necessary\./);
    assert.match(cells[2].text, /\/\/ @hypothesis H1\s+const x = 1 \+ 1;/);
    await waitFor(async () => (await renderedMarkdown(page)).some((text) => text.includes("Tour of the format")), 20_000, "the markdown cell to be rendered");
    await waitFor(async () => (await outputTexts(page)).some((text) => text.trim() === "2"), 20_000, "the stored output '2' to be shown");
    await screenshot("opened");

    await typeAtEndOfCell(page, 2, "\nconst edited = 42;");
    await waitFor(() => page.locator(".tabs-container .tab.active.dirty").count(), 10_000, "the notebook to be dirty");
    await page.keyboard.press("Control+S");

    // Written independently of the serializer: the fixture is canonical, so the saved file is the
    // fixture with one more source line in the edited cell.
    const expected = original.replace('"const x = 1 + 1;"', '"const x = 1 + 1;\\n",\n        "const edited = 42;"');
    assert.notEqual(expected, original, "the fixture should contain the edited line");
    await waitFor(() => readText(FILE) === expected, 20_000, `${FILE} on disk to hold the edit in canonical form`).catch((error) => {
      throw new Error(`${(error as Error).message}\n--- on disk:\n${readText(FILE)}`);
    });
    await waitFor(async () => (await page.locator(".tabs-container .tab.active.dirty").count()) === 0, 10_000, "the notebook to be clean after saving");
    await screenshot("saved");
  },
};
