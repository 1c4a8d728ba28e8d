// The CLI's cold start, as whole processes (what a user or a CI job waits for), built for production
// the way the package ships it: `falsify --help` and `falsify lint` on one notebook against
// `node -e 0`, and `falsify run` on a one-cell notebook against `jupyter execute` on the equivalent
// one-cell .ipynb (nbclient + ipykernel from the project's Python), measured side by side.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { projectPython } from "../python";
import type { Benchmark, Measurement } from "./harness";

const ROOT = resolve(__dirname, "..", "..");

/** Median wall time of a whole process over `runs` runs (after one warm-up), in ms. */
function processMs(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}, runs = 7): number {
  const once = () => {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { ...options, encoding: "utf8", timeout: 120_000 });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  once();
  const times = Array.from({ length: runs }, once).sort((a, b) => a - b);
  return times[runs >> 1];
}

/** dist/ as `npm run package` builds it (production), into a temp folder beside node_modules' reach. */
function buildCli(scratch: string): string {
  const outdir = join(scratch, "dist");
  const build = spawnSync(process.execPath, ["esbuild.js", "--production", "--only", "cli,kernel,runtime", "--outdir", outdir], { cwd: ROOT, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  return join(outdir, "cli.js");
}

const ONE_CELL = "const answer = 6 * 7;\nanswer";

export const benchmarks: Benchmark[] = [
  {
    id: "cli.startup",
    async run(): Promise<Measurement[]> {
      // Inside the repository, so the kernel finds tfjs-node in its node_modules as an installed falsify does.
      const scratch = mkdtempSync(join(ROOT, ".bench-cli-"));
      try {
        const cli = buildCli(scratch);
        const notebook = join(scratch, "one.falsify");
        writeFileSync(notebook, JSON.stringify({ format: "falsify", version: 1, metadata: { seed: 0 }, cells: [{ id: "a", kind: "code", language: "typescript", source: ONE_CELL, metadata: {}, outputs: [] }] }));
        const ipynb = join(scratch, "one.ipynb");
        const kernelspec = { name: "python3", display_name: "Python 3", language: "python" };
        writeFileSync(ipynb, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec }, cells: [{ cell_type: "code", id: "a", metadata: {}, execution_count: null, outputs: [], source: "answer = 6 * 7\nanswer" }] }));
        const python = projectPython();
        const env = { ...process.env, FALSIFY_BACKEND: "", PATH: `${dirname(python)}:${process.env.PATH}` };
        const node = (args: string[], runs?: number) => processMs(process.execPath, args, { cwd: scratch, env }, runs);
        const nodeBare = node(["-e", "0"]);
        const note = "whole processes, medians of 7 after a warm-up, production bundles; the machine is shared";
        return [
          { subject: { name: "falsify --help", value: node([cli, "--help"]), unit: "ms" }, baseline: { name: "node -e 0", value: nodeBare, unit: "ms" }, target: "≤ 1.5x", note },
          {
            subject: { name: "falsify lint, one notebook (04-linter-tour)", value: node([cli, "lint", join(ROOT, "examples", "04-linter-tour.falsify")]), unit: "ms" },
            baseline: { name: "node -e 0", value: nodeBare, unit: "ms" },
            note: `${note}; lint needs TypeScript to read the cells`,
          },
          {
            subject: { name: "falsify run, one-cell notebook", value: node([cli, "run", notebook], 5), unit: "ms" },
            baseline: { name: "jupyter execute, the same cell as .ipynb", value: processMs(join(dirname(python), "jupyter"), ["execute", ipynb], { cwd: scratch, env }, 5), unit: "ms" },
            target: "≤ 1.0x",
            note: "whole processes, medians of 5 after a warm-up; falsify on tfjs-node; the machine is shared",
          },
        ];
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
  },
];
