// How an ablation site runs the head on edited activations. Two exact strategies:
//
// - `editedForward` (any head): edit a copy of h per ablation, stack the copies, run the head.
// - `lowRankForward` (the head starts with a Dense layer reading h directly): that layer's
//   pre-activation z = hW + b is computed once, and an ablation only adds a low-rank correction:
//     units U zeroed:        z' = z − h_U W_U          (U's columns of h, rows of W)
//     units U mean-ablated:  z' = z + (μ_U − h_U) W_U
//     subspace Q projected:  z' = z − (hQᵀ)(QW)        (Q orthonormal rows)
//   so the Dense layer's matrix product is not repeated per ablation; single units of one mode
//   are done together as one broadcast outer product. The rest of the head then runs on
//   activation(z'). The activation is applied by a standalone Activation layer built from the Dense
//   layer's own activation name, so it is the same function.
import * as tf from "@tensorflow/tfjs";
import { type Head, splitAt } from "./head";

/** An ablation checked and normalised by the site: unit indices valid, directions orthonormal. */
export type ResolvedAblation = { units: number[]; mode: "zero" | "mean" } | { basis: number[][] };

export interface HeadForward {
  /** The head's outputs [group.length × b, outputs] for activations h [b, ...] (call inside tf.tidy). */
  run(h: tf.Tensor, group: readonly ResolvedAblation[], mean: tf.Tensor): tf.Tensor;
  /** Floats held per stacked row, given the floats of one example's activations (for the memory budget). */
  rowSize(exampleSize: number): number;
  dispose(): void;
}

export function editedForward(head: Head, edit: (h: tf.Tensor, ablation: ResolvedAblation) => tf.Tensor): HeadForward {
  return {
    run(h, group) {
      const stacked = tf.concat(group.map((ablation) => edit(h, ablation)));
      return head.model.predict(stacked, { batchSize: stacked.shape[0] }) as tf.Tensor;
    },
    rowSize: (exampleSize) => exampleSize,
    dispose() {},
  };
}

/** The low-rank strategy, or undefined when the head does not start with a Dense layer on h alone. */
export function lowRankForward(head: Head): HeadForward | undefined {
  const input = head.model.inputs[0];
  const consumers = input.sourceLayer.outboundNodes;
  if (input.shape.length !== 2 || consumers.length !== 1) return undefined;
  const dense = consumers[0].outboundLayer;
  if (dense.getClassName() !== "Dense") return undefined;
  const config = dense.getConfig();
  const activation = tf.layers.activation({ activation: (config.activation as string | undefined) ?? "linear" } as never);
  let rest: Head | undefined;
  try {
    rest = splitAt(head.model, dense);
  } catch {
    rest = undefined; // the Dense layer is the head's output: nothing runs after it
  }
  return {
    run(h, group, mean) {
      // Read the live weights on every call: the model may have been trained since.
      const [kernel, bias] = dense.getWeights();
      const z = bias ? h.matMul(kernel).add(bias) : h.matMul(kernel);
      const corrected: tf.Tensor[] = [];
      for (let i = 0; i < group.length; ) {
        const single = singleUnitRun(group, i);
        if (single.length > 1) {
          corrected.push(singleUnits(h, z, kernel, single, mean, (group[i] as { mode: "zero" | "mean" }).mode));
          i += single.length;
          continue;
        }
        corrected.push(correctedZ(h, z, kernel, group[i], mean));
        i++;
      }
      const output = activation.apply(tf.concat(corrected)) as tf.Tensor;
      return rest ? (rest.model.predict(output, { batchSize: output.shape[0] }) as tf.Tensor) : output;
    },
    rowSize: (exampleSize) => Math.max(exampleSize, dense.outputShape[1] as number),
    dispose() {
      rest?.dispose();
    },
  };
}

/** The units of the run of consecutive single-unit ablations of one mode starting at `i`. */
function singleUnitRun(group: readonly ResolvedAblation[], i: number): number[] {
  const first = group[i];
  if (!("units" in first) || first.units.length !== 1) return [];
  const units: number[] = [];
  for (let j = i; j < group.length; j++) {
    const a = group[j];
    if (!("units" in a) || a.units.length !== 1 || a.mode !== first.mode) break;
    units.push(a.units[0]);
  }
  return units;
}

/** z' for m single-unit ablations at once: [m·b, out] = z − (h_u − fill_u) ⊗ W_u per unit u. */
function singleUnits(h: tf.Tensor, z: tf.Tensor, kernel: tf.Tensor, units: number[], mean: tf.Tensor, mode: "zero" | "mean"): tf.Tensor {
  const index = tf.tensor1d(units, "int32");
  const removed = tf.gather(h, index, 1).transpose(); // [m, b]
  const delta = mode === "mean" ? tf.gather(mean, index).expandDims(1).sub(removed) : removed.neg();
  const rows = tf.gather(kernel, index); // [m, out]
  const [b, out] = z.shape as [number, number];
  return z.expandDims(0).add(delta.expandDims(2).mul(rows.expandDims(1))).reshape([units.length * b, out]);
}

function correctedZ(h: tf.Tensor, z: tf.Tensor, kernel: tf.Tensor, ablation: ResolvedAblation, mean: tf.Tensor): tf.Tensor {
  if ("basis" in ablation) {
    const q = tf.tensor2d(ablation.basis);
    return z.sub(h.matMul(q, false, true).matMul(q.matMul(kernel)));
  }
  if (ablation.units.length === 0) return z;
  const index = tf.tensor1d(ablation.units, "int32");
  const removed = tf.gather(h, index, 1);
  const delta = ablation.mode === "mean" ? tf.gather(mean, index).sub(removed) : removed.neg();
  return z.add(delta.matMul(tf.gather(kernel, index)));
}
