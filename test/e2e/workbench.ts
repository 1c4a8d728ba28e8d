// Driving the VS Code workbench as a user does: keyboard, Quick Open, the command palette, and
// reading what is on screen. Selectors of VS Code's DOM live here only, so a VS Code update means
// fixing one file. Every helper waits on a condition (waitFor), never on a sleep.
import type { Frame, Page } from "playwright-core";
import { waitFor } from "./wait";

export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 60_000 });
  // The explorer lists the workspace once the file service is up.
  await page.locator(".explorer-folders-view").waitFor({ state: "visible", timeout: 60_000 });
}

/** Quick Open (Ctrl+P), type the file name, Enter; resolves when its editor tab is active. */
export async function openFile(page: Page, name: string): Promise<void> {
  const base = name.split("/").pop() ?? name;
  await quickInput(page, "Control+P", name, base);
  await waitFor(() => activeTabTitle(page).then((title) => title?.startsWith(base)), 30_000, `the editor tab of ${name} to be active`);
}

/** Runs a command from the palette by its full title ("Falsify: New Falsify Notebook"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await quickInput(page, "Control+Shift+P", title, title);
}

async function quickInput(page: Page, shortcut: string, text: string, expectedLabel: string): Promise<void> {
  const widget = page.locator(".quick-input-widget");
  const input = widget.locator("input.input");
  const query = shortcut === "Control+Shift+P" ? `>${text}` : text;
  const wanted = widget.locator(".monaco-list-row.focused", { hasText: expectedLabel });
  // The palette collects its choices when it opens, and extension commands (the extension host starts
  // after the workbench) or new files may come later: reopen it until the wanted row is the first one.
  await waitFor(
    async () => {
      if (await widget.isVisible()) await page.keyboard.press("Escape");
      await page.keyboard.press(shortcut);
      await waitFor(() => input.isVisible(), 5_000, `the quick input to open with ${shortcut}`);
      await input.fill(query);
      return waitFor(() => wanted.count(), 5_000, "").catch(() => 0);
    },
    // The extension host (hence Falsify's commands) and the file index can take well over a minute
    // to come up on a loaded 2-core machine.
    120_000,
    `'${expectedLabel}' to be the first choice in the quick input`,
  );
  await input.press("Enter");
  // Done when the palette is gone, or when the command opened its own quick input (a pick, a save
  // dialog) in the same widget: then the input no longer holds our query.
  await waitFor(
    async () => !(await widget.isVisible()) || (await input.inputValue()) !== query,
    10_000,
    `'${expectedLabel}' to be accepted by the quick input`,
  );
}

/** The label of the active editor tab ("valid.falsify", "Untitled-1.falsify"). */
export async function activeTabTitle(page: Page): Promise<string | undefined> {
  const tab = page.locator(".editor-group-container.active .tabs-container .tab.active").first();
  return (await tab.count()) ? ((await tab.getAttribute("aria-label")) ?? undefined) : undefined;
}

/** Texts of the notification toasts and of the notification center, newest first. */
export async function notifications(page: Page): Promise<string[]> {
  return page.locator(".notification-list-item-message").allTextContents();
}

export interface NotebookCellView {
  kind: "code" | "markup";
  /** The language label in a code cell's status bar ("TypeScript", "Hypothesis"). */
  language?: string;
  /** The code cell's editor text; "" for a rendered markdown cell (its text is in the webview). */
  text: string;
}

/** The visible notebook editor's cell rows (the list is virtual: only rows on screen exist). */
function cellRows(page: Page) {
  return page.locator(".notebook-editor").filter({ visible: true }).locator(".cell-list-container .monaco-list-rows > .monaco-list-row");
}

/** The cells of the active notebook editor, in order. */
export async function notebookCells(page: Page): Promise<NotebookCellView[]> {
  const cells: (NotebookCellView & { index: number })[] = [];
  for (const row of await cellRows(page).all()) {
    const index = Number(await row.getAttribute("data-index"));
    if ((await row.getAttribute("class"))?.includes("markdown-cell-row")) {
      cells.push({ index, kind: "markup", text: "" });
      continue;
    }
    // The language picker is the right-most item of the cell's status bar.
    const language = row.locator(".cell-statusbar-container .cell-status-right .cell-status-item").last();
    const lines = row.locator(".monaco-editor .view-lines").first();
    cells.push({
      index,
      kind: "code",
      language: (await language.count()) ? ((await language.getAttribute("aria-label")) ?? undefined) : undefined,
      text: (await lines.count()) ? (await lines.innerText()).replace(/\u00a0/g, " ") : "",
    });
  }
  return cells.sort((a, b) => a.index - b.index).map(({ index: _index, ...cell }) => cell);
}

/** Waits until the active notebook shows `count` cells and returns them. */
export async function waitForNotebookCells(page: Page, count: number): Promise<NotebookCellView[]> {
  return waitFor(
    async () => {
      const cells = await notebookCells(page);
      return cells.length === count && cells.every((cell) => cell.kind === "markup" || cell.language) ? cells : undefined;
    },
    30_000,
    `the notebook to show ${count} cells with language labels`,
  );
}

/** Notebook cell `index` (0-based, among all cells) of the visible notebook, once its row is on screen. */
export function cellRow(page: Page, index: number) {
  return cellRows(page).and(page.locator(`[data-index="${index}"]`));
}

