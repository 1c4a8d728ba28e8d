// The packaged extension on its own: installed from the .vsix into an extensions folder under the temp
// folder, a notebook in a workspace with no node_modules on any parent path (and no NODE_PATH) runs
// with the default backend setting on the wasm backend the .vsix carries (dist/tfjs.js, dist/wasm/),
// the status bar says so, and a cell's error shows a stack that points at the cell's own line and column.
// In a second notebook (seed 7), one cell run by itself in its fresh kernel draws from `rng` what
// `falsify run` and an exported script draw: the kernel is seeded from the notebook when it starts,
// not only by Run All (issue 12: `rng` was undefined in the editor until Run All).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { seedCellRandomness } from "../../../src/core/cell/environment";
import { waitFor, type Scenario } from "../harness";
import { outputTexts } from "../workbench";

const FILE = "backend.falsify";
const RNG = "rng.falsify";

export const scenario: Scenario = {
  name: "kernel falls back to the bundled wasm backend",
  workspaceFiles: { [FILE]: "test/fixtures/kernel/backend.falsify", [RNG]: "test/fixtures/kernel/rng.falsify" },
  timeoutMs: 180_000,
  async run({ page, workspace, openFile, runCommand, screenshot, log }) {
    for (let dir = workspace; dir !== dirname(dir); dir = dirname(dir)) assert.equal(existsSync(join(dir, "node_modules")), false, `${dir}/node_modules exists`);
    await openFile(FILE);
    // The kernel starts when the notebook opens, before anything runs: the first Run does not wait for tfjs.
    const status = page.locator(".statusbar-item", { hasText: "tfjs:" });
    const statusText = await waitFor(async () => {
      const value = (await status.count()) ? await status.first().innerText() : "";
      return /tfjs: wasm/.test(value) ? value : undefined;
    }, 60_000, "the kernel to start on opening the notebook, before any run");
    await runCommand("Notebook: Run All");
    const text = async () => (await outputTexts(page).catch(() => [] as string[])).join("\n");
    await waitFor(async () => /wasm 6/.test(await text()), 60_000, "the first cell to run on the wasm backend");
    const error = await waitFor(async () => {
      const all = await text();
      return /too big: 5/.test(all) ? all : undefined;
    }, 30_000, "the second cell's error");
    assert.match(error, /RangeError/);
    assert.match(error, /at check \(cell \[2\]:2:20\)/, `the stack points into the cell: ${error}`);
    log(`status bar: ${statusText.replace(/\s+/g, " ")}; screenshot ${await screenshot("wasm")}`);

    // The seed-7 notebook's last cell, run alone (not Run All, which seeds too) with its own run button.
    await openFile(RNG);
    const draw = page.locator(".notebook-editor").filter({ visible: true }).locator('.cell-list-container .monaco-list-row[data-index="1"]');
    await waitFor(() => draw.count(), 30_000, `${RNG}'s second cell on screen`);
    await draw.locator(".monaco-editor .view-lines").first().click();
    await waitFor(() => draw.locator(".monaco-editor.focused").count(), 10_000, "the second cell's editor to take focus");
    await draw.hover();
    await draw.locator(".run-button-container .action-label").first().click();
    const random = Math.random;
    const expected = `rng ${seedCellRandomness(7).next()}`; // what falsify run and an exported script draw first (faithfulness.test.ts)
    Math.random = random;
    // Each open notebook has its own webview frame: look for the draw in all of them.
    const everyOutput = async () => (await Promise.all(page.frames().map((frame) => frame.locator(".output").allInnerTexts().catch(() => [])))).flat().join("\n");
    const drawn = await waitFor(async () => (await everyOutput()).match(/rng [0-9.e-]+/)?.[0], 60_000, "the cell's rng draw");
    assert.equal(drawn, expected, "a cell run alone in a fresh kernel draws from the notebook's seed");
    log(`one cell in a fresh kernel: ${drawn}`);
  },
};
