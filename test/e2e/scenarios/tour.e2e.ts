// The new-notebook tour, as a researcher does it (issue 19): "New Falsify Notebook", the template's cells
// replaced by one saliency heatmap typed in; the linter flags it; the quick fixes are applied one at a
// time (the hypothesis, then the baseline, then the verdict), each inserting cells on the untitled
// notebook without saving or prompting; the researcher types their own claim, prediction, null and
// metric over the hypothesis template's placeholders and real code into the baseline and verdict
// templates (code lines entered as input events, one a line), and each placeholder finding goes away once filled; Run All computes the control and the
// verdict on the kernel, the verdict card shows "supported" and the Falsifiability panel shows H1 with it.
import assert from "node:assert/strict";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { keepForReadme, REPO, waitFor, type Scenario } from "../harness";
import { baselineScaffold, baselineVariable, hypothesisTemplate, verdictScaffold } from "../../../src/core/lint";
import { STUDIES } from "../../../src/core/lint/evidence";
import { activeTabTitle, caretInCell, cellRow, focusCell, notebookOutputFrame, waitForNotebookCells } from "../workbench";
import { applyQuickFix, falsifyRules } from "./lint-ui";
import { BASELINE_FILL, HEATMAP, HYPOTHESIS_FILL, VALUES_PLACEHOLDER, VERDICT_FILL } from "./tour-cells";

/** What the quick fixes insert (the scenario checks the cells show it, and finds the placeholders in it). */
const TEMPLATES = {
  hypothesis: hypothesisTemplate("H1", STUDIES.attribution),
  baseline: baselineScaffold("H1", "randomized-model"),
  verdict: verdictScaffold("H1", baselineVariable("randomized-model")),
};
const DIGITS = ["digits.csv.gz", "models/cnn/model.json", "models/cnn/weights.bin", "models/cnn-seed1/model.json", "models/cnn-seed1/weights.bin"];

