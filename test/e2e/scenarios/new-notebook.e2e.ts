// Foundation: "New Falsify Notebook" opens an untitled notebook from the template: a hypothesis cell,
// a TypeScript cell that refers to it, and a markdown cell.
import assert from "node:assert/strict";
import { waitFor, type Scenario } from "../harness";
import { activeTabTitle, renderedMarkdown, waitForNotebookCells } from "../workbench";

export const scenario: Scenario = {
  name: "New Falsify Notebook creates hypothesis, code and markdown cells",
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
  },
};
