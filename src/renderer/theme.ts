// The editor's colour theme as a Vega config, so charts look native in light, dark and
// high-contrast themes. Applied only when a spec brings no `config` of its own.
import type { Config } from "vega-embed";

export type ThemeKind = "light" | "dark" | "high-contrast" | "high-contrast-light";

export interface EditorTheme {
  kind: ThemeKind;
  foreground: string;
  font: string;
  /** Axis and view-frame colour; a muted foreground when the theme has none. */
  lines: string;
}

/** Reads the theme the notebook webview exposes: body classes and `--vscode-*` CSS variables. */
export function editorTheme(body: HTMLElement): EditorTheme {
  const classes = body.classList;
  const kind: ThemeKind = classes.contains("vscode-high-contrast-light")
    ? "high-contrast-light"
    : classes.contains("vscode-high-contrast")
      ? "high-contrast"
      : classes.contains("vscode-dark")
        ? "dark"
        : "light";
  const style = getComputedStyle(body);
  const variable = (name: string) => style.getPropertyValue(name).trim();
  const dark = kind === "dark" || kind === "high-contrast";
  const foreground = variable("--vscode-editor-foreground") || variable("--vscode-foreground") || (dark ? "#cccccc" : "#333333");
  return {
    kind,
    foreground,
    font: variable("--vscode-font-family") || "sans-serif",
    lines: variable("--vscode-charts-lines") || foreground,
  };
}

/** A Vega config drawing text and guides in the theme's colours on a transparent background. */
export function themeConfig(theme: EditorTheme): Config {
  const highContrast = theme.kind.startsWith("high-contrast");
  const text = { labelColor: theme.foreground, titleColor: theme.foreground, labelFont: theme.font, titleFont: theme.font };
  return {
    background: "transparent",
    font: theme.font,
    title: { color: theme.foreground, subtitleColor: theme.foreground, font: theme.font },
    axis: { ...text, domainColor: theme.lines, tickColor: theme.lines, gridColor: theme.lines, gridOpacity: highContrast ? 0.5 : 0.2 },
    legend: text,
    header: text,
    view: { stroke: highContrast ? theme.foreground : theme.lines, strokeOpacity: highContrast ? 1 : 0.3 },
    // High contrast: thicker lines and no translucent fills that would sink into the background.
    ...(highContrast ? { line: { strokeWidth: 3 }, rule: { strokeWidth: 2 }, area: { opacity: 0.5 } } : {}),
  };
}

/** The spec to draw: the theme fills in only when the spec sets no config itself. */
export function themed<T extends Record<string, unknown>>(spec: T, theme: EditorTheme): T {
  return spec.config === undefined ? { ...spec, config: themeConfig(theme) } : spec;
}
