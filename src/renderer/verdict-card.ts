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
.falsify-verdict .strip-zero { stroke: currentColor; opacity: 0.6; }
.falsify-verdict .strip-axis, .falsify-verdict .strip-tick { stroke: currentColor; opacity: 0.6; }
.falsify-verdict text { fill: currentColor; font-size: 10px; }
`;

/**
 * The interval, the estimate, zero and the threshold over a labelled axis (its two ends and 0). A CI
 * end that is not a number (a one-sided test's open end, written as null in JSON) runs to the edge.
 */
function effectStrip(verdict: Verdict): string {
  const { estimate, ci, threshold } = verdict.effect;
  const finite = (value: number | null | undefined): value is number => typeof value === "number" && Number.isFinite(value);
  const points = [ci[0], ci[1], estimate, 0, threshold].filter(finite);
  const low = Math.min(...points);
  const high = Math.max(...points);
  const span = high - low || 1;
  // Side margins leave room for the labels of the axis ends and of a threshold at an end.
  const width = 360;
  const margin = 50;
  const position = (value: number) => margin + ((value - low) / span) * (width - 2 * margin);
  const x = (value: number) => position(value).toFixed(1);
  const [from, to] = [finite(ci[0]) ? ci[0] : low, finite(ci[1]) ? ci[1] : high];
  // Tick labels: zero first (the line readers look for), then the ends, none closer than a label's width.
  const ticks: number[] = [];
  for (const value of [0, low, high]) if (ticks.every((kept) => Math.abs(position(kept) - position(value)) >= 36)) ticks.push(value);
  return [
    `<svg width="${width}" height="${finite(threshold) ? 52 : 42}" aria-hidden="true" class="falsify-verdict__strip" data-relation="${escape(thresholdRelation(verdict))}">`,
    `<line class="strip-axis" x1="${x(low)}" x2="${x(high)}" y1="28" y2="28"/>`,
    ...ticks.map((value) => `<line class="strip-tick" x1="${x(value)}" x2="${x(value)}" y1="28" y2="32"/><text class="strip-tick-label" x="${x(value)}" y="41" text-anchor="middle">${escape(formatNumber(value))}</text>`),
    `<line class="strip-zero" x1="${x(0)}" x2="${x(0)}" y1="2" y2="28"/>`,
    finite(threshold) ? `<line class="strip-threshold" x1="${x(threshold)}" x2="${x(threshold)}" y1="2" y2="28"/><text x="${x(threshold)}" y="51" text-anchor="middle">threshold ${escape(formatNumber(threshold))}</text>` : "",
    `<line class="strip-ci" x1="${x(from)}" x2="${x(to)}" y1="14" y2="14"/>`,
    finite(estimate) ? `<circle class="strip-estimate" cx="${x(estimate)}" cy="14" r="5"/>` : "",
    `</svg>`,
  ].join("");
}

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
