// The editor theme as a Vega config (pure: no DOM needed).
import assert from "node:assert/strict";
import { test } from "node:test";
import { type EditorTheme, themeConfig, themed } from "../../../src/renderer/theme";

const dark: EditorTheme = { kind: "dark", foreground: "#cccccc", font: "Segoe UI", lines: "#888888" };

test("text and guides take the theme's colours on a transparent background", () => {
  const config = themeConfig(dark) as Record<string, Record<string, unknown>>;
  assert.equal(config.background as unknown, "transparent");
  assert.equal(config.axis.labelColor, "#cccccc");
  assert.equal(config.axis.domainColor, "#888888");
  assert.equal(config.legend.titleColor, "#cccccc");
  assert.equal(config.title.color, "#cccccc");
  assert.equal(config.line, undefined);
});

test("high contrast draws thicker lines, opaque-er bands and a solid frame", () => {
  const config = themeConfig({ ...dark, kind: "high-contrast" }) as Record<string, Record<string, unknown>>;
  assert.equal(config.line.strokeWidth, 3);
  assert.equal(config.area.opacity, 0.5);
  assert.equal(config.view.strokeOpacity, 1);
});

test("a spec with its own config is left alone; one without gets the theme", () => {
  const own = { mark: "point", config: { axis: { labelColor: "red" } } };
  assert.equal(themed(own, dark), own);
  assert.deepEqual(themed({ mark: "point" }, dark), { mark: "point", config: themeConfig(dark) });
});
