// What a notebook run and an exported script share so that their results agree byte for byte. ONE
// module, used by the kernel process (`record`), by `falsify run` (which rebuilds results
// from the outputs the kernel sent) and by exported scripts (src/runtime/script.ts):
//
//   record(name, value)       a metric: shown with the environment's `display` as MIME.metric, so it
//                             is an output of the cell in the notebook and a line in a script
//   shardOf(items)            this job's share of a list under `--shard i/n` (all of it elsewhere)
//   RunRecord.observeOutputs  every output, as the kernel's MIME bundles: verdicts and metrics are
//                             collected in display order, charts kept for --svg-dir
//   RunRecord.results()       the results JSON (src/core/export/results.ts); serializedResults()
//                             gives its canonical bytes
//
// `currentRun()` is a process-wide singleton on globalThis under a registered symbol, so separate
// bundles (kernel, runtime, script) that each carry a copy of this code still share one.
import { mkdir } from "node:fs/promises";
import { writeFileAtomic } from "../core/atomic-write";
import { join } from "node:path";
import { chartMeta, isMetric, isVerdict, MIME, type VegaLiteSpec, type Verdict } from "../core/display";
import { DEFAULT_SEED } from "../core/cell/environment";
import type { RenderOptions } from "../core/charts/render-node";
import { canonicalJson, RESULTS_FORMAT, RESULTS_VERSION, serializeResults, shardItems, type Metric, type RunResults, type Shard } from "../core/export/results";
import type { Output } from "../core/format/schema";
import { verdictName } from "../core/charts/verdict";
import { metricText } from "../core/kernel/mime-bundle";

export interface RunStart {
  /** Base name of the notebook file: results name it. */
  notebook: string;
  seed: number;
  shard?: Shard;
}

export class RunRecord {
  notebook = "";
  seed = DEFAULT_SEED;
  shard: Shard | undefined;
  private verdicts: Verdict[] = [];
  private metrics: Metric[] = [];
  /** The charts the run displayed, in order, with the cell that displayed each (written as SVG on request). */
  charts: DisplayedChart[] = [];

  /** Starts collecting a run's results (and forgets earlier ones). */
  begin(start: RunStart): void {
    this.notebook = start.notebook;
    this.seed = start.seed;
    this.shard = start.shard;
    this.verdicts = [];
    this.metrics = [];
    this.charts = [];
  }

  /** Every displayed value goes through here (with its MIME type when the display call named one). */
  observe(value: unknown, mime?: string): void {
    if (mime === MIME.metric && isMetric(value)) this.metrics.push({ name: value.name, value: canonicalJson(value.value) ?? null });
    // As JSON data, like the verdicts a kernel sends (its messages are JSON): a script's verdict and
    // a notebook's then agree to the byte, non-finite numbers included.
    else if ((mime === undefined || mime === MIME.verdict) && isVerdict(value)) this.verdicts.push(canonicalJson(value) as Verdict);
  }

  /**
   * Outputs as the kernel sends them (a script builds the same with the kernel's mimeBundle): each
   * output's first verdict or metric item is a result, its first chart item a chart.
   */
  observeOutputs(outputs: readonly Output[], cellId?: string): void {
    for (const output of outputs) {
      const item = output.items.find((i) => i.mime === MIME.verdict || i.mime === MIME.metric);
      if (item) this.observe(item.data, item.mime);
      const chart = output.items.find((i) => i.mime === MIME.chart || i.mime === MIME.vegaLite);
      if (chart && typeof chart.data === "object" && chart.data !== null) this.charts.push({ spec: chart.data as VegaLiteSpec, cellId });
    }
  }

