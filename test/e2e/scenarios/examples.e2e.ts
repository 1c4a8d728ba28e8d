// The worked examples in VS Code, as a newcomer meets them. Example 1 opens through the walkthrough's
// command, the others from the workspace; Run All runs each on the kernel (tfjs-node, from this
// repository's node_modules). Examples 1-3, 7 and 9 end with every hypothesis decided in the Falsifiability
// panel and no falsify warning in the Problems panel; example 4 draws its heatmap and shows exactly the
// two warnings its tour explains. In every one, each output is drawn: with every cell brought on
// screen, the notebook shows no "No renderer could be found" box. Example 4's heatmap over its digit is
// then drawn again in the light, dark and high-contrast themes, its text in each theme's foreground and
// the digit's outline over the map, and captured; example 1's Falsifiability panel is captured after its
// run. `npm run screenshots` copies those captures over the README's.
import assert from "node:assert/strict";
import { readdirSync, statSync, symlinkSync } from "node:fs";
import { join, relative } from "node:path";
import type { Locator, Page } from "playwright-core";
import { keepForReadme, REPO, waitFor, type Scenario, type ScenarioContext } from "../harness";
import { isDark, switchTheme, THEMES } from "../themes";
import { missingRendererNotices, notebookCells, notebookOutputFrame, visitEveryCell } from "../workbench";
import { problemTexts } from "./lint-ui";

interface ExampleCase {
  example: string;
  /** How many hypotheses get a verdict in the panel. */
  verdicts: number;
  /** Rows the Falsifiability panel must show besides (a hypothesis tested several times: one per test). */
  panelRows?: RegExp[];
  /** The falsify rules the Problems panel must show, no more, no fewer. */
  warnings: string[];
  /** Open through "Falsify: Open Example" (the walkthrough's button) rather than by file name. */
  viaWalkthrough?: boolean;
  /** The README picture (media/screenshots/<name>.png) of the Falsifiability panel once every verdict is in. */
  panelPicture?: string;
  /** Its first cell draws one attribution heatmap over an 8×8 digit: check and capture it in every theme. */
  heatmapInThemes?: boolean;
}

const CASES: ExampleCase[] = [
  { example: "01-selectivity-ablation", verdicts: 2, warnings: [], viaWalkthrough: true, panelPicture: "falsifiability-panel" },
  {
    example: "02-saliency-sanity",
    verdicts: 1,
    warnings: [],
    // One hypothesis, eight labelled tests (one per method), Holm-adjusted as H1 declares.
    panelRows: [
      /^Verdict: mixed — 5 supported, 2 falsified, 1 inconclusive of 8 tests \(holm-adjusted\)/,
      /^H1 \(gradient\): supported/,
      /^H1 \(SmoothGrad\): supported/,
      /^H1 \(Integrated Gradients\): falsified/,
      /^H1 \(Guided Backprop\): supported/,
      /^H1 \(Grad-CAM\): supported/,
      /^H1 \(occlusion\): inconclusive/,
      /^H1 \(DeepLift\): falsified/,
    ],
  },
  { example: "03-representations", verdicts: 2, warnings: [] },
  { example: "04-linter-tour", verdicts: 0, warnings: ["single-example-visual", "visual-without-hypothesis"], heatmapInThemes: true },
  { example: "05-implanted-flaw", verdicts: 1, warnings: [] },
  { example: "06-selectivity-regularizer", verdicts: 1, warnings: [] },
  { example: "07-forward-prediction", verdicts: 1, warnings: [] },
  { example: "09-onnx-resnet-sanity", verdicts: 1, warnings: [] },
];

/** Every file of the shipped digits data and models, by its path under examples/. */
function digitsFiles(dir = join(REPO, "examples", "digits")): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? digitsFiles(path) : [relative(join(REPO, "examples"), path)];
  });
}

