// Charts: a notebook's saved chart outputs are drawn by Falsify's renderer in the notebook webview:
// the sanity grid as an SVG with its heatmap cells and the linter's caption, a plain Vega-Lite chart, the verdict card, and a
// broken spec as its error text. Switching VS Code from a light to a dark theme, then to high
// contrast, redraws the charts in the new theme's colours; the input stays legible beside its maps
// (its own panel, and its outline over every map). Screenshots of the three themes.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Frame } from "playwright-core";
import { waitFor, type Scenario } from "../harness";
import { isDark } from "../themes";
import { notebookOutputFrame } from "../workbench";

const FILE = "charts.falsify";
const SETTINGS = ".vscode/settings.json";
const LIGHT = { "workbench.colorTheme": "Default Light Modern" };
const DARK = { "workbench.colorTheme": "Default Dark Modern" };
const HIGH_CONTRAST = { "workbench.colorTheme": "Default High Contrast" };

/** The sanity grid: the 16×16 input once, then a map per panel (method, cascading, label-randomised, edge detector). */
const GRID_RECTS = (1 + 4) * 16 * 16;

export const scenario: Scenario = {
  name: "charts render in light and dark themes",
  workspaceFiles: { [FILE]: "test/fixtures/charts/charts.falsify" },
  settings: LIGHT,
  timeoutMs: 180_000,
  async run({ page, openFile, path, screenshot, log }) {
    await openFile(FILE);
    const frame = await notebookOutputFrame(page, "svg.marks", 60_000);

    const grid = await waitFor(async () => ((await rectMarks(frame)) >= GRID_RECTS ? rectMarks(frame) : undefined), 30_000, "the sanity grid's heatmap cells");
    assert.equal(grid, GRID_RECTS, "every image and map cell of the four panels is drawn");
    // Outputs are placed absolutely in the webview, so DOM order is not cell order: find the grid by its marks.
    const gridSvg = frame.locator("svg.marks").filter({ has: frame.locator('[aria-roledescription="rect mark"]') });
    const titles = (await gridSvg.textContent()) ?? "";
    assert.match(titles.replace(/\s+/g, " "), /ρ = 0\.08 · SSIM = 0\.11/, `similarity numbers in the panel titles: ${titles.slice(0, 300)}`);
    // The caption is the linter's reading of the cell, as the Falsifiability panel shows it, sent by the extension.
    const caption = frame.locator('.falsify-chart__caption[data-source="linter"]');
    await waitFor(() => caption.count(), 30_000, "the grid's caption from the linter");
    assert.equal(await caption.textContent(), "hypothesis H1 ✓ · baseline ✓: cascading randomisation: dense_2, label randomisation, edge detector · quantified ✓: spearman, ssim");

    const card = frame.locator('article[aria-label="Verdict on H1: falsified"]');
    await card.waitFor({ state: "visible", timeout: 30_000 });
    assert.match((await card.textContent()) ?? "", /permutation \(greater\).*p = 0\.41/s);

    const curves = frame.locator("svg.marks").filter({ has: frame.locator('[aria-roledescription="area mark"]') });
    await waitFor(() => curves.count(), 30_000, "the ablation curves with their random-order band");

    const error = frame.locator(".falsify-error[role=alert]");
    await waitFor(() => error.count(), 30_000, "the broken spec's error in its output");
    assert.match((await error.textContent()) ?? "", /could not be drawn.*Unexpected end of input/s);

    const lightInk = await axisLabelFill(frame);
    assert.ok(lightInk && isDark(lightInk), `axis labels are dark on the light theme (got ${lightInk})`);
    log(`light theme: ${grid} heatmap cells, axis ink ${lightInk}; screenshot ${await screenshot("light")}`);

    // VS Code applies a settings change live; the renderer sees the webview's body class change and redraws.
    mkdirSync(dirname(path(SETTINGS)), { recursive: true });
    writeFileSync(path(SETTINGS), JSON.stringify(DARK, null, 2));
    const darkInk = await waitFor(async () => {
      const ink = await axisLabelFill(frame);
      return ink && !isDark(ink) ? ink : undefined;
    }, 30_000, "the charts to be redrawn with light ink for the dark theme");
    assert.match(await frame.locator("body").getAttribute("class") ?? "", /vscode-dark/);
    assert.equal(await rectMarks(frame), GRID_RECTS, "the redraw replaced the grid rather than adding a second one");
    assert.equal(await card.count(), 1, "the verdict card is redrawn too, not lost");
    assert.equal(await error.count(), 1, "the broken spec's error is redrawn too");
    log(`dark theme: axis ink ${darkInk}; screenshot ${await screenshot("dark")}`);

    writeFileSync(path(SETTINGS), JSON.stringify(HIGH_CONTRAST, null, 2));
    await waitFor(async () => /vscode-high-contrast/.test((await frame.locator("body").getAttribute("class")) ?? ""), 30_000, "the high-contrast theme in the webview");
    await waitFor(async () => (await rectMarks(frame)) === GRID_RECTS, 30_000, "the grid redrawn once for high contrast");
    // The input's outline over each of the 4 maps: a white line on a black halo, whatever the theme.
    const outline = await frame.locator('svg.marks [aria-roledescription="rule mark"][stroke="#ffffff"]').count();
    assert.ok(outline > 0 && outline % 4 === 0, `the input's outline is drawn over every map (${outline} white edges)`);
    log(`high contrast: ${outline / 4} outline edges per map; screenshot ${await screenshot("high-contrast")}`);

    // The rest of the notebook (curves, the broken spec's error), for the record.
    // Wheel over the cells' left gutter (the workbench's own DOM, never under the webview) scrolls the notebook.
    const box = await page.locator(".notebookOverlay .cell-list-container").filter({ visible: true }).first().boundingBox();
    if (box) await page.mouse.move(box.x + 8, box.y + box.height / 2);
    await waitFor(
      async () => {
        await page.mouse.wheel(0, 400);
        const bounds = await error.boundingBox();
        return bounds && bounds.y + bounds.height < 1000;
      },
      15_000,
      "the broken spec's error to scroll into view",
    );
    log(`curves and the broken spec: ${await screenshot("error")}`);
  },
};

/** Heatmap cells drawn in the webview (Vega's SVG labels each with its role). */
function rectMarks(frame: Frame): Promise<number> {
  return frame.locator('svg.marks [aria-roledescription="rect mark"]').count();
}

/** The colour of the first axis label of the ablation chart (the grid's heatmaps have no axes). */
function axisLabelFill(frame: Frame): Promise<string | null> {
  return frame.locator("svg.marks .role-axis-label text").first().getAttribute("fill");
}
