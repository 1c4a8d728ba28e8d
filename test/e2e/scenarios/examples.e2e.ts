// The first worked example in VS Code, as a newcomer meets it: the walkthrough's command opens it from
// the workspace, Run All runs it on the kernel (tfjs-node, from this repository's node_modules), and
// the Falsifiability panel shows both hypotheses decided; the Problems panel has no falsify warnings.
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { REPO, waitFor, type Scenario } from "../harness";
import { problemTexts } from "./lint-ui";

const EXAMPLE = "01-selectivity-ablation";
const FILES = [`${EXAMPLE}.falsify`, "digits/digits.csv.gz", "digits/models/cnn/model.json", "digits/models/cnn/weights.bin"];

export const scenario: Scenario = {
  name: "examples: open example 1 from the walkthrough command, Run All, verdicts in the panel",
  workspaceFiles: Object.fromEntries(FILES.map((file) => [file, `examples/${file}`])),
  timeoutMs: 240_000,
  async run({ page, path, runCommand, screenshot, log }) {
    symlinkSync(join(REPO, "node_modules"), path("node_modules"), "dir");
    await runCommand("Falsify: Open Example");
    await waitFor(() => page.locator(".notebook-editor").filter({ visible: true }).count(), 30_000, "example 1 to open as a notebook");
    await runCommand("Notebook: Run All");

    await runCommand("Explorer: Focus on Falsifiability View");
    // Collapse the folder pane so the panel has room for both hypotheses (its rows are virtualised).
    await page.locator(".explorer-viewlet .pane-header").first().click();
    const verdicts = await waitFor(async () => {
      const rows = (await panelRows(page)).filter((row) => /^Verdict: (supported|falsified|inconclusive)/.test(row));
      return rows.length >= 2 ? rows : undefined;
    }, 180_000, "both hypotheses of example 1 to have a verdict in the Falsifiability panel");
    log(`panel: ${verdicts.join(" | ")}`);

    await page.keyboard.press("Control+Shift+M");
    await waitFor(async () => (await page.locator(".markers-panel").count()) > 0, 15_000, "the Problems panel");
    const problems = (await problemTexts(page)).filter((text) => /falsify/.test(text));
    if (problems.length) throw new Error(`example 1 should lint clean in the editor, got: ${problems.join(" | ")}`);
    log(`screenshot ${await screenshot("ran")}`);
  },
};

async function panelRows(page: Page): Promise<string[]> {
  const pane = page.locator(".pane", { has: page.locator(".pane-header", { hasText: "Falsifiability" }) });
  return (await pane.locator(".monaco-list-row").allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
}
