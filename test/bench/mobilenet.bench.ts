// Attribution at ImageNet scale: nsfwjs' pretrained MobileNetV2 (224x224x3) against the same
// computation in TensorFlow Python (tf.function, float32, the model rebuilt in Keras with the same
// weights), time and peak RSS, each case on each side alone in its own process. Targets (issue 13):
// IG 50 steps ≤ 1.5x TensorFlow's wall time, peak RSS ≤ 2 GB for 1 image and for 8. Rows:
// `FALSIFY_BENCH_CASES=ig-1,cascade-8 npm run bench attribution.mobilenet`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectPython } from "../python";
import type { Benchmark, Measurement } from "./harness";

const CASES: { id: string; what: string; target?: string }[] = [
  { id: "ig-1", what: "IG 50 steps, 1 image", target: "≤ 1.5x, RSS ≤ 2 GB" },
  { id: "ig-8", what: "IG 50 steps, 8 images", target: "≤ 1.5x, RSS ≤ 2 GB" },
  { id: "gradient-8", what: "gradient, 8 images" },
  { id: "smoothgrad-1", what: "SmoothGrad 50 samples, 1 image" },
  // sanityCheck's first cascading step: the head re-initialised, then the gradient of the 8 images.
  { id: "cascade-8", what: "one cascading randomisation step (head) + gradient, 8 images" },
];

interface Run {
  ms: number;
  rssMb: number;
  backend?: string;
  tensorflow?: string;
}

function runJson(command: string, args: string[]): Run {
  const out = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "3" }, maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${out.stderr.slice(-2000)}`);
  return JSON.parse(out.stdout.trim().split("\n").pop()!) as Run;
}

export const benchmarks: Benchmark[] = [
  {
    id: "attribution.mobilenet",
    async run() {
      const python = projectPython();
      const folder = mkdtempSync(join(tmpdir(), "mobilenet-bench-"));
      try {
        const dumped = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "..", "reference", "interp", "dump_nsfw_mobilenet.ts"), folder], { encoding: "utf8" });
        if (dumped.status !== 0) throw new Error(`dumping the model failed: ${dumped.stderr.slice(-2000)}`);
        const filter = process.env.FALSIFY_BENCH_CASES?.split(",");
        return CASES.filter((c) => !filter || filter.includes(c.id)).flatMap((c): Measurement[] => {
          const ours = runJson(process.execPath, ["--import", "tsx", join(__dirname, "mobilenet-run.ts"), c.id]);
          const theirs = runJson(python, [join(__dirname, "mobilenet_bench.py"), folder, c.id]);
          const note = `${c.what}, 224x224; ours on tfjs ${ours.backend}; second run of each process, 2 cores shared`;
          return [
            { subject: { name: `${c.what} (falsify)`, value: ours.ms, unit: "ms" }, baseline: { name: `TensorFlow ${theirs.tensorflow} Python (tf.function)`, value: theirs.ms, unit: "ms" }, target: c.target, note },
            { subject: { name: `${c.what}: peak RSS (falsify)`, value: ours.rssMb, unit: "MB" }, baseline: { name: "TensorFlow Python peak RSS", value: theirs.rssMb, unit: "MB" }, target: c.target ? "≤ 2048 MB" : undefined, note },
          ];
        });
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  },
];
