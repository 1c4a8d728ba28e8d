// A model as a graph of primitive ops: the one form both tfjs layers models (from-layers.ts) and
// tfjs graph models (from-graph-model.ts) are read into, so that one emitter (emit.ts) writes any of
// them, residual branches included, as a TensorFlow graph with a hand-written input-gradient pass.
// Nodes are in topological order (inputs before their users); weights are read from the model at
// every run, so a later setWeights or training is always seen, and models of one architecture (a
// model and its randomised copies) share one graph and one session.
import type * as tf from "@tensorflow/tfjs";
import type { GraphActivation } from "../../native/ops";

/** Where a weight's value comes from at run time. */
export type WeightSource = tf.LayerVariable | tf.Tensor;

export type Padding = "SAME" | "VALID" | { explicit: [number, number, number, number] };

/** An activation the reading keeps as its own step: the emitted graph's activations, "linear" being dropped. */
export type Activation = Exclude<GraphActivation, "linear">;

export type IrOp =
  | { kind: "input" }
  /** Weight `slot` of the IR's `weights`. */
  | { kind: "weight"; slot: number }
  /** NHWC convolution of inputs [x, kernel]. */
  | { kind: "conv2d" | "depthwise"; strides: [number, number]; padding: Padding; dilations: [number, number] }
  /** [x, kernel] with x rank 2. */
  | { kind: "matmul"; transposeB: boolean }
  /** [x, bias] over the last axis. */
  | { kind: "biasAdd" }
  /** Inference BatchNorm over the last axis: [x, mean, variance, gamma?, beta?] as flagged. */
  | { kind: "batchNorm"; epsilon: number; scale: boolean; center: boolean }
  | { kind: "activation"; activation: Activation }
  /** Elementwise with broadcasting; `add` takes any number of inputs. */
  | { kind: "add" | "sub" | "mul" | "div" }
  /** Zero padding, [[before, after]] per axis. */
  | { kind: "pad"; paddings: [number, number][] }
  | { kind: "maxPool" | "avgPool"; ksize: [number, number]; strides: [number, number]; padding: "SAME" | "VALID" }
  | { kind: "mean"; axes: number[]; keepDims: boolean }
  /** To `shape` (one −1 allowed; the batch axis is −1 or kept). */
  | { kind: "reshape"; shape: number[] }
  | { kind: "squeeze"; axes: number[] }
  | { kind: "concat"; axis: number }
  | { kind: "identity" };

export interface IrNode {
  /** The layer or graph node it comes from (for messages and for naming outputs). */
  source: string;
  op: IrOp;
  inputs: number[];
}

export interface Ir {
  nodes: IrNode[];
  /** The node that is the model's input. */
  input: number;
  /** The node explained. */
  output: number;
  /** Weight values by slot. */
  weights: WeightSource[];
}

/** An op a reader cannot express: the caller falls back to the model itself (the tape route). */
export class Unsupported extends Error {}

/** Builds an Ir node by node. */
export class IrBuilder {
  readonly nodes: IrNode[] = [];
  readonly weights: WeightSource[] = [];
  private readonly slots = new Map<WeightSource, number>();

  add(source: string, op: IrOp, inputs: number[] = []): number {
    this.nodes.push({ source, op, inputs });
    return this.nodes.length - 1;
  }

  /** A weight node (one slot per distinct source, however many nodes read it). */
  weight(source: string, value: WeightSource): number {
    let slot = this.slots.get(value);
    if (slot === undefined) {
      slot = this.weights.length;
      this.weights.push(value);
      this.slots.set(value, slot);
    }
    return this.add(source, { kind: "weight", slot });
  }
}

/** Whether each node depends on the input (only those carry gradients). */
export function liveNodes(ir: Ir): boolean[] {
  const live = ir.nodes.map(() => false);
  ir.nodes.forEach((node, i) => (live[i] = i === ir.input || node.inputs.some((k) => live[k])));
  return live;
}

/** Whether each node is needed for the output (the output and what it reads, transitively). */
export function neededNodes(ir: Ir, given = -1): boolean[] {
  const needed = ir.nodes.map(() => false);
  needed[ir.output] = true;
  for (let i = ir.output; i >= 0; i--) if (needed[i] && i !== given) for (const k of ir.nodes[i].inputs) needed[k] = true;
  return needed;
}

/**
 * The IR's architecture as a string: equal for models that differ only in weight values, so they
 * share a graph (weights are fed at run time).
 */
export function irKey(ir: Ir): string {
  const shapes = ir.weights.map((w) => w.shape.join("x"));
  return JSON.stringify([ir.nodes.map((n) => [n.op, n.inputs]), ir.input, ir.output, shapes]);
}
