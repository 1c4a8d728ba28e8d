// A model inspection as a self-contained HTML page (no script, no external resource): what the
// "Falsify: Open Model..." webview shows. Every value from the model file is escaped.
import type { ModelInspection } from "./inspect";

const escape = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const shape = (s: unknown): string => JSON.stringify(s).replace(/null/g, "batch");

export function inspectionHtml(inspection: ModelInspection): string {
  const methods = inspection.methods
    .map((m) => `<tr><td>${m.applies ? "✓" : "✗"} ${escape(m.method)}</td><td>${m.functions.map((f) => `<code>${escape(f)}</code>`).join(" ")}</td><td>${escape(m.why)}</td></tr>`)
    .join("\n");
  const onnx = inspection.layers.some((l) => l.onnxNode);
  const layers = inspection.layers
    .map((l) => `<tr><td><code>${escape(l.name)}</code></td><td>${escape(l.className)}</td>${onnx ? `<td><code>${escape(l.onnxNode ?? "")}</code></td>` : ""}<td>${escape(shape(l.outputShape))}</td><td class="n">${l.parameters.toLocaleString("en")}</td></tr>`)
    .join("\n");
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
td, th { border-bottom: 1px solid var(--vscode-panel-border, #8884); padding: 0.2em 0.8em; text-align: left; }
td.n { text-align: right; }
</style>
<title>${escape(inspection.path)}</title></head>
<body>
<h2>${escape(inspection.path)}</h2>
<p>${escape(inspection.format)} · input ${escape(shape(inspection.inputShape))} · ${inspection.layers.length} layers · ${inspection.parameters.toLocaleString("en")} parameters</p>
${inspection.details.map((d) => `<p>${escape(d)}</p>`).join("\n")}
<h3>Toolkit methods</h3>
<table><tr><th>method</th><th>functions</th><th></th></tr>
${methods}
</table>
<h3>Layers</h3>
<table><tr><th>layer</th><th>class</th>${onnx ? "<th>ONNX node</th>" : ""}<th>output</th><th>parameters</th></tr>
${layers}
</table>
</body></html>
`;
}
