// The three questions asked of every picture (the contract rules, the Falsifiability panel and the
// captions under charts share them): is it linked to a hypothesis, is it baselined, is it quantified?
import type { ChartMeta } from "../display";
import type { CellInfo, HypothesisInfo, NotebookModel } from "./model";
import { templateStatement } from "./placeholders";
import { linkedHypotheses } from "./rule";

export interface CellChecks {
  hypothesis: boolean;
  baseline: boolean;
  quantified: boolean;
}

export function cellChecks(model: NotebookModel, info: CellInfo): CellChecks {
  const hypotheses = linkedHypotheses(model, info);
  return {
    // Linked to a hypothesis the user has written: a template's claim, prediction or null is not one.
    hypothesis: hypotheses.some((h) => templateStatement(h.template).length === 0),
    baseline: info.outputs.charts.some((chart) => chart.baselines.length > 0) || hypotheses.some(isBaselined),
    quantified: info.outputs.charts.some((chart) => chart.statistic) || hypotheses.some(isQuantified),
  };
}

/**
 * "hypothesis H1 ✓ · baseline ✓ · quantified ✗", as the panel and the chart captions write a cell's
 * checks; with a chart's metadata, what it draws is named too ("baseline ✓: random orders").
 */
export function describeChecks(checks: CellChecks, hypotheses: readonly string[] = [], chart?: ChartMeta): string {
  const mark = (ok: boolean) => (ok ? "✓" : "✗");
  const detail = (items: readonly string[]) => (items.length ? `: ${items.join(", ")}` : "");
  return [
    `hypothesis${hypotheses.length ? ` ${hypotheses.join(", ")}` : ""} ${mark(checks.hypothesis)}`,
    `baseline ${mark(checks.baseline)}${detail(chart?.baselines ?? [])}`,
    `quantified ${mark(checks.quantified)}${detail(chart?.statistic ? [chart.statistic] : [])}`,
    ...(chart?.distribution ? ["shown within its distribution"] : []),
  ].join(" · ");
}

/**
 * Cells showing a picture that are linked to readable hypotheses, with those and their checks. A
 * hypothesis cell that does not validate is invalid-hypothesis's finding: what it declares is unknown.
 */
export function* linkedVisuals(model: NotebookModel): Generator<{ info: CellInfo; hypotheses: HypothesisInfo[]; checks: CellChecks }> {
  for (const info of model.cells) {
    if (!info.visual) continue;
    const hypotheses = linkedHypotheses(model, info).filter((h) => h.hypothesis);
    if (hypotheses.length) yield { info, hypotheses, checks: cellChecks(model, info) };
  }
}

/** The hypothesis declares a control and the notebook computes one (or a linked chart shows one). */
export function isBaselined(h: HypothesisInfo): boolean {
  return h.chartBaseline || ((h.hypothesis?.baselines.length ?? 0) > 0 && h.baselineSites.length > 0);
}

/** A test or verdict for the hypothesis is computed (statically) or present in the outputs. */
export function isQuantified(h: HypothesisInfo): boolean {
  return h.testSites.length > 0 || h.verdicts.length > 0 || h.chartStatistic;
}
