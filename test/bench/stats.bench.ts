// A 10,000-resample permutation test on 1,000 paired values (and on two samples of 1,000), against
// scipy.stats.permutation_test on the same data in a Python child process that times only the test
// call, in the project's Python (npm run setup:python, made on first use).
import { spawnSync } from "node:child_process";
import { createRng, pairedPermutationTest, permutationTest } from "../../src/core/stats";
import { projectPython } from "../python";
import { medianMs, type Benchmark, type Measurement } from "./harness";

const N = 1_000;
const RESAMPLES = 10_000;

const PYTHON = String.raw`
import json, sys, time
import numpy as np
from scipy import stats
d = json.load(sys.stdin)
x, y, runs = np.array(d["x"]), np.array(d["y"]), d["runs"]
if d["paired"]:
    args = dict(permutation_type="samples")
    stat = lambda a, b, axis: np.mean(a - b, axis=axis)
else:
    args = dict(permutation_type="independent")
    stat = lambda a, b, axis: np.mean(a, axis=axis) - np.mean(b, axis=axis)
times = []
for i in range(runs + 1):
    t0 = time.perf_counter()
    stats.permutation_test((x, y), stat, vectorized=True, n_resamples=d["resamples"], alternative="greater", rng=np.random.default_rng(i), **args)
    times.append((time.perf_counter() - t0) * 1000)
times = sorted(times[1:])
print(json.dumps({"ms": times[len(times) // 2]}))
`;

function scipyMs(x: number[], y: number[], paired: boolean): number {
  const run = spawnSync(projectPython(), ["-c", PYTHON], { input: JSON.stringify({ x, y, paired, runs: 5, resamples: RESAMPLES }), encoding: "utf8", maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`scipy baseline failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { ms: number }).ms;
}

function data(): { x: number[]; y: number[] } {
  const rng = createRng(2026);
  const x = Array.from({ length: N }, () => rng.normal() + 0.05);
  const y = Array.from({ length: N }, () => rng.normal());
  return { x, y };
}

async function compare(paired: boolean): Promise<Measurement[]> {
  const { x, y } = data();
  const test = paired ? pairedPermutationTest : permutationTest;
  let seed = 0;
  const ours = await medianMs(() => test(x, y, { alternative: "greater", nResamples: RESAMPLES, seed: seed++ }), 15, 3);
  const baseline = scipyMs(x, y, paired);
  return [
    {
      subject: { name: `${test.name} (falsify)`, value: ours, unit: "ms" },
      baseline: { name: "scipy.stats.permutation_test", value: baseline, unit: "ms" },
      target: "report",
      note: `${N} ${paired ? "pairs" : "+ 1,000 values"}, ${RESAMPLES.toLocaleString("en")} resamples, median`,
    },
  ];
}

export const benchmarks: Benchmark[] = [
  { id: "stats.permutation.paired", run: () => compare(true) },
  { id: "stats.permutation.two-sample", run: () => compare(false) },
];
