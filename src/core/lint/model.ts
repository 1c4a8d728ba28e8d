// The notebook as the rules see it: every cell read (cached per source hash by the linter), the
// hypotheses by id, which code cells belong to which hypothesis, what each hypothesis has computed
// for it (baselines, tests, corrections, verdicts), and the dependency graph between cells.
import type { Verdict } from "../display";
import type { Cell, Notebook } from "../format";
import { rawHypothesisId, type CellRange, type Hypothesis, type ParsedHypothesis } from "../hypothesis";
import { KERNEL_GLOBAL_ROLES } from "../cell/api-roles";
import { CellGraph } from "../cell/graph";
import type { CallSite, CellReading } from "../cell/reading";
import type { OutputFacts } from "./output-facts";
import { ownWords } from "./placeholders";
import { preregistrationOf, type Preregistration } from "./preregistration";

/** The cached, source-only part of a cell's analysis. */
export type SourceFacts = { kind: "code"; code: CellReading } | { kind: "hypothesis"; parsed: ParsedHypothesis } | { kind: "other" };

export interface CellInfo {
  index: number;
  cell: Cell;
  hash: string;
  facts: SourceFacts;
  outputs: OutputFacts;
  /** Hypothesis ids this cell is linked to, with where the link is written (if in the source). */
  links: Map<string, CellRange | undefined>;
  /** Shows a picture, statically or at run time. */
  visual: boolean;
}

export interface Located<T> {
  cellIndex: number;
  site: T;
}

export interface HypothesisInfo {
  id: string;
  cellIndex: number;
  parsed: ParsedHypothesis;
  /** Present when the cell validates: the user's own words, template placeholders left out (placeholders.ts). */
  hypothesis?: Hypothesis;
  /** Fields still holding template text, e.g. ["claim"], ["baselines", 0, "description"]. */
  template: (string | number)[][];
  linkedCells: number[];
  baselineSites: Located<CallSite>[];
  /** A linked chart carries a baseline layer. */
  chartBaseline: boolean;
  testSites: Located<CallSite>[];
  /** A linked chart shows a statistic. */
  chartStatistic: boolean;
  correctionSites: Located<CallSite>[];
  /** Controls, tests and verdicts for it that are still a template's empty call (nothing computed). */
  placeholderSites: Located<CallSite>[];
  verdicts: Located<Verdict>[];
}

export interface NotebookModel {
  notebook: Notebook;
  cells: CellInfo[];
  /** Valid or not, by id; the first cell wins when two declare the same id. */
  hypotheses: Map<string, HypothesisInfo>;
  preregistration: Preregistration;
  /** Which cells' values each cell reads. */
  graph: CellGraph;
  /** Cells whose values flow (through top-level names) into a test or a verdict. */
  feedsTest: Set<number>;
}

export function buildModel(notebook: Notebook, cells: Omit<CellInfo, "links" | "visual">[]): NotebookModel {
  const hypotheses = new Map<string, HypothesisInfo>();
  for (const info of cells) {
    if (info.facts.kind !== "hypothesis") continue;
    const id = rawHypothesisId(info.facts.parsed);
    if (id === undefined || hypotheses.has(id)) continue;
    const own = info.facts.parsed.hypothesis && ownWords(info.facts.parsed.hypothesis);
    hypotheses.set(id, {
      id,
      cellIndex: info.index,
      parsed: info.facts.parsed,
      hypothesis: own?.hypothesis,
      template: own?.template ?? [],
      linkedCells: [],
      baselineSites: [],
      chartBaseline: false,
      testSites: [],
      chartStatistic: false,
      correctionSites: [],
      placeholderSites: [],
      verdicts: [],
    });
  }
  const linked = cells.map((info) => link(info, hypotheses));
  for (const info of linked) collect(info, hypotheses);
  const graph = new CellGraph(linked.map((info) => (info.facts.kind === "code" ? info.facts.code : undefined)));
  const tested = linked.filter((c) => (c.facts.kind === "code" && c.facts.code.tests.some((site) => !site.placeholder)) || c.outputs.verdicts.length > 0);
  return {
    notebook,
    cells: linked,
    hypotheses,
    preregistration: preregistrationOf(notebook.metadata),
    graph,
    feedsTest: graph.upstreamOf(tested.map((c) => c.index)),
  };
}

