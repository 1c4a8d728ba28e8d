// A verdict as an accessible HTML card: the word in colour *and* in text, the numbers as a
// definition list, and the effect's interval against the declared threshold as a small strip whose
// content is also said in words (the strip itself is hidden from screen readers).
import { formatNumber } from "../core/charts/spec";
import { describeEffect, describeTest, thresholdRelation, verdictName } from "../core/charts/verdict";
import type { Verdict } from "../core/display";

export function verdictCardHtml(verdict: Verdict): string {
  const title = `Verdict on ${verdictName(verdict)}: ${verdict.verdict}`;
  return [
    `<article class="falsify-verdict falsify-verdict--${verdict.verdict}" aria-label="${escape(title)}">`,
    `<header><span class="falsify-verdict__id">${escape(verdict.hypothesis)}</span>${verdict.label ? ` <span class="falsify-verdict__label">${escape(verdict.label)}</span>` : ""} <strong class="falsify-verdict__word">${escape(verdict.verdict)}</strong></header>`,
    verdict.claim ? `<p class="falsify-verdict__claim">${escape(verdict.claim)}</p>` : "",
    `<dl>`,
    `<dt>Test</dt><dd>${escape(describeTest(verdict))}</dd>`,
    `<dt>Effect</dt><dd>${escape(describeEffect(verdict))}</dd>`,
    `</dl>`,
    effectStrip(verdict),
    `<p class="falsify-verdict__reason">${escape(verdict.reason)}</p>`,
    `</article>`,
  ].join("");
}

/** Styles for the card; colours come from the editor theme's chart palette. */
export const VERDICT_CSS = `
.falsify-verdict { border: 1px solid var(--vscode-panel-border, #8886); border-left: 6px solid var(--falsify-verdict-colour); border-radius: 4px; padding: 8px 12px; font-family: var(--vscode-font-family, sans-serif); color: var(--vscode-editor-foreground, inherit); max-width: 44em; }
.falsify-verdict--supported { --falsify-verdict-colour: var(--vscode-charts-green, #388a34); }
.falsify-verdict--falsified { --falsify-verdict-colour: var(--vscode-charts-red, #e51400); }
.falsify-verdict--inconclusive { --falsify-verdict-colour: var(--vscode-charts-yellow, #bf8803); }
.falsify-verdict header { font-size: 1.1em; }
.falsify-verdict__label { font-weight: 600; }
.falsify-verdict__label::before { content: "· "; opacity: 0.6; }
.falsify-verdict__word { color: var(--falsify-verdict-colour); text-transform: uppercase; letter-spacing: 0.05em; }
.falsify-verdict dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
.falsify-verdict dt { font-weight: 600; }
.falsify-verdict dd { margin: 0; }
.falsify-verdict svg { display: block; margin: 4px 0; }
.falsify-verdict .strip-ci { stroke: var(--falsify-verdict-colour); stroke-width: 4; }
.falsify-verdict .strip-estimate { fill: var(--falsify-verdict-colour); }
.falsify-verdict .strip-threshold { stroke: currentColor; stroke-dasharray: 3 2; }
.falsify-verdict .strip-zero { stroke: currentColor; opacity: 0.4; }
.falsify-verdict text { fill: currentColor; font-size: 10px; }
`;

/** The interval, the estimate, zero and the threshold on one axis. */
function effectStrip(verdict: Verdict): string {
  const { estimate, ci, threshold } = verdict.effect;
  const points = [ci[0], ci[1], estimate, 0, ...(threshold === undefined ? [] : [threshold])].filter(Number.isFinite);
  const low = Math.min(...points);
  const high = Math.max(...points);
  const span = high - low || 1;
  // Side margins leave room for the threshold's label when it sits at an end.
  const width = 360;
  const margin = 50;
  const x = (value: number) => (margin + ((value - low) / span) * (width - 2 * margin)).toFixed(1);
  return [
    `<svg width="${width}" height="34" aria-hidden="true" class="falsify-verdict__strip" data-relation="${escape(thresholdRelation(verdict))}">`,
    `<line class="strip-zero" x1="${x(0)}" x2="${x(0)}" y1="4" y2="22"/>`,
    threshold === undefined ? "" : `<line class="strip-threshold" x1="${x(threshold)}" x2="${x(threshold)}" y1="2" y2="24"/><text x="${x(threshold)}" y="33" text-anchor="middle">threshold ${escape(formatNumber(threshold))}</text>`,
    `<line class="strip-ci" x1="${x(ci[0])}" x2="${x(ci[1])}" y1="13" y2="13"/>`,
    `<circle class="strip-estimate" cx="${x(estimate)}" cy="13" r="5"/>`,
    `</svg>`,
  ].join("");
}

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
