// The kernel's latency: a trivial cell from the client's request to its final output, against a
// Jupyter ipykernel round trip of `x = 1 + 1` measured in the same run (ipykernel_roundtrip.py), and
// the per-cell compile time (TypeScript's transpileModule, carried by the .vsix, plus the REPL rewrite)
// against esbuild's native transform, which the build uses but a .vsix cannot carry.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { transform } from "esbuild";
import { compileCell } from "../../src/core/kernel/transpile";
import { projectPython } from "../python";
import { medianMs, type Benchmark } from "./harness";
import { startKernel } from "../unit/kernel/support";

const CELL = `const xs: number[] = Array.from({ length: 10 }, (_, i) => i * 2);
function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
console.log(mean(xs));
mean(xs)`;

function ipykernelMedian(runs: number): number {
  const script = join(__dirname, "ipykernel_roundtrip.py");
  const result = spawnSync(projectPython(), [script, String(runs), "20"], { encoding: "utf8", timeout: 120_000 });
  const line = result.stdout.trim().split("\n").pop();
  if (result.status !== 0 || !line) throw new Error(`ipykernel baseline failed : ${result.stderr}`);
  return (JSON.parse(line) as { median_ms: number }).median_ms;
}

export const benchmarks: Benchmark[] = [
  {
    id: "kernel.roundtrip",
    async run() {
      const kernel = await startKernel();
      try {
        const subject = await medianMs(async () => {
          const result = await kernel.execute({ source: "1 + 1" });
          if (result.status !== "ok") throw new Error(`1 + 1 failed: ${JSON.stringify(result)}`);
        }, 300, 30);
        return {
          subject: { name: "falsify kernel `1 + 1`, request -> done (median)", value: subject, unit: "ms" },
          baseline: { name: "ipykernel `x = 1 + 1`, execute -> reply (median)", value: ipykernelMedian(300), unit: "ms" },
          target: "≤ 2 ms",
          note: `backend ${kernel.info.tensorflow?.backend}`,
        };
      } finally {
        kernel.dispose();
      }
    },
  },
  {
    id: "kernel.transpile",
    async run() {
      const options = { loader: "ts" as const, sourcemap: "external" as const, tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } } };
      const note = "per cell, with source map; the kernel's also includes the REPL rewrite";
      return [
        {
          subject: { name: "kernel compileCell `1 + 1` (transpileModule)", value: await medianMs(() => compileCell("1 + 1"), 300, 100), unit: "ms" },
          baseline: { name: "esbuild (native) transform `1 + 1`", value: await medianMs(() => transform("1 + 1", options), 300, 100), unit: "ms" },
          target: "≤ 2 ms",
          note,
        },
        {
          subject: { name: "kernel compileCell, 6-line cell", value: await medianMs(() => compileCell(CELL), 300, 100), unit: "ms" },
          baseline: { name: "esbuild (native) transform, 6-line cell", value: await medianMs(() => transform(CELL, options), 300, 100), unit: "ms" },
          target: "≤ 2 ms",
          note,
        },
      ];
    },
  },
];
