// The kernel in VS Code: Run All on a notebook that builds and trains a tiny tfjs model (the loss
// streams into the cell while it trains), shows a tensor, then spins in a training loop that the
// user interrupts; a cell run afterwards reads a variable defined before the interrupt. The status
// bar shows the backend and the tensor count. The workspace has tfjs-node installed (a link to this
// repository's node_modules, where `npm run setup:native` built it), as a user's project would.
// Saved, each run cell records the hash of its outputs (chunks merged as the file keeps them), so
// export accepts them as what the code produced.
import assert from "node:assert/strict";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { planExport } from "../../../src/core/export";
import { outputsHash, parseNotebook } from "../../../src/core/format";
import { REPO, waitFor, type Scenario } from "../harness";
import { outputTexts } from "../workbench";

const FILE = "train.falsify";

export const scenario: Scenario = {
  name: "kernel trains, streams, interrupts and keeps state",
  workspaceFiles: { [FILE]: "test/fixtures/kernel/train.falsify" },
  timeoutMs: 180_000,
  async run({ page, path, readText, openFile, runCommand, screenshot, log }) {
    symlinkSync(join(REPO, "node_modules"), path("node_modules"), "dir");
    await openFile(FILE);
    await runCommand("Notebook: Run All");

    const text = async () => (await outputTexts(page).catch(() => [] as string[])).join("\n");
    await waitFor(async () => /epoch 1 loss/.test(await text()), 90_000, "the first epoch's loss to stream into the training cell");
    const streamed = await text();
    assert.doesNotMatch(streamed, /epoch 3 loss/, "the loss streams epoch by epoch, not all at the end");
    await waitFor(async () => /epoch 3 loss/.test(await text()), 60_000, "the third epoch's loss");
    await waitFor(async () => /Tensor float32 \[4, 1\]|"shape"|\[4,\s*1\]/.test(await text()), 30_000, "the predictions tensor to show");
    await waitFor(async () => /still training: epoch 10/.test(await text()), 60_000, "the runaway training loop to be running");

    const status = page.locator(".statusbar-item", { hasText: "tfjs:" });
    const statusText = await waitFor(async () => {
      const value = (await status.count()) ? await status.first().innerText() : "";
      return /tfjs: \w+ · \d+ tensors/.test(value) ? value : undefined;
    }, 30_000, "the kernel status bar item with backend and tensor count");
    log(`status bar: ${statusText.replace(/\s+/g, " ")}`);

    const interruptedAt = Date.now();
    await runCommand("Falsify: Interrupt Kernel");
    await waitFor(async () => /Interrupted: stopped by the user/.test(await text()), 10_000, "the loop cell to show it was interrupted");
    log(`interrupted within ${Date.now() - interruptedAt} ms of the command (palette included)`);
    assert.doesNotMatch(await text(), /defined before the interrupt; the loop ran/, "the cell queued after the interrupted one did not run");
    await screenshot("interrupted");

    // Run the last cell by itself: focus it, then its run button (shown on the focused cell). The cell list
    // is virtual and scrolls itself (not natively): wheel down until the cell is drawn on screen.
    const lastCell = page.locator('.notebook-editor .cell-list-container .monaco-list-row[data-index="4"]');
    await page.locator(".notebook-editor .cell-list-container").first().hover();
    const viewport = page.viewportSize()?.height ?? 800;
    await waitFor(async () => {
      const box = (await lastCell.count()) ? await lastCell.boundingBox() : null;
      if (box && box.y > 0 && box.y + box.height < viewport - 40) return true;
      await page.mouse.wheel(0, 300);
      return false;
    }, 15_000, "the last cell to be drawn on screen");
    await lastCell.locator(".monaco-editor .view-lines").first().click();
    await waitFor(() => lastCell.locator(".monaco-editor.focused").count(), 10_000, "the last cell's editor to take focus");
    await lastCell.hover();
    await lastCell.locator(".run-button-container .action-label").first().click();
    await waitFor(async () => /defined before the interrupt; the loop ran/.test(await text()), 30_000, "the last cell to read the state kept across the interrupt");
    log(`screenshot ${await screenshot("state-kept")}`);

    await page.keyboard.press("Control+S");
    const saved = await waitFor(() => {
      const parsed = parseNotebook(readText(FILE));
      return parsed.ok && parsed.notebook.cells.find((cell) => cell.id === "after")?.execution?.outputsHash ? parsed.notebook : undefined;
    }, 20_000, "the saved file to record the last cell's run");
    const train = saved.cells.find((cell) => cell.id === "train")!;
    assert.equal(train.outputs[0].items.length, 1, "the streamed loss is saved as one item, whatever the chunks");
    assert.match(String(train.outputs[0].items[0].data), /epoch 1 loss[\s\S]*epoch 3 loss/);
    for (const cell of saved.cells.filter((c) => c.execution?.outputsHash)) {
      assert.equal(cell.execution!.outputsHash, outputsHash(cell.outputs), `cell ${cell.id}: the recorded hash is the saved outputs'`);
    }
    const plan = planExport(saved, "train");
    assert.ok(plan.ok, `export of the trained cell is accepted: ${plan.ok ? "" : plan.error.message}`);
  },
};
