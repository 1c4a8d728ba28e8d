// How an ablation site runs the head on edited activations. Two exact strategies:
//
// - `editedForward` (any head): edit a copy of h per ablation, stack the copies, run the head.
// - `lowRankForward` (the head starts with a Dense or Conv2D layer reading h alone): that layer is
//   linear before its activation, so its pre-activation z = K(h) + b is computed once and an
//   ablation only adds the contribution of what it changes:
//     units U zeroed:        z' = z − K_U(h_U)            (K_U: the kernel's input channels U)
//     units U mean-ablated:  z' = z + K_U(μ_U − h_U)
//     subspace Q projected:  z' = z − K_Q(hQᵀ)            (K_Q = the kernel mixed by Q's rows)
//   For a Dense layer, single units of one mode are done together: each unit's own contribution in
//   one outer product. Layers between h and that layer which keep channels apart and map zero to
//   zero (pooling, flatten, dropout, relu) are crossed for zero-ablations of units: zeroing channel c
//   of h zeroes exactly channel c of their output (every position of it after a flatten), so the
//   low-rank update applies there; other ablations of such a site take the edited route. The rest
//   of the head then runs on
//   activation(z'), applied by a standalone Activation layer built from the layer's own activation.
import * as tf from "@tensorflow/tfjs";
import { type Head, splitAt } from "./head";

/** An ablation checked and normalised by the site: unit indices valid, directions orthonormal. */
export type ResolvedAblation = { units: number[]; mode: "zero" | "mean" } | { basis: number[][] };

/**
 * The b examples of one pass, as each route wants them: the layer's activations (computed once per
 * site, when first asked for), or the model's inputs (a route that runs the whole model needs no
 * activations); and the data set's mean activation, for mean-ablations.
 */
export interface Rows {
  h(): tf.Tensor;
  x(): tf.Tensor;
  mean(): tf.Tensor;
}

export interface HeadForward {
  /** The head's outputs [group.length × b, outputs] (call inside tf.tidy). */
  run(rows: Rows, group: readonly ResolvedAblation[]): tf.Tensor;
  /**
   * Correct predictions per ablation [group.length] against `labels` [b], where the route counts
   * them itself (saves moving the outputs; undefined: the site counts from `run`).
   */
  correct?(rows: Rows, group: readonly ResolvedAblation[], labels: tf.Tensor1D): tf.Tensor | undefined;
  /** Whether this route computes `ablation` (the site sends the others to the edited route). */
  accepts(ablation: ResolvedAblation): boolean;
  /** Floats held per stacked row, given the floats of one example's activations (for the memory budget). */
  rowSize(exampleSize: number): number;
  /** Stacked rows per example that `ablation` adds to a pass (default 1). */
  stackedRows?(ablation: ResolvedAblation): number;
  dispose(): void;
}

export function editedForward(head: Head, edit: (h: tf.Tensor, ablation: ResolvedAblation) => tf.Tensor): HeadForward {
  return {
    run(rows, group) {
      const h = rows.h();
      const stacked = tf.concat(group.map((ablation) => edit(h, ablation)));
      return head.model.predict(stacked, { batchSize: stacked.shape[0] }) as tf.Tensor;
    },
    accepts: () => true,
    rowSize: (exampleSize) => exampleSize,
    dispose() {},
  };
}

