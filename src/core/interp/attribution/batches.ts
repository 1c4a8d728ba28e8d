// How a batched method splits its work to fit in memory. A method evaluates the model on `rows`
// per example (IG: one per step; SmoothGrad: one per noisy sample; a gradient: one) and a gradient
// pass holds every activation of its rows at once, so the rows of one pass are bounded by a memory
// budget: a chunk is several whole examples when they fit, else one example's rows in slices (IG's
// steps, SmoothGrad's samples), summed. Results do not depend on the split.
import * as tf from "@tensorflow/tfjs";
import { withTask } from "../../progress";
import { InterpError } from "../activations";
import type { ScoredModel } from "./scores";

/** The default activation memory one pass may hold: 1 GiB (the "1 GB of activations"). */
export const DEFAULT_MEMORY_BUDGET = 2 ** 30;

/**
 * Rows per pass when the model's activation size is unknown (a score function): as many as fit 2^19
 * input elements (8,192 rows of an 8x8 digit, 3 of a 224x224x3 image).
 */
const INPUT_ELEMENTS_PER_PASS = 2 ** 19;

export interface BatchOptions {
  /** Model evaluations (rows) per pass; overrides `memoryBudget`. */
  batchSize?: number;
  /** Bytes of activations one pass may hold (estimated from the model's layer sizes). Default 1 GiB. */
  memoryBudget?: number;
}

/** A pass: examples [start, start + size), and of each example its rows [from, to). */
export interface Chunk {
  start: number;
  size: number;
  from: number;
  to: number;
}

/** Rows one pass may hold for `model` on inputs of `exampleShape`. */
export function rowsPerPass(model: ScoredModel, exampleShape: readonly number[], options: BatchOptions): number {
  if (options.batchSize !== undefined) {
    if (!(Number.isInteger(options.batchSize) && options.batchSize > 0)) throw new InterpError("invalid-input", `batchSize must be a positive integer, got ${options.batchSize}`);
    return options.batchSize;
  }
  const budget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
  if (!(budget > 0)) throw new InterpError("invalid-input", `memoryBudget must be a positive number of bytes, got ${options.memoryBudget}`);
  const perRow = model.rowBytes?.();
  if (perRow) return Math.max(1, Math.floor(budget / perRow));
  const inputElements = exampleShape.reduce((a, b) => a * b, 1);
  return Math.max(1, Math.floor(INPUT_ELEMENTS_PER_PASS / inputElements));
}

/** The passes over `examples` examples of `rows` rows each, at most `perPass` rows a pass. */
export function chunks(examples: number, rows: number, perPass: number): Chunk[] {
  const out: Chunk[] = [];
  if (perPass >= rows) {
    const size = Math.floor(perPass / rows);
    for (let start = 0; start < examples; start += size) out.push({ start, size: Math.min(size, examples - start), from: 0, to: rows });
    return out;
  }
  for (let start = 0; start < examples; start++) for (let from = 0; from < rows; from += perPass) out.push({ start, size: 1, from, to: Math.min(rows, from + perPass) });
  return out;
}

/**
 * Runs `pass` on each chunk of `x` (inside tf.tidy, so a pass's tensors, the backward pass's
 * included, are freed before the next), sums the passes of one group of examples key by key (their
 * rows in slices), lets `finish` turn a group's sums into its outputs, and copies those to the host.
 * One task: its progress counts rows, and an interrupt stops it between passes.
 */
export async function runPasses<K extends string>(
  label: string,
  x: tf.Tensor,
  plan: readonly Chunk[],
  pass: (xChunk: tf.Tensor, chunk: Chunk) => Record<string, tf.Tensor>,
  finish: (xChunk: tf.Tensor, start: number, size: number, sums: Record<string, tf.Tensor>) => Record<K, tf.Tensor>,
): Promise<Record<K, Float32Array>> {
  const parts: Record<string, Float32Array[]> = {};
  const total = plan.reduce((sum, chunk) => sum + chunk.size * (chunk.to - chunk.from), 0);
  await withTask(label, total, "evaluations", async (task) => {
    for (let i = 0; i < plan.length; ) {
      const { start, size } = plan[i];
      let sums: Record<string, tf.Tensor> = {};
      for (; i < plan.length && plan[i].start === start; i++) {
        task.check();
        const chunk = plan[i];
        const next = tf.tidy(() => {
          const out = pass(x.slice(start, size), chunk);
          return Object.fromEntries(Object.entries(out).map(([key, t]) => [key, sums[key] ? tf.add(sums[key], t) : t]));
        });
        tf.dispose(Object.values(sums));
        sums = next;
        // Let the kernel see an interrupt and the progress message go out between passes.
        await tf.nextFrame();
        task.advance(size * (chunk.to - chunk.from));
      }
      const outputs = tf.tidy(() => finish(x.slice(start, size), start, size, sums));
      tf.dispose(Object.values(sums).filter((t) => !Object.values(outputs).includes(t)));
      for (const [key, tensor] of Object.entries(outputs) as [string, tf.Tensor][]) {
        (parts[key] ??= []).push((await tensor.data()) as Float32Array);
        tensor.dispose();
      }
    }
  });
  const joined = {} as Record<K, Float32Array>;
  for (const [key, arrays] of Object.entries(parts)) {
    const out = new Float32Array(arrays.reduce((s, a) => s + a.length, 0));
    arrays.reduce((offset, a) => (out.set(a, offset), offset + a.length), 0);
    joined[key as K] = out;
  }
  return joined;
}
