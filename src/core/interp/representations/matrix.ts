// The representation matrices CKA, probes and TCAV take: n examples × p features, from whatever
// the caller has (layer activations of any rank, nested arrays, a tensor), as one host Float64Array.
import * as tf from "@tensorflow/tfjs";
import { type ArrayWithShape, InterpError } from "../activations";

/** n × p, row-major, float64. */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Activations ([n, ...] of any rank: flattened per example), rows of numbers, or a tensor. */
export type Representation = ArrayWithShape | readonly (readonly number[])[] | tf.Tensor | Matrix;

/** `x` as an n × p matrix; each example's activations are flattened (conv maps become one row). */
export function toMatrix(x: Representation, what = "representation"): Matrix {
  if ("rows" in x && "cols" in x) return x;
  if (x instanceof tf.Tensor) return toMatrix({ data: x.dataSync(), shape: x.shape }, what);
  if (Array.isArray(x)) {
    const rows = x.length, cols = rows ? x[0].length : 0;
    const data = new Float64Array(rows * cols);
    x.forEach((row: readonly number[], i: number) => {
      if (row.length !== cols) throw new InterpError("shape-mismatch", `${what}: row ${i} has ${row.length} values, row 0 has ${cols}`);
      data.set(row, i * cols);
    });
    return checkFinite({ data, rows, cols }, what);
  }
  const { data, shape } = x as ArrayWithShape;
  const rows = shape[0];
  const cols = rows ? data.length / rows : 0;
  if (!Number.isInteger(cols)) throw new InterpError("shape-mismatch", `${what}: ${data.length} values do not split into ${rows} examples`);
  return checkFinite({ data: Float64Array.from(data), rows, cols }, what);
}

function checkFinite(m: Matrix, what: string): Matrix {
  const bad = m.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new InterpError("invalid-input", `${what}: example ${Math.floor(bad / m.cols)} has a non-finite value (${m.data[bad]})`);
  return m;
}

/** Rows `indices` of `m`. */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const data = new Float64Array(indices.length * m.cols);
  for (let i = 0; i < indices.length; i++) data.set(m.data.subarray(indices[i] * m.cols, (indices[i] + 1) * m.cols), i * m.cols);
  return { data, rows: indices.length, cols: m.cols };
}
