// VS Code's colour themes in the e2e: switched as a user does (the workspace's settings, applied live),
// and the colours a chart was drawn in read back from the notebook webview's SVG.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Frame } from "playwright-core";
import { waitFor } from "./wait";

/** The three themes a chart must be legible in, by the body class the notebook webview gets for each. */
export const THEMES = [
  { name: "light", colorTheme: "Default Light Modern", bodyClass: "vscode-light", darkInk: true },
  { name: "dark", colorTheme: "Default Dark Modern", bodyClass: "vscode-dark", darkInk: false },
  { name: "high-contrast", colorTheme: "Default High Contrast", bodyClass: "vscode-high-contrast", darkInk: false },
] as const;
export type Theme = (typeof THEMES)[number];

/**
 * Sets `workbench.colorTheme` in the workspace's .vscode/settings.json (`settingsPath`), keeping its
 * other settings, and waits until the notebook webview (`frame`) wears the theme.
 */
export async function switchTheme(frame: Frame, settingsPath: string, theme: Theme): Promise<void> {
  const settings = existsSync(settingsPath) ? (JSON.parse(readFileSync(settingsPath, "utf8")) as Record<string, unknown>) : {};
  mkdirSync(dirname(settingsPath), { recursive: true });
  writeFileSync(settingsPath, JSON.stringify({ ...settings, "workbench.colorTheme": theme.colorTheme }, null, 2));
  await waitFor(async () => ((await frame.locator("body").getAttribute("class")) ?? "").split(/\s+/).includes(theme.bodyClass), 30_000, `the ${theme.name} theme in the notebook webview`);
}

/** Whether a CSS colour (#rgb, #rrggbb or rgb()) is darker than mid-grey. */
export function isDark(colour: string): boolean {
  const hex = colour.match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i)?.[1];
  const channels = hex
    ? (hex.length === 3 ? [...hex].map((h) => h + h) : hex.match(/../g) ?? []).map((h) => parseInt(h, 16))
    : (colour.match(/\d+/g) ?? []).slice(0, 3).map(Number);
  return channels.reduce((sum, value) => sum + value, 0) / 3 < 128;
}
