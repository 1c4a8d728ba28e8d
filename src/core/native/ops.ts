// The TensorFlow ops the graphs use, each with the attributes TensorFlow requires spelled out once
// (float32 tensors, int32 shapes and indices).
import type { Attr, Graph, Output } from "./graph";

export const F32 = { T: { type: "float32" } } satisfies Record<string, Attr>;
const INT = { T: { type: "int32" } } satisfies Record<string, Attr>;

/** An activation the graphs emit with its gradient. */
export type GraphActivation = "linear" | "relu" | "relu6" | "elu" | "tanh" | "sigmoid" | "softplus" | "softmax" | { leakyRelu: number };

export class GraphOps {
  constructor(private readonly g: Graph) {}

  /**
   * An activation's output and its gradient as a function of the output's gradient, with
   * TensorFlow's own *Grad kernels where they exist. Those that can take the activation's output
   * (ReLU, ReLU6, ELU, tanh, sigmoid) do, so TensorFlow may fuse the forward op into the one before
   * it (Conv2D + BiasAdd + Relu6 as one oneDNN kernel) and keep only its output for the backward pass.
   */
  activation(name: GraphActivation, z: Output): { y: Output; grad: (dy: Output) => Output } {
    const g = this.g;
    if (typeof name === "object") {
      const alpha = { alpha: { f: name.leakyRelu } };
      return { y: g.op("LeakyRelu", [z], { ...F32, ...alpha }), grad: (dy) => g.op("LeakyReluGrad", [dy, z], { ...F32, ...alpha }) };
    }
    switch (name) {
      case "linear":
        return { y: z, grad: (dy) => dy };
      case "relu":
      case "relu6":
      case "elu": {
        const [op, gradOp] = name === "relu" ? ["Relu", "ReluGrad"] : name === "relu6" ? ["Relu6", "Relu6Grad"] : ["Elu", "EluGrad"];
        const y = g.op(op, [z], F32);
        return { y, grad: (dy) => g.op(gradOp, [dy, y], F32) };
      }
      case "tanh":
      case "sigmoid": {
        const y = g.op(name === "tanh" ? "Tanh" : "Sigmoid", [z], F32);
        return { y, grad: (dy) => g.op(name === "tanh" ? "TanhGrad" : "SigmoidGrad", [y, dy], F32) };
      }
      case "softplus":
        return { y: g.op("Softplus", [z], F32), grad: (dy) => g.op("SoftplusGrad", [dy, z], F32) };
      case "softmax": {
        // dz = y ⊙ (dy − Σ_j dy_j y_j), the softmax Jacobian applied to dy (over the last axis).
        const y = g.op("Softmax", [z], F32);
        return {
          y,
          grad: (dy) => {
            const dot = this.sum(g.op("Mul", [dy, y], F32), -1, true);
            return g.op("Mul", [y, g.op("Sub", [dy, dot], F32)], F32);
          },
        };
      }
    }
  }

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