/** Focuses cell `index` in command mode (the cell, not its text), which brings it on screen. */
export async function focusCell(page: Page, index: number): Promise<void> {
  // From inside the notebook, Escape leaves a cell's text and Ctrl+Home goes to the first cell; from
  // elsewhere, the palette.
  if (await page.locator(".notebook-editor .monaco-editor.focused").filter({ visible: true }).count()) {
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+Home");
  } else {
    await runCommand(page, "Notebook: Focus First Cell");
  }
  for (let k = 0; k < index; k++) await page.keyboard.press("ArrowDown");
  await waitFor(() => cellRow(page, index).and(page.locator(".focused")).count(), 10_000, `cell ${index + 1} to take the focus`);
}

/**
 * Puts the caret on a line of code cell `index` as a user does with the keyboard: the cell focused in
 * command mode (which reveals it, wherever the list is scrolled), Enter to edit, then arrows, from the
 * first line down to `line` (1-based), or with `fromEnd` from the last line up by `line`. Arrows move by
 * screen lines: the lines passed must not be wrapped, and the line reached not indented.
 */
export async function caretInCell(page: Page, index: number, line: number, column: number, fromEnd = false): Promise<void> {
  await focusCell(page, index);
  const row = cellRow(page, index);
  await page.keyboard.press("Enter");
  await waitFor(() => row.locator(".monaco-editor.focused").count(), 10_000, `the editor of cell ${index + 1} to take focus`);
  await page.keyboard.press(fromEnd ? "Control+End" : "Control+Home");
  for (let k = fromEnd ? 0 : 1; k < line; k++) await page.keyboard.press(fromEnd ? "ArrowUp" : "ArrowDown");
  await page.keyboard.press("Home");
  for (let k = 1; k < column; k++) await page.keyboard.press("ArrowRight");
}

/** Puts the cursor at the end of code cell `index` (0-based, among all cells) and types `text`. */
export async function typeAtEndOfCell(page: Page, index: number, text: string): Promise<void> {
  const row = cellRow(page, index);
  await row.locator(".monaco-editor .view-lines").first().click();
  await waitFor(() => row.locator(".monaco-editor.focused").count(), 10_000, `the editor of cell ${index} to take focus`);
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

/**
 * The frame of the notebook's webview that holds cell outputs and rendered markdown (VS Code draws
 * them in an iframe inside an iframe, not in the workbench's document). Waits until it contains
 * `selector`.
 */
export async function notebookOutputFrame(page: Page, selector = ".output, .preview", ms = 30_000): Promise<Frame> {
  return waitFor(
    async () => {
      for (const frame of page.frames()) {
        if (frame === page.mainFrame()) continue;
        if (await frame.locator(selector).count().catch(() => 0)) return frame;
      }
      return undefined;
    },
    ms,
    `a notebook webview frame containing '${selector}'`,
  );
}

/**
 * Brings every cell of the visible notebook on screen once, top to bottom, by moving the cell focus
 * down (command mode). The cell list is virtual and VS Code creates a cell's outputs in the webview
 * only once its row is rendered, so this is how a test gets every output drawn.
 */
export async function visitEveryCell(page: Page, ms = 180_000): Promise<void> {
  const rows = cellRows(page);
  const total = Number(await rows.first().getAttribute("aria-setsize"));
  if (!(total > 0)) throw new Error("the notebook's cell list does not say how many cells it has (aria-setsize)");
  await runCommand(page, "Notebook: Focus First Cell");
  const deadline = Date.now() + ms;
  for (let index = 1; index < total; index++) {
    await page.keyboard.press("ArrowDown");
    const row = rows.and(page.locator(`[data-index="${index}"].focused`));
    await waitFor(() => row.count(), Math.max(1_000, deadline - Date.now()), `cell ${index + 1} of ${total} to take the focus (and come on screen)`);
  }
}

/**
 * VS Code's notices for outputs no installed renderer draws ("No renderer could be found for
 * mimetype ..."), from the workbench and from the notebook webview.
 */
export async function missingRendererNotices(page: Page): Promise<string[]> {
  const notices: string[] = [];
  for (const frame of page.frames()) {
    const texts = await frame.getByText(/No renderer could be found/).allTextContents().catch(() => []);
    notices.push(...texts.map((text) => text.replace(/\s+/g, " ").trim()));
  }
  return notices;
}

/** Texts of the rendered markdown cells of the visible notebook (drawn in its webview). */
export async function renderedMarkdown(page: Page): Promise<string[]> {
  const frame = await notebookOutputFrame(page, ".preview");
  // Each preview draws its markdown in a shadow root, which innerText of the host does not include.
  return frame.locator(".preview").evaluateAll((previews) => previews.map((preview) => (preview.shadowRoot ?? preview).textContent ?? ""));
}

/** Texts of the cell outputs of the visible notebook (drawn in its webview). */
export async function outputTexts(page: Page): Promise<string[]> {
  const frame = await notebookOutputFrame(page, ".output");
  return frame.locator(".output").allInnerTexts();
}

/**
 * Applies the code action `label` at the cursor of the focused editor. Code actions are computed
 * after the diagnostics arrive, so the menu (Ctrl+.) is reopened until it offers `label`.
 */
export async function applyCodeAction(page: Page, label: string, ms = 30_000): Promise<void> {
  const menu = page.locator(".action-widget");
  const item = menu.locator(".monaco-list-row", { hasText: label }).first();
  await waitFor(
    async () => {
      // Escape only when the menu is open: in a notebook cell it would otherwise leave the editor.
      if (await menu.isVisible()) await page.keyboard.press("Escape");
      await page.keyboard.press("Control+.");
      return waitFor(() => item.isVisible(), 3_000, "").catch(() => false);
    },
    ms,
    `the code action '${label}' to be offered`,
  );
  await item.click();
}
