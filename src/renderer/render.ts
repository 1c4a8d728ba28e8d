// Draws one output item into a container: Vega-Lite specs (plain or Falsify charts) through
// vega-embed, verdicts as cards, recorded metrics and tensor summaries as small labelled views. Vega
// runs with its expression *interpreter* (`ast: true`), so no code is generated at run time and the
// notebook webview's CSP needs no `unsafe-eval`. An output that fails shows its error instead of an
// empty box.
//
// Outputs come from `.falsify` files, which may be someone else's: vega-embed would merge a spec's
// `usermeta.embedOptions` over the options below (turning eval back on, an action menu with the
// spec's own editor URL and HTML, a loader on another host), so they are stripped, and the loader
// reads nothing (src/core/charts/loader.ts).
import "./no-eval";
import embed from "vega-embed";
import { expressionInterpreter } from "vega-interpreter";
import { chartLoader } from "../core/charts/loader";
import { describeChart } from "../core/charts/spec";
import { isMetric, isTensorSummary, MIME, type Verdict } from "../core/display";
import { ResultsVerdict } from "../core/export/results";
import { registerDelimitedReaders } from "./dsv";
import { metricHtml } from "./metric-view";
import { tensorHtml } from "./tensor-view";
import { type EditorTheme, themed } from "./theme";
import { escape, VERDICT_CSS, verdictCardHtml } from "./verdict-card";

export interface RenderRequest {
  container: HTMLElement;
  mime: string;
  value: unknown;
  theme: EditorTheme;
}

/**
 * What stays alive after rendering; `dispose` finalizes the Vega view (timers, listeners, tooltips).
 * It never touches the container: a redraw may already have filled it again, and VS Code removes
 * the element of a disposed output itself.
 */
export interface RenderedOutput {
  dispose(): void;
}

const NOTHING_LIVE: RenderedOutput = { dispose: () => undefined };

registerDelimitedReaders();

export async function render(request: RenderRequest): Promise<RenderedOutput> {
  const { container } = request;
  container.replaceChildren();
  ensureStyles(container.ownerDocument);
  try {
    return await draw(request);
  } catch (error) {
    return showError(container, "This output could not be drawn", error instanceof Error ? error.message : String(error));
  }
}

async function draw({ container, mime, value, theme }: RenderRequest): Promise<RenderedOutput> {
  if (mime === MIME.verdict) {
    const verdict = ResultsVerdict.safeParse(value);
    if (!verdict.success) {
      const problems = verdict.error.issues.map((issue) => `${issue.path.join(".") || "(the output)"}: ${issue.message}`);
      return showError(container, "Not a verdict", `The output is not a Falsify verdict:\n${problems.join("\n")}`);
    }
    // Non-finite numbers arrive as null (JSON); the card prints them as such.
    container.innerHTML = verdictCardHtml(verdict.data as Verdict);
    return NOTHING_LIVE;
  }
  if (mime === MIME.metric) {
    if (!isMetric(value)) return showError(container, "Not a metric", "The output is not a recorded metric (it needs name and value).");
    container.innerHTML = metricHtml(value);
    return NOTHING_LIVE;
  }
  if (mime === MIME.tensor) {
    if (!isTensorSummary(value)) return showError(container, "Not a tensor summary", "The output is not a tensor summary (it needs shape, dtype and size).");
    container.innerHTML = tensorHtml(value);
    return NOTHING_LIVE;
  }
  if (mime !== MIME.vegaLite && mime !== MIME.chart) return showError(container, "Unsupported output", `The Falsify renderer does not draw ${mime}.`);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return showError(container, "Not a chart", "A Vega-Lite spec must be a JSON object.");
  const chart = container.ownerDocument.createElement("div");
  chart.className = "falsify-chart";
  container.append(chart);
  const dark = theme.kind === "dark" || theme.kind === "high-contrast";
  const loader = chartLoader();
  let result;
  try {
    result = await embed(chart, themed(withoutEmbedOptions(value as Record<string, unknown>), theme), {
      mode: "vega-lite",
      renderer: "svg",
      ast: true,
      expr: expressionInterpreter,
      // No action menu: the webview cannot download exports, and charts stay off the online editor.
      // Exports come from `renderSvg`/`renderPng` and `falsify run`.
      actions: false,
      loader: loader as unknown as import("vega").Loader,
      tooltip: { theme: dark ? "dark" : "light" },
    });
  } catch (error) {
    return showError(container, "This chart could not be drawn", error instanceof Error ? error.message : String(error));
  }
  if (loader.failures.length) {
    result.finalize();
    return showError(container, "This chart's data could not be loaded", loader.failures[0]);
  }
  if (mime === MIME.chart) container.append(caption(container.ownerDocument, value));
  return { dispose: () => result.finalize() };
}

/** The spec without `usermeta.embedOptions`: the renderer's options are not the notebook's to change. */
function withoutEmbedOptions(spec: Record<string, unknown>): Record<string, unknown> {
  const usermeta = spec.usermeta;
  if (typeof usermeta !== "object" || usermeta === null || !("embedOptions" in usermeta)) return spec;
  const { embedOptions: _dropped, ...kept } = usermeta as Record<string, unknown>;
  return { ...spec, usermeta: kept };
}

/** Says under a Falsify chart what it is evidence for and against which baselines, as the linter sees it. */
function caption(document: Document, spec: unknown): HTMLElement {
  const element = document.createElement("p");
  element.className = "falsify-chart__caption";
  element.textContent = describeChart(spec);
  return element;
}

function showError(container: HTMLElement, title: string, message: string): RenderedOutput {
  container.innerHTML = `<div class="falsify-error" role="alert"><strong>${escape(title)}</strong><pre>${escape(message)}</pre></div>`;
  return NOTHING_LIVE;
}

const STYLE_ID = "falsify-renderer-styles";
const BASE_CSS = `
.falsify-error { border-left: 4px solid var(--vscode-errorForeground, #e51400); padding: 4px 8px; color: var(--vscode-errorForeground, #e51400); font-family: var(--vscode-font-family, sans-serif); }
.falsify-error pre { white-space: pre-wrap; margin: 4px 0 0; font-family: var(--vscode-editor-font-family, monospace); }
.falsify-metric, .falsify-tensor { font-family: var(--vscode-font-family, sans-serif); color: var(--vscode-editor-foreground, inherit); }
.falsify-metric__kind { opacity: 0.7; font-size: 0.9em; }
.falsify-metric dl, .falsify-tensor dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 12px; margin: 2px 0 0 1em; }
.falsify-metric dd, .falsify-tensor dd { margin: 0; font-family: var(--vscode-editor-font-family, monospace); }
.falsify-metric__value { font-family: var(--vscode-editor-font-family, monospace); }
.falsify-metric pre, .falsify-tensor pre { white-space: pre-wrap; margin: 2px 0 0; max-height: 20em; overflow: auto; font-family: var(--vscode-editor-font-family, monospace); }
.falsify-chart__caption, .falsify-notice { font-family: var(--vscode-font-family, sans-serif); font-size: 0.9em; opacity: 0.8; margin: 2px 0 0; color: var(--vscode-editor-foreground, inherit); }
`;

function ensureStyles(document: Document): void {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement("style");
  style.id = STYLE_ID;
  style.textContent = BASE_CSS + VERDICT_CSS;
  document.head.append(style);
}
