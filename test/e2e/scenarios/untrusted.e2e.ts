// Restricted Mode: the notebook opens and shows, but no cell code runs until the folder is trusted.
// Run All asks for trust (VS Code's dialog); declining runs nothing; trusting runs the cells on a
// kernel started then, with no reload.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { waitFor, type Scenario } from "../harness";
import { outputTexts } from "../workbench";

const FILE = "trust.falsify";

/** VS Code's "Do you trust the authors…" dialog, answered with `button`. */
async function answerTrustDialog(page: Page, button: "Cancel" | "Trust Folder & Continue"): Promise<void> {
  const dialog = page.locator(".monaco-dialog-box", { hasText: "trust the authors" });
  await waitFor(() => dialog.count(), 20_000, "the workspace trust dialog");
  await dialog.locator(".monaco-button", { hasText: button }).first().click();
  await waitFor(async () => (await dialog.count()) === 0, 10_000, "the trust dialog to close");
}

export const scenario: Scenario = {
  name: "an untrusted workspace runs no cell until the folder is trusted",
  workspaceFiles: { [FILE]: "test/fixtures/e2e/trust.falsify" },
  untrusted: true,
  timeoutMs: 150_000,
  async run({ page, openFile, runCommand, screenshot, log }) {
    await waitFor(() => page.locator(".statusbar-item", { hasText: "Restricted Mode" }).count(), 30_000, "the Restricted Mode indicator");
    await openFile(FILE);
    await waitFor(() => page.locator(".notebook-editor .cell-list-container .monaco-list-row").count(), 30_000, "the notebook's cells");

    await runCommand("Notebook: Run All");
    await answerTrustDialog(page, "Cancel");
    const executionLabel = page.locator(".notebook-editor .cell-list-container .monaco-list-row .execution-count-label").first();
    assert.ok(!/\d/.test((await executionLabel.count()) ? await executionLabel.innerText() : ""), "no cell ran after trust was declined");
    assert.deepEqual((await outputTexts(page).catch(() => [] as string[])).filter((text) => /answer is/.test(text)), []);
    log(`declined: ${await screenshot("declined")}`);

    await runCommand("Notebook: Run All");
    await answerTrustDialog(page, "Trust Folder & Continue");
    await waitFor(async () => (await outputTexts(page).catch(() => [] as string[])).some((text) => /the answer is 42/.test(text)), 90_000, "the cell to run once the folder is trusted");
    await waitFor(async () => (await page.locator(".statusbar-item", { hasText: "Restricted Mode" }).count()) === 0, 10_000, "Restricted Mode to end");
    log(`trusted and ran: ${await screenshot("trusted")}`);
  },
};
