// Foundation: a malformed .falsify is never shown as an (empty) notebook and never written over.
// VS Code shows our error with the line and column, and the bytes on disk stay as they were after
// trying to save and close it.
import assert from "node:assert/strict";
import { waitFor, type Scenario } from "../harness";
import { notebookCells, notifications } from "../workbench";

const FILE = "malformed.falsify";

export const scenario: Scenario = {
  name: "a malformed notebook shows an error and stays untouched",
  workspaceFiles: { [FILE]: "test/fixtures/format/malformed.falsify" },
  async run({ page, openFile, readBytes, screenshot }) {
    const before = readBytes(FILE);
    await openFile(FILE);

    // malformed.falsify misses a comma before line 11, column 7.
    const message = await waitFor(
      async () => (await notifications(page)).find((text) => text.includes("Falsify could not open this notebook")),
      30_000,
      "Falsify's error notification",
    );
    assert.match(message, /line 11, column 7/);
    assert.match(message, /The file was not changed/);
    assert.deepEqual(await notebookCells(page), [], "no notebook (empty or not) may be shown for a malformed file");
    await screenshot("error");

    await page.keyboard.press("Control+S");
    await page.keyboard.press("Control+W");
    await waitFor(async () => (await page.locator(".tabs-container .tab").count()) === 0, 10_000, "the editor to close");
    assert.deepEqual(readBytes(FILE), before, `${FILE} must be byte-for-byte unchanged`);
  },
};