/** The low-rank strategy, or undefined when no Dense/Conv2D layer reads h (alone, or through zero-preserving channel-wise layers). */
export function lowRankForward(head: Head): HeadForward | undefined {
  const input = head.model.inputs[0];
  const consumers = consumersIn(head.model);
  const crossed: tf.layers.Layer[] = [];
  let reads = input;
  let layer: tf.layers.Layer | undefined;
  let linear: LinearPart | undefined;
  for (;;) {
    const next = consumers.get(reads.id) ?? [];
    if (next.length !== 1) return undefined;
    layer = next[0].layer;
    linear = linearPart(layer, reads.shape.length);
    if (linear) break;
    if (!keepsChannelsAndZero(layer)) return undefined;
    crossed.push(layer);
    reads = next[0].output;
  }
  const channels = input.shape[input.shape.length - 1] as number;
  const width = reads.shape[reads.shape.length - 1] as number;
  if (width % channels !== 0) return undefined;
  // After a flatten (channels last), channel c is every index p·C + c.
  const positions = width / channels;
  const prefix = crossed.length ? tf.model({ inputs: input, outputs: reads }) : undefined;
  const activation = tf.layers.activation({ activation: (layer.getConfig().activation as string | undefined) ?? "linear" } as never);
  let rest: Head | undefined;
  try {
    rest = splitAt(head.model, layer);
  } catch {
    rest = undefined; // the layer is the head's output: nothing runs after it
  }
  const outputSize = (layer.outputShape as number[]).slice(1).reduce((a, b) => a * b, 1);
  const dense = layer, part = linear;
  return {
    accepts: (ablation) => !prefix || ("units" in ablation && ablation.mode === "zero"),
    run(rows, group0) {
      const [h0, mean] = [rows.h(), rows.mean()];
      const h = prefix ? (prefix.predict(h0, { batchSize: h0.shape[0] }) as tf.Tensor) : h0;
      const group = prefix ? group0.map((a) => ({ units: spread((a as { units: number[] }).units, channels, positions), mode: "zero" as const })) : group0;
      const linear = part;
      // Read the live weights on every call: the model may have been trained since.
      const [kernel, bias] = dense.getWeights();
      const z = bias ? linear.apply(h, kernel).add(bias) : linear.apply(h, kernel);
      const corrected: tf.Tensor[] = [];
      for (let i = 0; i < group.length; ) {
        const single = linear.perChannel ? singleUnitRun(group, i) : [];
        if (single.length > 1) {
          corrected.push(singleUnits(linear, h, z, kernel, single, mean, (group[i] as { mode: "zero" | "mean" }).mode));
          i += single.length;
          continue;
        }
        corrected.push(correctedZ(linear, h, z, kernel, group[i], mean));
        i++;
      }
      const output = activation.apply(tf.concat(corrected)) as tf.Tensor;
      return rest ? (rest.model.predict(output, { batchSize: output.shape[0] }) as tf.Tensor) : output;
    },
    rowSize: (exampleSize) => Math.max(exampleSize, outputSize),
    dispose() {
      rest?.dispose();
    },
  };
}

/** Which layers consume each tensor of `model`'s graph (found from its outputs back). */
function consumersIn(model: tf.LayersModel): Map<number, { layer: tf.layers.Layer; output: tf.SymbolicTensor }[]> {
  const consumers = new Map<number, { layer: tf.layers.Layer; output: tf.SymbolicTensor }[]>();
  const seen = new Set<number>();
  const visit = (t: tf.SymbolicTensor): void => {
    if (seen.has(t.id)) return;
    seen.add(t.id);
    if (t.sourceLayer.getClassName() === "InputLayer") return;
    for (const x of t.sourceLayer.inboundNodes[t.nodeIndex].inputTensors) {
      consumers.set(x.id, [...(consumers.get(x.id) ?? []), { layer: t.sourceLayer, output: t }]);
      visit(x);
    }
  };
  model.outputs.forEach(visit);
  return consumers;
}

/** Layers whose output channel c depends only on input channel c and is 0 when it is 0. */
function keepsChannelsAndZero(layer: tf.layers.Layer): boolean {
  const name = layer.getClassName();
  const config = layer.getConfig() as { dataFormat?: string; activation?: string };
  if (config.dataFormat === "channelsFirst") return false;
  if (name === "Activation") return ["relu", "relu6", "linear", "tanh"].includes(config.activation ?? "");
  return ["MaxPooling2D", "AveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling2D", "Flatten", "Dropout", "ReLU"].includes(name);
}

/** Channel indices → the indices of every position of those channels in a flattened channels-last map. */
function spread(units: number[], channels: number, positions: number): number[] {
  if (positions === 1) return units;
  return Array.from({ length: positions }, (_, p) => units.map((c) => p * channels + c)).flat();
}