export const scenarios: Scenario[] = CASES.map((c) => ({
  name: `examples: ${c.example} runs top to bottom (${c.verdicts} verdicts, ${c.warnings.length} intended warnings)`,
  workspaceFiles: Object.fromEntries([`${c.example}.falsify`, ...digitsFiles()].map((file) => [file, `examples/${file}`])),
  // Run All and a scroll through every output; the slowest example takes ~3 min on a loaded 2-core machine.
  timeoutMs: 480_000,
  run: (ctx) => runExample(c, ctx),
}));

async function runExample(c: ExampleCase, ctx: ScenarioContext): Promise<void> {
  const { page, path, openFile, runCommand, screenshot, log } = ctx;
  symlinkSync(join(REPO, "node_modules"), path("node_modules"), "dir");
  if (c.viaWalkthrough) await runCommand("Falsify: Open Example");
  else await openFile(`${c.example}.falsify`);
  // Its cells, not only the editor's frame: Run All applies to a notebook whose cells are there.
  await waitFor(async () => (await notebookCells(page)).length > 0, 90_000, `${c.example} to open as a notebook and show its cells`);
  await runCommand("Notebook: Run All");

  if (c.verdicts) {
    await runCommand("Explorer: Focus on Falsifiability View");
    // Collapse the folder pane so the panel has room for every hypothesis (its rows are virtualised).
    await page.locator(".explorer-viewlet .pane-header").first().click();
    let shown: string[] = [];
    await waitFor(async () => {
      shown = await panelRows(page);
      const verdicts = shown.filter((row) => /^Verdict: (supported|falsified|inconclusive|mixed)/.test(row));
      return verdicts.length >= c.verdicts && (c.panelRows ?? []).every((wanted) => shown.some((row) => wanted.test(row)));
    }, 240_000, `the ${c.verdicts} hypotheses of ${c.example} to have a verdict in the Falsifiability panel, with rows ${c.panelRows ?? []}`).catch((error: Error) => {
      throw new Error(`${error.message}; its rows were ${JSON.stringify(shown)}`);
    });
    log(`panel: ${shown.join(" | ")}`);
    if (c.panelPicture) keepForReadme(await screenshot("panel"), c.panelPicture);
  } else {
    // No verdict to wait for: the picture itself is the sign that the cells ran.
    await notebookOutputFrame(page, "svg.marks", 180_000);
  }

  await page.keyboard.press("Control+Shift+M");
  await waitFor(async () => (await page.locator(".markers-panel").count()) > 0, 15_000, "the Problems panel");
  let seen: string[] = [];
  const rules = await waitFor(async () => {
    seen = await problemTexts(page);
    const found = seen.flatMap((text) => [...text.matchAll(/\bfalsify\W+([a-z]+(?:-[a-z]+)+)/g)].map((m) => m[1])).sort();
    return found.join() === c.warnings.join() ? found : undefined;
  }, 30_000, `the Problems panel of ${c.example} to show exactly [${c.warnings.join(", ")}]`).catch((error: Error) => {
    throw new Error(`${error.message}; its rows were ${JSON.stringify(seen)}`);
  });
  log(`problems: [${rules.join(", ")}]; screenshot ${await screenshot("ran")}`);

  await page.keyboard.press("Control+Shift+M"); // close the Problems panel: more of the notebook on screen
  const scrolling = Date.now();
  await visitEveryCell(page);
  const notices = await missingRendererNotices(page);
  if (notices.length) throw new Error(`${notices.length} outputs of ${c.example} have no renderer: ${JSON.stringify([...new Set(notices)])}; screenshot ${await screenshot("no-renderer")}`);
  log(`every output of ${c.example} has a renderer (visited every cell in ${((Date.now() - scrolling) / 1000).toFixed(1)} s)`);
  if (c.heatmapInThemes) await heatmapInThemes(c, ctx);
}

