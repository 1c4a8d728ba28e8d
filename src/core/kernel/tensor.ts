// How a tensor shows in a cell: shape, dtype and summary statistics, and every value when small.
// Works on anything tensor-shaped, so core needs no tfjs import.
import type { TensorSummary } from "../display";

/** The part of a tfjs Tensor this module reads. */
export interface TensorLike {
  shape: number[];
  dtype: string;
  size: number;
  dataSync(): ArrayLike<number> | ArrayLike<unknown>;
  arraySync(): unknown;
  isDisposed?: boolean;
}

/** Tensors with at most this many elements are shown in full. */
export const SMALL_TENSOR = 100;

export function summarizeTensor(tensor: TensorLike): TensorSummary {
  const summary: TensorSummary = { shape: [...tensor.shape], dtype: tensor.dtype, size: tensor.size };
  if (tensor.isDisposed) return summary;
  if (tensor.dtype !== "string" && tensor.dtype !== "complex64" && tensor.size > 0) {
    summary.stats = statistics(tensor.dataSync() as ArrayLike<number>);
  }
  if (tensor.size <= SMALL_TENSOR) summary.values = tensor.arraySync();
  return summary;
}

/** mean and (population) std in one pass (Welford), min and max; a NaN makes all NaN, as in numpy. */
function statistics(values: ArrayLike<number>): NonNullable<TensorSummary["stats"]> {
  let min = Infinity;
  let max = -Infinity;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const x = Number(values[i]);
    if (x < min) min = x;
    if (x > max) max = x;
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  }
  if (Number.isNaN(mean)) return { min: NaN, max: NaN, mean: NaN, std: NaN };
  return { min, max, mean, std: Math.sqrt(m2 / values.length) };
}

/** One line (plus values when small) for text/plain. */
export function tensorText(summary: TensorSummary): string {
  const head = `Tensor ${summary.dtype} [${summary.shape.join(", ")}]`;
  const stats = summary.stats;
  const line = stats ? `${head}  min ${fmt(stats.min)}  max ${fmt(stats.max)}  mean ${fmt(stats.mean)}  std ${fmt(stats.std)}` : head;
  return summary.values === undefined ? line : `${line}\n${JSON.stringify(summary.values)}`;
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(4)));
}
