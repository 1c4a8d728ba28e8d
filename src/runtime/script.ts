// The runtime of an exported script (`import { startScript } from "falsify/script"`): the same
// globals a kernel cell has (src/core/cell/environment.ts), seeded the same way, recording
// results through the same run record, plus the command line of a batch job (SCRIPT_COMMAND:
// --seed N, --shard i/n, --out results.json, --svg-dir dir, --allow-chart-files, --help).
import { writeFileAtomic } from "../core/atomic-write";
import { createRequire } from "node:module";
import { basename, join, resolve } from "node:path";
import { loadTensorFlow, type Tf } from "../core/backend";
import { defineCommand, parseCommandLine, usageLine } from "../core/command-line";
import { installCellGlobals, seedCellRandomness, type CellGlobals, type Display } from "../core/cell/environment";
import type { Hypothesis } from "../core/hypothesis";
import { MIME } from "../core/display";
import { versionWarning, type RanWith } from "../core/export/pinned";
import { parseShard, type Metric, type Shard } from "../core/export/results";
import { FALSIFY_VERSION } from "../core/export/version";
import { mimeBundle } from "../core/kernel/mime-bundle";
import * as runtime from "./index";
import { chartLines, currentRun, metricLine, resultLines, type RunRecord } from "./run-record";
import { scriptFolders } from "./script-folders";

export interface ScriptConfig {
  /** Base name of the source notebook. */
  notebook: string;
  /** The notebook's folder, relative to the script's: the script runs there, as the kernel does. */
  notebookDir?: string;
  seed: number;
  /** The exported cells, in order (for the log line). */
  cells: string[];
  /** The hypothesis cells the script tests, as data. */
  hypotheses: { cell: string; hypothesis: Hypothesis }[];
  /** The versions the notebook's outputs were recorded with, when the script checks them at start (`--dir`). */
  ranWith?: RanWith;
}

export interface ScriptOptions {
  seed?: number;
  shard?: Shard;
  out?: string;
  svgDir?: string;
  allowChartFiles?: boolean;
}

/** The cell globals (the generated script binds those its cells use), and the run. */
export interface ScriptRun extends CellGlobals<typeof runtime> {
  run: RunRecord;
  options: ScriptOptions;
  /** Prints the verdicts and metrics, writes --out and the charts; call it after the last cell. */
  finish(): Promise<void>;
}

/** The command line of an exported script, read as every `falsify` command reads its own. */
export const SCRIPT_COMMAND = defineCommand({
  name: "node <script>",
  operands: "",
  summary: "Run the exported cells as the notebook's kernel would, and print the verdicts and recorded metrics.",
  maxOperands: 0,
  options: {
    seed: { type: "string", value: "N", description: "run with another seed than the notebook's (a sweep over seeds)" },
    shard: { type: "string", value: "i/n", description: "this job's slice of the work (0-based): shardOf(items) returns it" },
    out: { type: "string", value: "results.json", description: "write the results JSON (compare it, or combine with falsify merge)" },
    "svg-dir": { type: "string", value: "dir", description: "write every chart the run displays as an SVG file" },
    "allow-chart-files": { type: "boolean", description: "charts may read data files inside the notebook's folder" },
  },
});

/** Reads the script's command line: its options, its `--help` text, or what is wrong with it. */
export function parseScriptArgs(argv: readonly string[], name = SCRIPT_COMMAND.name): ScriptOptions | { kind: "help" | "usage"; message: string } {
  const parsed = parseCommandLine({ ...SCRIPT_COMMAND, name }, argv);
  if (parsed.kind === "help") return { kind: "help", message: parsed.text };
  if (parsed.kind === "error") return { kind: "usage", message: `${name}: ${parsed.message}` };
  const { seed, shard, out, "svg-dir": svgDir, "allow-chart-files": allowChartFiles } = parsed.values;
  const options: ScriptOptions = { out, svgDir, allowChartFiles };
  if (seed !== undefined) {
    if (!seed.trim() || !Number.isFinite(Number(seed))) return { kind: "usage", message: `${name}: --seed takes a number (got ${seed})\n${usageLine(SCRIPT_COMMAND)}` };
    options.seed = Number(seed);
  }
  if (shard !== undefined) {
    const parsedShard = parseShard(shard);
    if (typeof parsedShard === "string") return { kind: "usage", message: `${name}: ${parsedShard}\n${usageLine(SCRIPT_COMMAND)}` };
    options.shard = parsedShard;
  }
  return options;
}

