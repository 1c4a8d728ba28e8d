// Representation similarity at the sizes users compare: mean CCA, SVCCA and PWCCA against linear CKA
// on the same inputs (the measure they sit next to in the CKA chart), and against numpy running the
// reference formulation of test/reference/interp/generate_cca.py in a child process (timing only the
// computation). Sizes: the digits MLP's hidden layers (450 × 64) and a MobileNet-scale layer after
// spatial averaging (2,000 examples × 512 channels).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadTensorFlow } from "../../src/core/backend";
import { cca, linearCka } from "../../src/core/interp";
import { createRng } from "../../src/core/stats";
import { medianMs, type Benchmark, type Measurement } from "./harness";

const SIZES = [
  { n: 450, p: 64, runs: 10, warmup: 1 },
  { n: 2000, p: 512, runs: 1, warmup: 0 },
];

/** The project's Python (`npm run setup:python`), else the system's. */
function python(): string {
  const venv = join(__dirname, "../../.cache/python/bin/python");
  return existsSync(venv) ? venv : "python3";
}

const NUMPY = String.raw`
import json, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np
from generate_cca import canonical, svcca, pwcca
d = json.load(sys.stdin)
x, y = np.array(d["x"]), np.array(d["y"])
out = {}
for name, fn in [("mean", lambda: canonical(x, y).mean()), ("svcca", lambda: svcca(x, y, 0.99)), ("pwcca", lambda: pwcca(x, y))]:
    times = []
    for _ in range(d["warmup"]):
        fn()
    for _ in range(d["runs"]):
        t0 = time.perf_counter(); fn(); times.append((time.perf_counter() - t0) * 1000)
    out[name] = sorted(times)[len(times) // 2]
print(json.dumps(out))
`;

/** Two related layers: y a noisy rectified map of x, both with a decaying spectrum like real activations. */
function layers(n: number, p: number): { x: number[][]; y: number[][] } {
  const rng = createRng(13);
  const normals = (count: number, scale = 1) => Float32Array.from({ length: count }, () => scale * rng.normal());
  return tf.tidy(() => {
    const spectrum = tf.tensor1d(Float32Array.from({ length: p }, (_, j) => 1 / (1 + j / 8)));
    const x = tf.mul(tf.tensor2d(normals(n * p), [n, p]), spectrum);
    const y = tf.add(tf.relu(tf.matMul(x, tf.tensor2d(normals(p * p, 1 / Math.sqrt(p)), [p, p]))), tf.tensor2d(normals(n * p, 0.1), [n, p]));
    return { x: x.arraySync() as number[][], y: y.arraySync() as number[][] };
  });
}

function numpyMs(x: number[][], y: number[][], runs: number, warmup: number): Record<string, number> | string {
  const run = spawnSync(python(), ["-c", NUMPY, join(__dirname, "../reference/interp")], { input: JSON.stringify({ x, y, runs, warmup }), encoding: "utf8", maxBuffer: 1 << 20 });
  if (run.error || run.status !== 0) return `numpy baseline unavailable (${python()}: ${run.error?.message ?? run.stderr.split("\n").filter(Boolean).pop()}); run npm run setup:python`;
  return JSON.parse(run.stdout) as Record<string, number>;
}

export const benchmarks: Benchmark[] = SIZES.map(({ n, p, runs, warmup }) => ({
  id: `representations.cca-${n}x${p}`,
  async run(): Promise<Measurement[]> {
    const { backend } = await loadTensorFlow();
    const { x, y } = layers(n, p);
    const note = `${n} examples × ${p} features, both sides; CKA's Gram products on tfjs ${backend}; median of ${runs}`;
    const ckaMs = await medianMs(() => linearCka(x, y), runs, warmup);
    const numpy = numpyMs(x, y, runs, warmup);
    if (typeof numpy === "string") process.stderr.write(`representations: ${numpy}\n`);
    const rows: Measurement[] = [];
    for (const method of ["mean", "svcca", "pwcca"] as const) {
      const ms = await medianMs(() => cca(x, y, { method }), runs, warmup);
      const subject = { name: `${method === "mean" ? "mean CCA" : method} (falsify)`, value: ms, unit: "ms" as const };
      rows.push({ subject, baseline: { name: "linearCka, same inputs", value: ckaMs, unit: "ms" }, note });
      if (typeof numpy !== "string") rows.push({ subject, baseline: { name: "numpy (LAPACK), same formulation as the reference", value: numpy[method], unit: "ms" }, note });
    }
    return rows;
  },
}));