  /**
   * Writes the displayed charts as `chart-01-<builder>.svg`, ... into `dir`. A chart that cannot be
   * drawn is a failure of that chart only (its number stays unused, so the others keep their names).
   */
  async writeCharts(dir: string, options: RenderOptions = {}): Promise<ChartsWritten> {
    const written: ChartsWritten = { files: [], failed: [] };
    if (!this.charts.length) return written;
    const { renderSvg } = await import("../core/charts/render-node");
    await mkdir(dir, { recursive: true });
    for (const [i, { spec, cellId }] of this.charts.entries()) {
      let svg: string;
      try {
        svg = await renderSvg(spec, options);
      } catch (error) {
        written.failed.push({ chart: i + 1, cellId, message: error instanceof Error ? error.message : String(error) });
        continue;
      }
      const file = join(dir, chartFileName(i, spec));
      await writeFileAtomic(file, svg);
      written.files.push(file);
    }
    return written;
  }

  /** The items of this shard of a list (all of them outside a sharded script run). */
  shardOf<T>(items: readonly T[]): T[] {
    return shardItems(items, this.shard);
  }

  results(): RunResults {
    const results: RunResults = {
      format: RESULTS_FORMAT,
      version: RESULTS_VERSION,
      kind: "run",
      notebook: this.notebook,
      seed: this.seed,
      verdicts: this.verdicts,
      metrics: this.metrics,
    };
    if (this.shard) results.shard = this.shard;
    return results;
  }

  serializedResults(): string {
    return serializeResults(this.results());
  }
}

export interface DisplayedChart {
  spec: VegaLiteSpec;
  /** The cell that displayed it (`falsify run`; scripts do not know their cells). */
  cellId?: string;
}

export interface ChartsWritten {
  files: string[];
  failed: { chart: number; cellId?: string; message: string }[];
}

/**
 * `chart-07-ablation-curves.svg`: the position, then the chart's builder name from its spec as a
 * slug. The spec is notebook data, so its name never reaches the path as it is ("x/../../ESCAPED").
 */
export function chartFileName(index: number, spec: VegaLiteSpec): string {
  const slug = (chartMeta(spec)?.chart ?? "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
  return `chart-${String(index + 1).padStart(2, "0")}-${slug || "vega-lite"}.svg`;
}

/** How a run and a script report the charts they wrote and those that failed. */
export function chartLines(written: ChartsWritten, dir: string): { out: string[]; err: string[] } {
  const count = written.files.length;
  return {
    out: count ? [`wrote ${count} chart${count === 1 ? "" : "s"} to ${dir}`] : [],
    err: written.failed.map(({ chart, cellId, message }) => `chart ${chart}${cellId ? ` (cell ${cellId})` : ""} could not be drawn: ${message}`),
  };
}

const KEY = Symbol.for("falsify.run-record");

/** The process's run record (created on first use). */
export function currentRun(): RunRecord {
  const holder = globalThis as unknown as Record<symbol, RunRecord | undefined>;
  return (holder[KEY] ??= new RunRecord());
}

/**
 * Records a metric in the run's results: `record("accuracy", acc)`. Tensors and typed arrays become
 * (nested) arrays. It is displayed, so the notebook shows it and `falsify run` collects it.
 */
export function record(name: string, value: unknown): void {
  if (typeof name !== "string" || !name) throw new TypeError("record(name, value): name must be a non-empty string");
  const display = (globalThis as { display?: (value: unknown, mime?: string) => void }).display;
  if (typeof display !== "function") throw new Error("record() needs a Falsify kernel or an exported script's runtime (no display() here)");
  display({ name, value: canonicalJson(value) ?? null }, MIME.metric);
}

/** The items of this shard (`--shard i/n` of an exported script); all of them in the notebook. */
export function shardOf<T>(items: readonly T[]): T[] {
  return currentRun().shardOf(items);
}

/** How a script and `falsify run` print results: a line per verdict, then a line per metric. */
export function resultLines(results: RunResults): string[] {
  const p = (value: number | null) => (typeof value === "number" ? value.toPrecision(3) : "n/a");
  return [
    ...results.verdicts.map((v) => `verdict ${verdictName(v)}: ${v.verdict} (${v.test}, p = ${p(v.p)}): ${v.reason}`),
    ...results.metrics.map(metricLine),
  ];
}

export function metricLine(metric: Metric): string {
  return `metric ${metricText(metric)}`;
}
