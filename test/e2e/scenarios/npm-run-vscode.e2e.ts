// The first hour: `npm run vscode` as a newcomer runs it. It starts its own code-server (the script,
// not the harness's) on a copy of the examples outside the repository's examples/ folder, and the
// first start shows Falsify's walkthrough, not the Chat panel. The harness's page is pointed at it.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { E2E_DIR, REPO, freePort, waitFor, type Scenario } from "../harness";
import { waitForWorkbench } from "../workbench";

export const scenario: Scenario = {
  name: "npm run vscode opens a copy of the examples and the walkthrough",
  timeoutMs: 240_000,
  async run({ page, screenshot, log }) {
    const state = join(E2E_DIR, "npm-run-vscode");
    rmSync(state, { recursive: true, force: true });
    const port = await freePort();
    const output = createWriteStream(join(E2E_DIR, "npm-run-vscode.log"));
    // Its own process group: code-server and what it forks end with it.
    const server = spawn("npm", ["run", "--silent", "vscode"], {
      cwd: REPO,
      env: { ...process.env, PORT: String(port), FALSIFY_VSCODE_STATE: state, FALSIFY_VSCODE_SKIP_BUILD: "1" },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout.pipe(output);
    server.stderr.pipe(output);
    try {
      await waitFor(async () => {
        if (server.exitCode !== null) throw new Error(`npm run vscode exited with ${server.exitCode}; see ${join(E2E_DIR, "npm-run-vscode.log")}`);
        return (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok;
      }, 120_000, `npm run vscode to serve on port ${port}`);

      const copy = join(state, "examples");
      assert.ok(existsSync(join(copy, "01-selectivity-ablation.falsify")) && existsSync(join(copy, "digits")), `the examples are copied to ${copy}`);
      assert.deepEqual(readdirSync(copy).sort(), readdirSync(join(REPO, "examples")).sort(), "the whole examples folder, data and models included");

      await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: "domcontentloaded", timeout: 120_000 });
      await waitForWorkbench(page);
      const walkthrough = page.locator(".gettingStartedContainer", { hasText: "Get started with Falsify" });
      await waitFor(() => walkthrough.isVisible(), 90_000, "Falsify's walkthrough on first start");
      assert.match((await page.locator(".explorer-folders-view").innerText()) ?? "", /01-selectivity-ablation\.falsify/, "the explorer shows the copy");
      assert.equal(await page.locator(".part.auxiliarybar").isVisible(), false, "no Chat panel beside it");
      log(`walkthrough and the copy in ${copy}; screenshot ${await screenshot("first-start")}`);
    } finally {
      if (server.pid !== undefined) {
        try {
          process.kill(-server.pid, "SIGTERM");
        } catch {
          // already gone
        }
      }
      output.end();
    }
  },
};