export const scenario: Scenario = {
  name: "tour: a lone heatmap in a new notebook, the quick fixes, the user's own words, Run All to a verdict",
  workspaceFiles: Object.fromEntries(DIGITS.map((file) => [`digits/${file}`, `examples/digits/${file}`])),
  // The explorer shows the researcher's data, not the harness's kernel link and settings.
  settings: { "workbench.colorTheme": "Default Light Modern", "files.exclude": { node_modules: true, ".vscode": true } },
  timeoutMs: 420_000,
  async run({ page, path, runCommand, screenshot, log }) {
    // The kernel takes tfjs-node from the workspace, as in a user's project that installed it.
    symlinkSync(join(REPO, "node_modules"), path("node_modules"), "dir");
    const started = Date.now();
    // FALSIFY_README_SCREENSHOTS=1 (`npm run screenshots`) also copies the README's pictures into media/screenshots.
    const step = async (label: string, readme?: string) => {
      const file = await screenshot(label);
      if (readme) keepForReadme(file, readme);
      log(`${label} at ${((Date.now() - started) / 1000).toFixed(1)} s: ${file}`);
    };
    await runCommand("Falsify: New Falsify Notebook");
    await waitFor(async () => (await activeTabTitle(page))?.startsWith("Untitled"), 30_000, "an untitled notebook tab");
    await waitForNotebookCells(page, 3);

    // The template's ablation hypothesis and notes go; its code cell becomes the researcher's heatmap.
    // In command mode (the focus on a cell, not in its text) a command acts on the cell.
    for (const index of [2, 0]) {
      await focusCell(page, index);
      await runCommand("Notebook: Delete Cell");
    }
    const [lone] = await waitForNotebookCells(page, 1);
    assert.equal(lone.language, "TypeScript");
    await caretInCell(page, 0, 1, 1);
    await page.keyboard.press("Control+A");
    await typeCode(page, HEATMAP);

    await page.keyboard.press("Control+Shift+M"); // the Problems panel stays open below the notebook
    await expectRules(page, ["single-example-visual", "visual-without-hypothesis"], "the lone heatmap's findings");
    await step("1-flagged", "lint-panel");

    // Quick fix 1: a hypothesis scaffolded for an attribution map, linked to the picture.
    await caretOnPicture(page, 0, false);
    await applyQuickFix(page, "Insert hypothesis H1 linked to this cell");
    await waitForCellCount(page, 2);
    // The scaffold of an attribution map: randomisation controls and an edge detector, not ablation's random units.
    await cellShows(page, 0, TEMPLATES.hypothesis.split("\n").filter((line) => !/description/.test(line)));
    assert.match(TEMPLATES.hypothesis, /intervention: randomization\nbaselines:\n {2}- name: randomized-model\n[^\n]*\n {2}- name: edge-detector/);
    await cellShows(page, 1, ["// @hypothesis H1", HEATMAP.split("\n")[0]]);
    await expectRules(page, ["single-example-visual", "unfalsifiable-hypothesis", "visual-without-baseline", "visual-without-quantification"], "the template's findings");
    await step("2-hypothesis-template");

    // Quick fix 2: the control's cell, below the picture it reads from.
    await caretOnPicture(page, 1, true);
    await applyQuickFix(page, 'Add a "randomized-model" baseline cell for H1');
    await waitForCellCount(page, 3);
    await cellShows(page, 2, TEMPLATES.baseline.split("\n"));
    await waitForProblem(page, /The control for H1 in cell 3 is still a template/);

    // Quick fix 3: the verdict, below the control it compares with.
    await caretOnPicture(page, 1, true);
    await applyQuickFix(page, "Add a verdict cell for H1");
    await waitForCellCount(page, 4);
    await cellShows(page, 3, TEMPLATES.verdict.split("\n"));
    await waitForProblem(page, /The `verdict` for H1 in cell 4 is still a template/);
    await assertNotSaved(page);

    // The researcher's own words over the template's placeholders, from the last up (a filled line wraps).
    for (const fill of [...HYPOTHESIS_FILL].reverse()) {
      const line = TEMPLATES.hypothesis.split("\n").find((l) => fill.placeholder.test(l));
      assert.ok(line, `the template has a ${fill.field} placeholder`);
      await selectInCell(page, 0, TEMPLATES.hypothesis, fill.placeholder.exec(line)![1]);
      await page.keyboard.type(fill.text);
    }
    await expectRules(page, ["single-example-visual", "visual-without-baseline", "visual-without-quantification"], "H1 no longer a template");
    await step("3-hypothesis-filled");

    // Real code where the baseline and verdict templates leave `[/* ... */]`.
    for (const [index, template, fill, done] of [
      [2, TEMPLATES.baseline, BASELINE_FILL, /The control for H1 .* is still a template/],
      [3, TEMPLATES.verdict, VERDICT_FILL, /The `verdict` for H1 .* is still a template/],
    ] as const) {
      await selectInCell(page, index, template, VALUES_PLACEHOLDER.exec(template)![0]);
      await page.keyboard.type(fill.values);
      await page.keyboard.press("Home");
      await typeCode(page, `${fill.lines.join("\n")}\n`);
      await waitFor(async () => !(await problems(page)).some((text) => done.test(text)), 30_000, `the finding ${done} to go once cell ${index + 1} is filled`);
    }
    // What remains is the truth about the picture: one hand-picked digit (the tour's last step is the user's).
    await expectRules(page, ["single-example-visual"], "every template filled");
    await step("4-filled");

    await page.locator(".part.panel .codicon-panel-close").first().click(); // the notebook gets the room
    await runCommand("Notebook: Run All");
    const frame = await notebookOutputFrame(page, 'article[aria-label^="Verdict on H1"]', 180_000);
    const card = frame.locator('article[aria-label^="Verdict on H1"]');
    assert.equal(await card.getAttribute("aria-label"), "Verdict on H1: supported");
    const cardText = ((await card.textContent()) ?? "").replace(/\s+/g, " ");
    assert.match(cardText, /permutation \(greater\)/);
    assert.match(cardText, /p = 1\.0e-4/);
    assert.ok(await frame.locator('svg.marks [aria-roledescription="rect mark"]').count(), "the heatmap is drawn");
    log(`verdict card: ${cardText.slice(0, 160)}`);

    await runCommand("Explorer: Focus on Falsifiability View");
    await page.locator(".explorer-viewlet .pane-header").first().click(); // fold the (empty) folder pane
    let shown: string[] = [];
    const rows = await waitFor(async () => {
      shown = await panelRows(page);
      return shown.some((row) => /^H1(?!\d)/.test(row)) && shown.some((row) => /^Verdict: supported/.test(row)) ? shown : undefined;
    }, 60_000, "the Falsifiability panel to show H1 with its verdict").catch((error: Error) => {
      throw new Error(`${error.message}; its rows were ${JSON.stringify(shown)}`);
    });
    assert.ok(rows.some((row) => /^H1.*The gradient saliency map of the digits CNN depends on the weights it learned/.test(row)), rows.join("\n"));
    assert.ok(rows.some((row) => /hypothesis ✓ · baseline ✓ · quantified ✓/.test(row)), rows.join("\n"));
    log(`panel: ${rows.join(" | ")}`);
    await assertNotSaved(page);
    await step("5-verdict", "notebook-chart");
  },
};

