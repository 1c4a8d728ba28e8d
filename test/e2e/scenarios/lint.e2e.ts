// The falsifiability linter in VS Code: opening a notebook fills the Problems panel with falsify
// findings (rule ids as codes), the Falsifiability panel shows hypotheses → strength → linked cells
// → checks, hypothesis cells carry their strength as a CodeLens, and a quick fix (declare a baseline
// in H1) edits the hypothesis cell and changes the findings accordingly. Field names complete in
// hypothesis cells, and hovering one shows its documentation.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { waitFor, type Scenario } from "../harness";
import { applyQuickFix, problemTexts } from "./lint-ui";

const FILE = "lint.falsify";

export const scenario: Scenario = {
  name: "lint: problems, Falsifiability panel, strength, a quick fix and completion",
  workspaceFiles: { [FILE]: "test/fixtures/lint/visual-without-baseline.falsify" },
  timeoutMs: 180_000,
  async run({ page, openFile, runCommand, screenshot, log }) {
    await openFile(FILE);
    // The cell list is virtual (only rows on screen exist): wait for the first, a hypothesis cell.
    await waitFor(async () => /id: H1/.test(await cellText(page, 0)), 30_000, "the notebook's first cell (H1)");

    // Problems panel: the six warnings `falsify lint` reports for this fixture.
    await page.keyboard.press("Control+Shift+M");
    const problems = await waitFor(async () => {
      const rows = await problemTexts(page);
      return rows.filter((r) => /falsify/.test(r)).length >= 6 ? rows : undefined;
    }, 60_000, "six falsify problems in the Problems panel");
    assert.ok(problems.some((r) => /H1 declares no baseline/.test(r) && /visual-without-baseline/.test(r)), problems.join("\n"));
    assert.ok(problems.some((r) => /Nothing in the notebook quantifies H3/.test(r) && /visual-without-quantification/.test(r)));
    log(`problems: ${problems.filter((r) => /falsify/.test(r)).length} falsify entries`);
    await screenshot("problems");

    // The Falsifiability panel, in the explorer.
    await runCommand("Explorer: Focus on Falsifiability View");
    const tree = await waitFor(async () => {
      const rows = await panelRows(page);
      return rows.some((r) => /^H2\s*average/.test(r)) && rows.some((r) => /Strength: average/.test(r)) ? rows : undefined;
    }, 30_000, "the Falsifiability panel to list the hypotheses with their strength");
    assert.ok(tree.some((r) => /^H1\s*weak · Layer 2 units detect strokes/.test(r)), tree.join("\n"));
    assert.ok(tree.some((r) => /^Cell 5\s*hypothesis ✓ · baseline ✗ · quantified ✗/.test(r)), tree.join("\n"));
    assert.ok(tree.some((r) => /Verdict: none yet/.test(r)));
    log(`panel: ${tree.slice(0, 6).join(" | ")}`);
    await screenshot("panel");

    // Strength on the hypothesis cells.
    const lenses = await waitFor(async () => {
      const texts = await page.locator(".notebook-editor .codelens-decoration").allInnerTexts();
      return texts.some((t) => /H1: weak hypothesis/.test(t)) ? texts : undefined;
    }, 30_000, "the strength CodeLens on H1");
    log(`codelens: ${lenses[0]}`);

    // Clicking "Cell 5" in the panel reveals it: the cell `display(attributionHeatmap(image, map))`,
    // linked to H1. Its quick fix declares a baseline in H1.
    await panelRow(page, /^Cell 5/).click();
    const row = cellRow(page, 4);
    await waitFor(() => row.count(), 15_000, "the panel to reveal cell 5");
    await row.locator(".monaco-editor .view-lines").first().click();
    await waitFor(() => row.locator(".monaco-editor.focused").count(), 10_000, "cell 5's editor to take focus");
    await page.keyboard.press("Control+Home");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Home");
    for (let i = 0; i < 12; i++) await page.keyboard.press("ArrowRight");
    await applyQuickFix(page, "Declare a baseline in H1");

    await panelRow(page, /^H1\s*weak/).click();
    const h1 = await waitFor(async () => {
      const text = await cellText(page, 0);
      return text.includes("baselines:") ? text : undefined;
    }, 15_000, "H1's cell to gain a baselines field");
    // The controls of what cell 5 shows (an attribution map), not a placeholder: declared, not yet computed.
    assert.match(h1, /name: randomized-model[\s\S]*name: edge-detector/);
    const after = await waitFor(async () => {
      const rows = await problemTexts(page);
      return rows.some((r) => /H1 declares the baseline "randomized-model" but the notebook never computes it/.test(r)) ? rows : undefined;
    }, 30_000, "the H1 finding to change from 'no baseline' to 'baseline never computed'");
    assert.ok(!after.some((r) => /H1 declares no baseline/.test(r)), "the fixed finding is gone");
    await screenshot("fixed");

    // Completion of field names in a hypothesis cell: at the top level of H1, "te" offers `test`.
    await cellRow(page, 0).locator(".monaco-editor .view-lines").first().click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("te");
    await page.keyboard.press("Control+Space");
    const suggestion = page.locator(".suggest-widget .monaco-list-row", { hasText: /^test/ });
    await waitFor(() => suggestion.count(), 15_000, "the completion 'test' in H1's cell");
    await screenshot("completion");
    await page.keyboard.press("Escape");

    // Hover on a field name shows its documentation (from the hypothesis schema).
    const field = cellRow(page, 0).locator(".view-line", { hasText: "prediction:" }).locator("span > span").first();
    await field.hover();
    const hover = page.locator(".monaco-hover", { hasText: "What we will observe if the claim holds" });
    await waitFor(async () => (await hover.count()) > 0 && (await hover.first().isVisible()), 15_000, "the hover on `prediction` to show its documentation");
    await screenshot("hover");
  },
};

function panelPane(page: Page) {
  return page.locator(".pane", { has: page.locator(".pane-header", { hasText: "Falsifiability" }) });
}

/** The rows of the Falsifiability view (label and description). */
async function panelRows(page: Page): Promise<string[]> {
  return (await panelPane(page).locator(".monaco-list-row").allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
}

function panelRow(page: Page, label: RegExp) {
  return panelPane(page).locator(".monaco-list-row").filter({ hasText: label }).first();
}

/** The editor text of cell `index`, "" while it is not on screen. */
async function cellText(page: Page, index: number): Promise<string> {
  const lines = cellRow(page, index).locator(".monaco-editor .view-lines").first();
  return (await lines.count()) ? (await lines.innerText({ timeout: 2_000 }).catch(() => "")).replace(/\u00a0/g, " ") : "";
}

/** Notebook cell `index` (0-based), once it is on screen. */
function cellRow(page: Page, index: number) {
  return page.locator(".notebook-editor").filter({ visible: true }).locator(`.cell-list-container .monaco-list-row[data-index="${index}"]`);
}
