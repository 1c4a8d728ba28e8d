// The packaged extension on its own: installed from the .vsix into an extensions folder under the temp
// folder, a notebook in a workspace with no node_modules on any parent path (and no NODE_PATH) runs
// with the default backend setting on the wasm backend the .vsix carries (dist/tfjs.js, dist/wasm/),
// the status bar says so, and a cell's error shows a stack that points at the cell's own line and column.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { waitFor, type Scenario } from "../harness";
import { outputTexts } from "../workbench";

const FILE = "backend.falsify";

export const scenario: Scenario = {
  name: "kernel falls back to the bundled wasm backend",
  workspaceFiles: { [FILE]: "test/fixtures/kernel/backend.falsify" },
  timeoutMs: 120_000,
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
  },
};
