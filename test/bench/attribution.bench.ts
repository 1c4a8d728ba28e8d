// Integrated Gradients (50 steps) and DeepLift for 100 test digits on the example CNN, each against the
// same computation in TensorFlow Python (tf.function + GradientTape, batched) in a child process on the
// same machine. Runs alternate between the two (TS, Python, TS, …) so a change in machine load hits
// both medians alike. Target for IG: ≤ 1.2x TensorFlow's time.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import * as tf from "@tensorflow/tfjs";
import { loadTensorFlow } from "../../src/core/backend";
import { loadDigits, loadModel, type LoadedModel } from "../../src/core/data";
import { deepLift, integratedGradients } from "../../src/core/interp/attribution";
import { projectPython } from "../python";
import { medianMs, type Benchmark } from "./harness";

const MODEL = "examples/digits/models/cnn/model.json";
const RUNS = 15;

/** A TensorFlow Python process (`script` beside this file) that runs the baseline once per request and answers with its time. */
async function pythonBaseline(script: string, inputs: string): Promise<{ tensorflow: string; run(): Promise<number>; close(): void }> {
  const child = spawn(projectPython(), [join(__dirname, script), MODEL, inputs], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "3" }, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`TensorFlow baseline exited: ${stderr.slice(-2000)}`);
    return JSON.parse(line.value) as { ready?: boolean; tensorflow?: string; ms?: number };
  };
  const ready = await next();
  return {
    tensorflow: ready.tensorflow ?? "?",
    async run() {
      child.stdin.write("run\n");
      return (await next()).ms!;
    },
    close: () => child.stdin.end(),
  };
}

export const benchmarks: Benchmark[] = [
  {
    id: "attribution.ig-50x100",
    async run() {
      const { backend } = await loadTensorFlow();
      const { ours, theirs, tensorflow } = await againstPython("attribution_bench.py", (cnn, x) => integratedGradients(cnn, x, { steps: 50 }));
      return {
        subject: { name: `integratedGradients (tfjs ${backend})`, value: ours, unit: "ms" },
        baseline: { name: `TensorFlow ${tensorflow} Python (tf.function)`, value: theirs, unit: "ms" },
        target: "≤ 1.2x",
        note: `100 digits × 50 Gauss–Legendre steps (ours in the default batches, TF one batch of 5,000), ${RUNS} interleaved runs; backend ${backend}`,
      };
    },
  },
  {
    id: "attribution.deeplift-100",
    async run() {
      const { backend } = await loadTensorFlow();
      const { ours, theirs, tensorflow } = await againstPython("deeplift_bench.py", (cnn, x) => deepLift(cnn, x));
      return {
        subject: { name: `deepLift (tfjs ${backend})`, value: ours, unit: "ms" },
        baseline: { name: `TensorFlow ${tensorflow} Python (tf.function, custom-gradient rules)`, value: theirs, unit: "ms" },
        note: `100 digits, zero baseline, rescale rule (ours: input and baseline as one batch, op by op; TF: the baseline's pass, then the input's), ${RUNS} interleaved runs; backend ${backend}`,
      };
    },
  },
];

/** Ours and TensorFlow Python's median times, their runs interleaved, on the first 100 test digits. */
async function againstPython(script: string, ours: (cnn: LoadedModel, x: tf.Tensor) => Promise<unknown>) {
  const cnn = await loadModel(MODEL);
  const digits = loadDigits();
  const x = digits.test.images.slice(0, 100);
  const inputs = join(mkdtempSync(join(tmpdir(), "attribution-bench-")), "inputs.json");
  writeFileSync(inputs, JSON.stringify(Array.from(await x.data())));
  const python = await pythonBaseline(script, inputs);
  const [mine, theirs]: number[][] = [[], []];
  try {
    await medianMs(() => ours(cnn, x), 0, 3);
    for (let i = 0; i < RUNS; i++) {
      mine.push(await medianMs(() => ours(cnn, x), 1, 0));
      theirs.push(await python.run());
    }
  } finally {
    python.close();
    tf.dispose([x]);
    digits.dispose();
  }
  return { ours: median(mine), theirs: median(theirs), tensorflow: python.tensorflow };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
