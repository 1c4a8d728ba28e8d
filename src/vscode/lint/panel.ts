// The Falsifiability panel: for the active notebook, hypotheses → strength (and what would raise it)
// → linked cells → checks ✓/✗ → the verdict (a hypothesis tested several times: the combined reading
// under its declared correction, then one row per labelled test), plus the pictures no hypothesis
// claims. Clicking a hypothesis or a cell reveals it in the notebook.
import * as vscode from "vscode";
import { verdictName } from "../../core/charts/verdict";
import type { Verdict } from "../../core/display";
import { describeChecks, type CellChecks, type HypothesisSummary } from "../../core/lint";
import type { LintController } from "./controller";
import { NOTEBOOK_TYPE } from "../serializer";

export const PANEL_VIEW = "falsify.falsifiability";
export const REVEAL_CELL = "falsify.revealCell";

type Node =
  | { kind: "hypothesis"; notebook: vscode.NotebookDocument; h: HypothesisSummary }
  | { kind: "strength"; h: HypothesisSummary }
  | { kind: "raise"; text: string }
  | { kind: "cell"; notebook: vscode.NotebookDocument; cellIndex: number; checks: CellChecks; visual: boolean }
  | { kind: "check"; name: string; ok: boolean }
  | { kind: "verdict"; notebook: vscode.NotebookDocument; h: HypothesisSummary }
  | { kind: "test"; verdict: Verdict }
  | { kind: "unlinked"; notebook: vscode.NotebookDocument; cells: number[] };

export class FalsifiabilityPanel implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly controller: LintController) {
    this.subscriptions = [
      controller.onDidLint(() => this.changed.fire(undefined)),
      vscode.window.onDidChangeActiveNotebookEditor(() => this.changed.fire(undefined)),
    ];
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.roots();
    switch (node.kind) {
      case "hypothesis": {
        const { notebook, h } = node;
        const cells = h.linkedCells.map((c): Node => ({ kind: "cell", notebook, cellIndex: c.cellIndex, checks: c.checks, visual: c.visual }));
        return [{ kind: "strength", h }, ...cells, { kind: "verdict", notebook, h }];
      }
      case "strength":
        return node.h.grade.raise.map((text): Node => ({ kind: "raise", text }));
      case "cell":
        return [
          { kind: "check", name: "hypothesis", ok: node.checks.hypothesis },
          { kind: "check", name: "baseline", ok: node.checks.baseline },
          { kind: "check", name: "quantified", ok: node.checks.quantified },
        ];
      case "verdict":
        return node.h.reading.tests.length > 1 ? node.h.reading.tests.map((verdict): Node => ({ kind: "test", verdict })) : [];
      case "unlinked":
        return node.cells.map((cellIndex): Node => ({ kind: "cell", notebook: node.notebook, cellIndex, visual: true, checks: { hypothesis: false, baseline: false, quantified: false } }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    const none = vscode.TreeItemCollapsibleState.None;
    switch (node.kind) {
      case "hypothesis": {
        const item = new vscode.TreeItem(node.h.id, vscode.TreeItemCollapsibleState.Expanded);
        const claim = node.h.claim === undefined ? "(invalid hypothesis)" : node.h.claim || "(the claim is still the template's placeholder)";
        item.description = `${node.h.grade.strength} · ${claim}`;
        item.tooltip = node.h.claim;
        item.iconPath = new vscode.ThemeIcon("beaker");
        item.command = reveal(node.notebook, node.h.cellIndex);
        item.contextValue = "hypothesis";
        return item;
      }
      case "strength": {
        const item = new vscode.TreeItem(`Strength: ${node.h.grade.strength}`, node.h.grade.raise.length ? collapsed : none);
        item.iconPath = new vscode.ThemeIcon(node.h.grade.strength === "strong" ? "pass" : "arrow-up");
        item.tooltip = node.h.grade.raise.length ? `To raise it: ${node.h.grade.raise.join("; ")}` : "Strong: competing explanations are dissociated.";
        return item;
      }
      case "raise": {
        const item = new vscode.TreeItem(node.text, none);
        item.iconPath = new vscode.ThemeIcon("lightbulb");
        return item;
      }
      case "cell": {
        const item = new vscode.TreeItem(`Cell ${node.cellIndex + 1}`, collapsed);
        item.description = node.visual ? describeChecks(node.checks) : "no picture";
        item.iconPath = new vscode.ThemeIcon(node.visual ? "graph" : "code");
        item.command = reveal(node.notebook, node.cellIndex);
        item.contextValue = "cell";
        return item;
      }
      case "check": {
        const item = new vscode.TreeItem(`${node.name} ${node.ok ? "✓" : "✗"}`, none);
        item.iconPath = new vscode.ThemeIcon(node.ok ? "pass" : "error");
        return item;
      }
      case "verdict": {
        const { tests, overall, summary } = node.h.reading;
        if (tests.length > 1) {
          const item = new vscode.TreeItem(`Verdict: ${overall} — ${summary}`, vscode.TreeItemCollapsibleState.Expanded);
          item.iconPath = verdictIcon(overall);
          return item;
        }
        const [v] = tests;
        const item = new vscode.TreeItem(v ? `Verdict: ${v.verdict} (p = ${formatP(v.p)})` : "Verdict: none yet", none);
        item.description = v ? [v.label, v.test].filter(Boolean).join(" · ") : undefined;
        item.tooltip = v?.reason;
        item.iconPath = verdictIcon(v?.verdict);
        return item;
      }
      case "test": {
        const v = node.verdict;
        const item = new vscode.TreeItem(`${verdictName(v)}: ${v.verdict} (p = ${formatP(v.p)})`, none);
        item.description = v.correction ? `${v.test}, ${v.correction.method}-adjusted` : v.test;
        item.tooltip = v.reason;
        item.iconPath = verdictIcon(v.verdict);
        return item;
      }
      case "unlinked": {
        const item = new vscode.TreeItem("Pictures without a hypothesis", vscode.TreeItemCollapsibleState.Expanded);
        item.description = String(node.cells.length);
        item.iconPath = new vscode.ThemeIcon("warning");
        return item;
      }
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }

  private roots(): Node[] {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE) return [];
    const report = this.controller.report(notebook) ?? this.controller.lintNow(notebook);
    if (!report) return [];
    const nodes: Node[] = report.hypotheses.map((h) => ({ kind: "hypothesis", notebook, h }));
    const unlinked = [...new Set(report.diagnostics.filter((d) => d.rule === "visual-without-hypothesis").map((d) => d.cellIndex))];
    if (unlinked.length) nodes.push({ kind: "unlinked", notebook, cells: unlinked });
    return nodes;
  }
}

function reveal(notebook: vscode.NotebookDocument, cellIndex: number): vscode.Command {
  return { command: REVEAL_CELL, title: "Show cell", arguments: [notebook.uri, cellIndex] };
}

function verdictIcon(word: string | undefined): vscode.ThemeIcon {
  return new vscode.ThemeIcon(!word ? "circle-outline" : word === "supported" ? "check" : word === "falsified" ? "close" : "question");
}

/** A verdict read from a file may carry null for a p that was not a number (JSON has no NaN). */
function formatP(p: number | null): string {
  if (typeof p !== "number" || !Number.isFinite(p)) return "n/a";
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}
