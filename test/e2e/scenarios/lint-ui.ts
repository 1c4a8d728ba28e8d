// Workbench helpers the lint scenarios share (not a scenario: the runner loads *.e2e.ts only).
import type { Page } from "playwright-core";
import { waitFor } from "../harness";

/** Texts of the Problems panel's rows (open it first with Ctrl+Shift+M). */
export async function problemTexts(page: Page): Promise<string[]> {
  return page.locator(".markers-panel .monaco-list-row").allInnerTexts();
}

/**
 * Opens the quick-fix menu at the cursor (Ctrl+.) and picks `title`. The menu is asked for again
 * until the action is listed: on a loaded machine the extension host may answer after the menu gave up.
 */
export async function applyQuickFix(page: Page, title: string): Promise<void> {
  // Not its submenu panel, also an .action-widget once a menu has been shown.
  const widget = page.locator(".action-widget:not(.action-list-submenu-panel)");
  const fix = widget.locator(".monaco-list-row", { hasText: title });
  await waitFor(
    async () => {
      if (await fix.count()) return true;
      if (await widget.isVisible()) await page.keyboard.press("Escape");
      await page.keyboard.press("Control+.");
      return waitFor(() => fix.count(), 5_000, "").catch(() => 0);
    },
    60_000,
    `the quick fix '${title}'`,
  );
  await fix.first().click();
}

/** The falsify rule ids the Problems panel shows (open it first), sorted, one per finding. */
export async function falsifyRules(page: Page): Promise<string[]> {
  return (await problemTexts(page)).flatMap((text) => [...text.matchAll(/\bfalsify\W+([a-z]+(?:-[a-z]+)+)/g)].map((m) => m[1])).sort();
}