/** The caret inside the `attributionHeatmap(...)` call of cell `index` (linked: `lines` above), where the picture's findings are. */
async function caretOnPicture(page: Page, index: number, linked: boolean): Promise<void> {
  const lines = HEATMAP.split("\n");
  const line = lines.findIndex((l) => l.startsWith("display(attributionHeatmap"));
  await caretInCell(page, index, line + 1 + (linked ? 1 : 0), "display(attributionHeatmap".length);
}

/** Selects `text` (on one unwrapped line of `source`, the cell's text) in cell `index`. */
async function selectInCell(page: Page, index: number, source: string, text: string): Promise<void> {
  const lines = source.split("\n");
  const line = lines.findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `${JSON.stringify(text)} in ${source}`);
  // Hypothesis cells wrap long lines, and arrows move by screen line: below a long line, come from the end.
  const fromEnd = lines.slice(0, line).some((l) => l.length > 100);
  await caretInCell(page, index, fromEnd ? lines.length - 1 - line : line + 1, lines[line].indexOf(text) + 1, fromEnd);
  // A placeholder that ends its line is selected to the end in one key; others character by character.
  if (lines[line].endsWith(text)) await page.keyboard.press("Shift+End");
  else for (let k = 0; k < text.length; k++) await page.keyboard.press("Shift+ArrowRight");
}

/**
 * Enters code into the focused cell editor line by line, as a paste or an input method does (the
 * editor's own input event, one per line, and Enter between): the researcher's words are typed key by
 * key, code lines this way to keep the scenario within CI's time.
 */
async function typeCode(page: Page, code: string): Promise<void> {
  const lines = code.split("\n");
  for (const [k, line] of lines.entries()) {
    if (line) await page.keyboard.insertText(line);
    if (k < lines.length - 1) await page.keyboard.press("Enter");
  }
}

/** Waits until cell `index` (brought on screen) shows each of `lines` (the empty ones aside; the list redraws rows as cells come in). */
async function cellShows(page: Page, index: number, lines: string[]): Promise<void> {
  await focusCell(page, index);
  let shown: string[] = [];
  await waitFor(async () => {
    shown = (await cellRow(page, index).locator(".monaco-editor .view-line").allInnerTexts()).map((line) => line.replace(/\u00a0/g, " "));
    return lines.every((line) => !line.trim() || shown.includes(line));
  }, 30_000, `cell ${index + 1} to show ${JSON.stringify(lines)}`).catch((error: Error) => {
    throw new Error(`${error.message}; it shows ${JSON.stringify(shown)}`);
  });
}

/** Waits until the notebook has `count` cells, on screen or not (the list's aria-setsize). */
async function waitForCellCount(page: Page, count: number): Promise<void> {
  const rows = page.locator(".notebook-editor").filter({ visible: true }).locator(".cell-list-container .monaco-list-row");
  await waitFor(async () => Number(await rows.first().getAttribute("aria-setsize", { timeout: 2_000 })) === count, 30_000, `the notebook to have ${count} cells`);
}

async function problems(page: Page): Promise<string[]> {
  return page.locator(".markers-panel .monaco-list-row").allInnerTexts();
}

async function expectRules(page: Page, rules: string[], what: string): Promise<void> {
  let seen: string[] = [];
  await waitFor(async () => (seen = await falsifyRules(page)).join() === [...rules].sort().join(), 60_000, `${what}: the Problems panel to show exactly [${rules.join(", ")}]`).catch((error: Error) => {
    throw new Error(`${error.message}; it shows [${seen.join(", ")}]`);
  });
}

async function waitForProblem(page: Page, message: RegExp): Promise<void> {
  await waitFor(async () => (await problems(page)).some((text) => message.test(text)), 30_000, `the finding ${message}`);
}

/** No quick fix saved the notebook or asked where to. */
async function assertNotSaved(page: Page): Promise<void> {
  assert.equal(await page.locator(".monaco-dialog-box").count(), 0, "no save dialog");
  assert.ok((await activeTabTitle(page))?.startsWith("Untitled"), "the notebook is still untitled (not saved)");
}

async function panelRows(page: Page): Promise<string[]> {
  const pane = page.locator(".pane", { has: page.locator(".pane-header", { hasText: "Falsifiability" }) });
  return (await pane.locator(".monaco-list-row").allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
}