/** Loads tfjs, seeds, installs the cell globals and starts the run record. */
export async function startScript(config: ScriptConfig, argv: readonly string[] = process.argv.slice(2)): Promise<ScriptRun> {
  const options = parseScriptArgs(argv, `node ${basename(process.argv[1] ?? "script")}`);
  if ("kind" in options) {
    if (options.kind === "help") console.log(options.message);
    else console.error(options.message);
    process.exit(options.kind === "help" ? 0 : 2);
  }
  const { notebookDir, tfjsSearch, note } = scriptFolders(config.notebookDir);
  if (note) console.error(`falsify: ${note}`);
  const loaded = await loadTensorFlow({ searchFrom: tfjsSearch });
  const differs = config.ranWith && versionWarning(config.ranWith, { falsify: FALSIFY_VERSION, tfjs: loaded.tfjsVersion, backend: loaded.backend });
  if (differs) console.error(`falsify: warning: ${differs}`);
  // Paths given on the command line are the caller's; paths in cells are the notebook's.
  if (options.out) options.out = resolve(options.out);
  if (options.svgDir) options.svgDir = resolve(options.svgDir);
  process.chdir(notebookDir);
  const tf = loaded.tf;
  const seed = options.seed ?? config.seed;
  const run = currentRun();
  run.begin({ notebook: config.notebook, seed, shard: options.shard });
  const hypotheses = new Map(config.hypotheses.map(({ hypothesis }) => [hypothesis.id, hypothesis]));
  const isTensor = (value: unknown): value is InstanceType<Tf["Tensor"]> => value instanceof tf.Tensor;

  const display: Display = (value, mime) => {
    if (value === undefined && mime === undefined) return;
    // The kernel's rendering of the value, collected as `falsify run` collects the kernel's outputs.
    const items = mimeBundle(value, mime, isTensor);
    run.observeOutputs([{ items }]);
    const text = items.find((item) => item.mime === MIME.text)?.data;
    if (mime === MIME.metric) console.log(metricLine(value as Metric));
    else console.log(typeof text === "string" ? text : `[${items[0]?.mime ?? mime}]`);
  };

  // verdict("H1", ...) finds the embedded hypotheses, as it finds the kernel's.
  runtime.setHypothesisLookup((id) => hypotheses.get(id));
  const globals = { tf, display, hypotheses, fx: runtime, rng: seedCellRandomness(seed), require: createRequire(join(notebookDir, "<cell>.js")) };
  installCellGlobals(globals);
  const shardText = options.shard ? `, shard ${options.shard.index}/${options.shard.count}` : "";
  console.log(`falsify: ${config.notebook} (${config.cells.length} cells), seed ${seed}${shardText}, tfjs ${loaded.tfjsVersion} on ${loaded.backend} (${loaded.why})`);

  const finish = async () => {
    const results = run.results();
    console.log("");
    const lines = resultLines(results);
    console.log(lines.length ? lines.join("\n") : "no verdicts or metrics recorded");
    if (options.out) {
      await writeFileAtomic(options.out, run.serializedResults());
      console.log(`wrote ${options.out}`);
    }
    if (!options.svgDir) return;
    const charts = chartLines(await run.writeCharts(options.svgDir, options.allowChartFiles ? { filesIn: notebookDir } : {}), options.svgDir);
    for (const line of charts.out) console.log(line);
    for (const line of charts.err) console.error(line);
    if (charts.err.length) process.exitCode = 1;
  };
  return { ...globals, run, options, finish };
}
