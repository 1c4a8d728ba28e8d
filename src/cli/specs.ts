// What every `falsify` command accepts, declared once (core/command-line.ts reads the command line
// and writes --help from these). In a module of their own, which imports nothing heavy, so that
// `falsify --help` and `falsify <cmd> --help` load no command (main.ts loads a command when it runs).
import { defineCommand } from "../core/command-line";

/** A CI job (`CI` set, as every CI service sets it) gets a per-cell limit even when none is given. */
export const CI_TIMEOUT_SECONDS = 30 * 60;

export const VALIDATE = defineCommand({
  name: "falsify validate",
  operands: "<file...>",
  summary: "Check files against the .falsify format. Exit 1 and print file:line:col: message for each invalid file.",
  minOperands: 1,
  options: {},
});

export const FMT = defineCommand({
  name: "falsify fmt",
  operands: "<file...>",
  summary: "Rewrite notebooks in canonical form (never one that does not parse).",
  minOperands: 1,
  options: {
    check: { type: "boolean", description: "write nothing; exit 1 if a file is not canonical" },
    "fix-ids": { type: "boolean", description: "rename unsafe or repeated cell ids" },
  },
});

export const LINT = defineCommand({
  name: "falsify lint",
  operands: "<file...>",
  summary: "Check notebooks against the falsifiability rules (the editor's diagnostics). Exit 1 on an error, or on more warnings than --max-warnings.",
  minOperands: 1,
  options: {
    format: { type: "string", value: "text|json|sarif", choices: ["text", "json", "sarif"], description: "output format (default text)" },
    "max-warnings": { type: "string", value: "N", description: "exit 1 when there are more than N warnings" },
  },
});

export const RUN = defineCommand({
  name: "falsify run",
  operands: "<notebook.falsify>",
  summary:
    "Run every cell in notebook order in the editor's kernel, seeded from the notebook's seed; print each cell's status, a failing cell's mapped stack and the verdicts. Exit 0 when every cell ran, 1 when a cell failed or a verdict tripped --fail-on, 2 on a usage error or an unreadable notebook.",
  minOperands: 1,
  maxOperands: 1,
  options: {
    out: { type: "string", short: "o", value: "results.json", description: "write the results JSON (verdicts and recorded metrics)" },
    "svg-dir": { type: "string", value: "dir", description: "write every displayed chart as an SVG file" },
    "allow-chart-files": { type: "boolean", description: "charts may read data files inside the notebook's folder" },
    write: { type: "boolean", description: "write the outputs back into the notebook, with their provenance" },
    "fail-on": { type: "string", value: "falsified|inconclusive", choices: ["falsified", "inconclusive"], description: "exit 1 on such a verdict (inconclusive also fails on falsified)" },
    timeout: { type: "string", value: "seconds", description: `interrupt, then kill, a cell that runs longer (0: no limit; default none, ${CI_TIMEOUT_SECONDS / 60} minutes when CI is set)` },
    "max-output-chars": { type: "string", value: "N", description: "text output a cell's run keeps (default: the kernel's)" },
    "log-output": { type: "boolean", description: "print each cell's stdout, stderr and displays (as text) as it runs" },
  },
});

export const EXPORT = defineCommand({
  name: "falsify export",
  operands: "<notebook.falsify>",
  summary: "A standalone script of the notebook, or of one cell and the cells it depends on. Without -o the TypeScript script goes to stdout.",
  minOperands: 1,
  maxOperands: 1,
  options: {
    cell: { type: "string", value: "id", description: "export this cell and the cells it depends on" },
    bundle: { type: "boolean", description: "one .mjs that carries its runtime and runs in an empty folder with nothing but node" },
    "with-data": { type: "boolean", description: "copy the models and data files the cells read beside the script (needs -o or --dir)" },
    dir: { type: "string", value: "folder", description: "write a folder: the bundled script, a package.json pinning the versions the notebook ran with, a README" },
    out: { type: "string", short: "o", value: "file.ts|file.mts|file.mjs", description: "write the script here (.mjs/.js: plain JavaScript)" },
  },
});

export const MERGE = defineCommand({
  name: "falsify merge",
  operands: "<results.json...>",
  summary: "One results file from the shards (and, with --sweep, the seeds) of independent jobs. Without -o it prints.",
  minOperands: 1,
  options: {
    out: { type: "string", short: "o", value: "merged.json", description: "write the merged results here" },
    sweep: { type: "boolean", description: "the files may come from runs with different seeds" },
  },
});