/**
 * The first cell's heatmap, redrawn in each theme as VS Code switches it: both panels drawn (the 64
 * pixels of the digit and the 64 cells of its map), the digit's outline over the map, and every title
 * and legend label in the theme's own editor foreground (dark ink on light, light ink on dark and high
 * contrast). Each theme's chart is captured as README picture heatmap-<theme>.png.
 */
async function heatmapInThemes(c: ExampleCase, { page, path, runCommand, screenshot, log }: ScenarioContext): Promise<void> {
  const started = Date.now();
  await runCommand("Notebook: Focus First Cell"); // the heatmap's output on screen
  const frame = await notebookOutputFrame(page, ".falsify-chart svg.marks");
  const chart = frame.locator(".falsify-chart").filter({ has: frame.locator('svg.marks [aria-roledescription="rect mark"]') });
  for (const theme of THEMES) {
    await switchTheme(frame, path(".vscode/settings.json"), theme);
    const drawn = await waitFor(async () => {
      const foreground = await frame.locator("body").evaluate((body) => getComputedStyle(body).getPropertyValue("--vscode-editor-foreground").trim());
      const inks = await chart.locator("svg.marks :is(.role-title-text, .role-legend-title, .role-legend-label) text").evaluateAll((texts) => texts.map((text) => text.getAttribute("fill") ?? ""));
      // Redrawn for this theme: every text in its foreground (the renderer redraws on the body's class change).
      return (await chart.count()) === 1 && foreground && inks.length && inks.every((ink) => ink.toLowerCase() === foreground.toLowerCase()) ? { foreground, inks } : undefined;
    }, 30_000, `${c.example}'s heatmap to be drawn once, its text in the ${theme.name} theme's foreground`);
    assert.equal(isDark(drawn.foreground), theme.darkInk, `${theme.name}: text ink ${drawn.foreground} stands out from the background`);
    const texts = (await chart.locator("svg.marks :is(.role-title-text, .role-legend-title) text").allTextContents()).join(" | ");
    assert.match(texts, /input.*map/, `${theme.name}: both panels are titled (${texts})`);
    assert.equal(await chart.locator('svg.marks [aria-roledescription="rect mark"]').count(), 2 * 64, `${theme.name}: the digit's 64 pixels and its map's 64 cells are drawn`);
    const outline = await chart.locator('svg.marks [aria-roledescription="rule mark"][stroke="#ffffff"]').count();
    assert.ok(outline > 0, `${theme.name}: the digit's outline is drawn over its map`);
    assert.equal(await frame.locator(".falsify-error").count(), 0, `${theme.name}: no output shows an error`);
    assert.deepEqual(await missingRendererNotices(page), [], `${theme.name}: no "No renderer" box`);
    const file = await screenshot(`heatmap-${theme.name}`, await chartWithCaption(chart));
    keepForReadme(file, `heatmap-${theme.name}`);
    log(`${theme.name}: text in ${drawn.foreground} (${drawn.inks.length} titles and labels), ${outline} outline edges over the map; ${file}`);
  }
  log(`the heatmap checked and captured in ${THEMES.length} themes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Where a chart and the linter's caption under it are in the window, with a margin: as wide as the chart
 * (the caption is a block as wide as the notebook, its text starts where the chart does), down to the
 * caption's foot.
 */
async function chartWithCaption(chart: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const svg = await chart.locator("svg.marks").boundingBox();
  const caption = await chart.locator("xpath=following-sibling::p[contains(@class, 'falsify-chart__caption')]").boundingBox();
  if (!svg || !caption) throw new Error("the chart or its caption is not on screen");
  const margin = 8;
  const x = Math.max(0, Math.min(svg.x, caption.x) - margin);
  return { x, y: svg.y - margin, width: svg.x + svg.width + margin - x, height: caption.y + caption.height - svg.y + 2 * margin };
}

async function panelRows(page: Page): Promise<string[]> {
  const pane = page.locator(".pane", { has: page.locator(".pane-header", { hasText: "Falsifiability" }) });
  return (await pane.locator(".monaco-list-row").allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
}