function link(info: Omit<CellInfo, "links" | "visual">, hypotheses: Map<string, HypothesisInfo>): CellInfo {
  const links = new Map<string, CellRange | undefined>();
  const code = info.facts.kind === "code" ? info.facts.code : undefined;
  for (const { id, range } of code?.links ?? []) if (!links.has(id)) links.set(id, range);
  const fromMetadata = info.cell.metadata?.hypothesis;
  for (const id of Array.isArray(fromMetadata) ? fromMetadata : [fromMetadata]) {
    if (typeof id === "string" && id && !links.has(id)) links.set(id, undefined);
  }
  // A runtime call or an output naming a declared hypothesis links too (undeclared names may be
  // ordinary strings, so only comments and metadata can link to a missing hypothesis).
  const named = [
    ...(code ? [...code.visuals, ...code.baselines, ...code.tests, ...code.corrections, ...code.mentions, ...code.distributions] : []).map((s) => siteHypothesis(s, hypotheses)),
    ...info.outputs.charts.map((c) => c.hypothesis),
    ...info.outputs.verdicts.map((v) => v.hypothesis),
  ];
  for (const id of named) if (id !== undefined && hypotheses.has(id) && !links.has(id)) links.set(id, undefined);
  return { ...info, links, visual: showsVisual(info) };
}

/**
 * Statically a cell shows a picture when it calls a drawing API; but `display(x)` may show a number
 * or a verdict. Once the cell has run, its outputs settle what a bare `display` showed.
 */
function showsVisual(info: Omit<CellInfo, "links" | "visual">): boolean {
  if (info.outputs.visual) return true;
  const visuals = info.facts.kind === "code" ? info.facts.code.visuals : [];
  const ran = (info.cell.outputs?.length ?? 0) > 0;
  return visuals.some((site) => !(ran && isKernelDisplay(site.name)));
}

/** The hypothesis a call names: its `hypothesis:` property, else a string argument that is a declared id. */
export function siteHypothesis(site: CallSite, hypotheses: Map<string, unknown>): string | undefined {
  return site.hypothesis ?? site.strings?.find((s) => hypotheses.has(s));
}

function collect(info: CellInfo, hypotheses: Map<string, HypothesisInfo>): void {
  for (const id of info.links.keys()) hypotheses.get(id)?.linkedCells.push(info.index);
  const code = info.facts.kind === "code" ? info.facts.code : undefined;
  const linkedIds = [...info.links.keys()];
  // A call naming a hypothesis counts for it; an anonymous one counts for the cell's hypotheses.
  const forId = (id: string | undefined) => (id !== undefined ? [id] : linkedIds);
  const add = (sites: CallSite[] | undefined, pick: (h: HypothesisInfo) => Located<CallSite>[]) => {
    for (const site of sites ?? []) for (const id of forId(siteHypothesis(site, hypotheses))) {
      const h = hypotheses.get(id);
      if (h) (site.placeholder ? h.placeholderSites : pick(h)).push({ cellIndex: info.index, site });
    }
  };
  add(code?.baselines, (h) => h.baselineSites);
  add(code?.tests, (h) => h.testSites);
  add(code?.corrections, (h) => h.correctionSites);
  for (const chart of info.outputs.charts) {
    for (const id of forId(chart.hypothesis)) {
      const h = hypotheses.get(id);
      if (!h) continue;
      if (chart.baselines.length) h.chartBaseline = true;
      if (chart.statistic) h.chartStatistic = true;
    }
  }
  for (const verdict of info.outputs.verdicts) hypotheses.get(verdict.hypothesis)?.verdicts.push({ cellIndex: info.index, site: verdict });
}

function isKernelDisplay(name: string): boolean {
  return Object.hasOwn(KERNEL_GLOBAL_ROLES, name);
}
