// The TensorFlow ops the graphs use, each with the attributes TensorFlow requires spelled out once
// (float32 tensors, int32 shapes and indices).
import type { Attr, Graph, Output } from "./graph";

export const F32 = { T: { type: "float32" } } satisfies Record<string, Attr>;
const INT = { T: { type: "int32" } } satisfies Record<string, Attr>;

export class GraphOps {
  constructor(private readonly g: Graph) {}

  /** An int32 constant; `shape` [] for a scalar. */
  ints(values: readonly number[], shape?: readonly number[]): Output {
    return this.g.constant("int32", values, shape);
  }

  shape(t: Output, type: "float32" | "int32" = "float32"): Output {
    return this.g.op("Shape", [t], { T: { type }, out_type: { type: "int32" } });
  }

  reshape(t: Output, shape: Output, type: "float32" | "int32" = "float32"): Output {
    return this.g.op("Reshape", [t, shape], { T: { type }, Tshape: { type: "int32" } });
  }

  expandDims(t: Output, axis: number): Output {
    return this.g.op("ExpandDims", [t, this.ints([axis], [])], { ...F32, Tdim: { type: "int32" } });
  }

  transpose(t: Output, perm: readonly number[]): Output {
    return this.g.op("Transpose", [t, this.ints(perm)], { ...F32, Tperm: { type: "int32" } });
  }

  /** Σ over `axis`. */
  sum(t: Output, axis: number, keepDims = false): Output {
    return this.g.op("Sum", [t, this.ints([axis])], { ...F32, Tidx: { type: "int32" }, keep_dims: { b: keepDims } });
  }

  /** Float one-hot rows [n, depth] of int32 `indices` [n]. */
  oneHot(indices: Output, depth: number): Output {
    return this.g.op("OneHot", [indices, this.ints([depth], []), this.g.constant("float32", [1], []), this.g.constant("float32", [0], [])], { ...F32, TI: { type: "int32" }, axis: { i: -1 } });
  }

  gather(params: Output, indices: Output, axis: number): Output {
    return this.g.op("GatherV2", [params, indices, this.ints([axis], [])], { Tparams: { type: "float32" }, Tindices: { type: "int32" }, Taxis: { type: "int32" }, batch_dims: { i: 0 } });
  }

  /** int32 vectors, e.g. shapes, joined end to end. */
  concatInts(parts: readonly Output[]): Output {
    return this.g.op("ConcatV2", [...parts, this.ints([0], [])], { N: { i: parts.length }, ...INT, Tidx: { type: "int32" } });
  }

  /** `size` entries of an int32 vector from `begin`. */
  sliceInts(t: Output, begin: number, size: number): Output {
    return this.g.op("Slice", [t, this.ints([begin]), this.ints([size])], { ...INT, Index: { type: "int32" } });
  }

  tileInts(t: Output, multiples: Output): Output {
    return this.g.op("Tile", [t, multiples], { ...INT, Tmultiples: { type: "int32" } });
  }
}