/** The linear map of a Dense or Conv2D layer (before bias and activation), restricted to some input channels. */
interface LinearPart {
  /** The kernel's axis of input channels. */
  inputAxis: number;
  /** K(x) for x [b, ..., k] and a kernel with k input channels. */
  apply(x: tf.Tensor, kernel: tf.Tensor): tf.Tensor;
  /**
   * Each input channel's own contribution, [k, b, ..., out], for x [b, ..., k], when one op does it
   * (Dense: an outer product). Conv2D has none worth it: a depthwise convolution plus the transpose
   * to [k, b, ...] costs more than one small convolution per channel.
   */
  perChannel?(x: tf.Tensor, kernel: tf.Tensor): tf.Tensor;
}

function linearPart(layer: tf.layers.Layer, inputRank: number): LinearPart | undefined {
  const name = layer.getClassName();
  if (name === "Dense" && inputRank === 2) {
    return {
      inputAxis: 0,
      apply: (x, kernel) => x.matMul(kernel),
      perChannel: (x, kernel) => x.transpose().expandDims(2).mul(kernel.expandDims(1)),
    };
  }
  const config = layer.getConfig() as { strides?: number[]; padding?: string; dilationRate?: number | number[]; dataFormat?: string };
  const dilation = [config.dilationRate ?? 1].flat();
  if (name !== "Conv2D" || inputRank !== 4 || config.dataFormat === "channelsFirst" || dilation.some((d) => d !== 1)) return undefined;
  const strides = (config.strides ?? [1, 1]) as [number, number];
  const padding = config.padding === "same" ? "same" : "valid";
  return {
    inputAxis: 2,
    apply: (x, kernel) => tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, strides, padding),
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

/** What ablating units replaces h by, minus h: −h (zero) or μ − h (mean), on channels `index`. */
function unitDelta(h: tf.Tensor, mean: tf.Tensor, index: tf.Tensor1D, mode: "zero" | "mean"): tf.Tensor {
  const axis = h.rank - 1;
  const removed = tf.gather(h, index, axis);
  return mode === "mean" ? tf.gather(mean, index, axis - 1).sub(removed) : removed.neg();
}

/** z' for m single-unit ablations at once: [m·b, ...out] = z + (each unit's own delta through the kernel). */
function singleUnits(linear: LinearPart, h: tf.Tensor, z: tf.Tensor, kernel: tf.Tensor, units: number[], mean: tf.Tensor, mode: "zero" | "mean"): tf.Tensor {
  const index = tf.tensor1d(units, "int32");
  const contributions = linear.perChannel!(unitDelta(h, mean, index, mode), tf.gather(kernel, index, linear.inputAxis));
  return z.expandDims(0).add(contributions).reshape([units.length * z.shape[0], ...z.shape.slice(1)]);
}

function correctedZ(linear: LinearPart, h: tf.Tensor, z: tf.Tensor, kernel: tf.Tensor, ablation: ResolvedAblation, mean: tf.Tensor): tf.Tensor {
  if ("basis" in ablation) {
    const q = tf.tensor2d(ablation.basis); // [k, units]
    const units = h.shape[h.rank - 1];
    const coefficients = h.reshape([-1, units]).matMul(q, false, true).reshape([...h.shape.slice(0, -1), q.shape[0]]);
    return z.sub(linear.apply(coefficients, mixInputs(kernel, q, linear.inputAxis)));
  }
  if (ablation.units.length === 0) return z;
  const index = tf.tensor1d(ablation.units, "int32");
  return z.add(linear.apply(unitDelta(h, mean, index, ablation.mode), tf.gather(kernel, index, linear.inputAxis)));
}

/** The kernel with its input channels replaced by the k combinations q [k, units] of them. */
function mixInputs(kernel: tf.Tensor, q: tf.Tensor2D, axis: number): tf.Tensor {
  const order = [axis, ...kernel.shape.keys()].filter((a, i) => i === 0 || a !== axis);
  const moved = kernel.transpose(order);
  const mixed = q.matMul(moved.reshape([moved.shape[0], -1])).reshape([q.shape[0], ...moved.shape.slice(1)]);
  const back = order.map((_, i) => order.indexOf(i));
  return mixed.transpose(back);
}
