// Class selectivity index (Morcos et al. 2018): how much a unit prefers one class over the rest.
//
//   SI = (μmax − μ−max) / (μmax + μ−max + ε)
//
// μmax is the unit's highest class-conditional mean activation, μ−max the mean of the other classes'
// class-conditional means. It is defined on post-ReLU (non-negative) activations, where it lies in
// [0, 1]: 1 for a unit that fires for one class only, 0 for equal class means or a dead unit. Conv
// maps are averaged over space per channel first.
import type * as tf from "@tensorflow/tfjs";
import {
  checkLayersModel,
  type ActivationOptions, type ActivationsLike, InterpError, type Labels, labelArray, layerActivations, spatialMeanOnHost, unitCount, withShape,
} from "./activations";
import { mean, variance } from "../stats/sample";
import { quantiles } from "./quantile";

export interface ClassSelectivityOptions {
  /** Default 1e-7 (keeps a dead unit at 0 instead of 0/0). */
  epsilon?: number;
  /** Number of classes; default max(label) + 1. Every class must have at least one example. */
  numClasses?: number;
  /**
   * Clamp negative activations to 0 first. Default false: negative values mean the layer is not
   * post-ReLU, where the index is not bounded, so they are an error unless you ask for this.
   */
  rectify?: boolean;
}

export interface ClassSelectivity {
  /** SI per unit. */
  index: number[];
  /** The class with the highest mean, per unit. */
  preferredClass: number[];
  /** classMeans[unit][class]: the class-conditional mean activation (spatial mean for conv maps). */
  classMeans: number[][];
  summary: SelectivitySummary;
}

/** The layer's distribution of SI. */
export interface SelectivitySummary {
  units: number;
  mean: number;
  median: number;
  std: number;
  min: number;
  max: number;
  /** 25th and 75th percentiles (numpy's linear interpolation). */
  quartiles: [number, number];
  /** Units whose activation is 0 on every example (SI 0 by definition, not by equal preference). */
  deadUnits: number;
  /** Counts of SI in 10 equal bins over [0, 1] (the last bin closed). */
  histogram: { start: number; end: number; count: number }[];
}

/**
 * SI per unit from activations ([n, units] or conv maps [n, ...spatial, units]: with their shape, a
 * tensor or nested arrays) and class labels.
 */
export function classSelectivity(input: ActivationsLike, labels: Labels, options: ClassSelectivityOptions = {}): ClassSelectivity {
  const activations = withShape(input);
  if (activations.shape.length < 2) throw new InterpError("invalid-input", `class selectivity needs activations of shape [n, units] or [n, ...spatial, units], got [${activations.shape.join(", ")}]`);
  const epsilon = options.epsilon ?? 1e-7;
  const n = activations.shape[0];
  const units = unitCount(activations);
  const y = labelArray(labels, n);
  const classes = options.numClasses ?? Math.max(...y) + 1;
  if (!(classes >= 2)) throw new InterpError("invalid-input", `class selectivity compares classes: it needs at least 2, got ${classes}`);
  const perUnit = spatialMeanOnHost(activations);
  const sums = new Float64Array(units * classes);
  const counts = new Float64Array(classes);
  const active = new Uint8Array(units);
  for (let i = 0; i < n; i++) {
    if (y[i] >= classes) throw new InterpError("invalid-input", `label ${y[i]} of example ${i} is not below numClasses = ${classes}`);
    counts[y[i]]++;
    for (let u = 0; u < units; u++) {
      let a = perUnit[i * units + u];
      if (a < 0) {
        if (!options.rectify) {
          throw new InterpError(
            "negative-activations",
            `unit ${u} has activation ${a} on example ${i}: class selectivity is defined on post-ReLU activations; pick a layer with a relu output or pass { rectify: true }`,
          );
        }
        a = 0;
      }
      if (a !== 0) active[u] = 1;
      sums[u * classes + y[i]] += a;
    }
  }
  const empty = Array.from(counts.keys()).filter((c) => counts[c] === 0);
  if (empty.length) throw new InterpError("invalid-input", `classes ${empty.join(", ")} have no examples; every class needs at least one (or set numClasses)`);
  const index: number[] = [], preferredClass: number[] = [], classMeans: number[][] = [];
  for (let u = 0; u < units; u++) {
    const means = Array.from({ length: classes }, (_, c) => sums[u * classes + c] / counts[c]);
    let best = 0;
    for (let c = 1; c < classes; c++) if (means[c] > means[best]) best = c;
    const rest = (means.reduce((s, m) => s + m, 0) - means[best]) / (classes - 1);
    index.push((means[best] - rest) / (means[best] + rest + epsilon));
    preferredClass.push(best);
    classMeans.push(means);
  }
  return { index, preferredClass, classMeans, summary: summarise(index, units - active.reduce((s, a) => s + a, 0)) };
}

/** Activations of `options.layer` (spatially averaged) and their class selectivity, in one call. */
export async function layerClassSelectivity(
  model: tf.LayersModel,
  inputs: tf.Tensor,
  labels: Labels,
  options: Omit<ActivationOptions, "reduce"> & ClassSelectivityOptions,
): Promise<ClassSelectivity & { layer: string }> {
  checkLayersModel(model, options.layer);
  const activations = await layerActivations(model, inputs, { ...options, reduce: "spatial-mean" });
  return { layer: activations.layer, ...classSelectivity(activations, labels, options) };
}

function summarise(index: number[], deadUnits: number): SelectivitySummary {
  const units = index.length;
  const [min, q25, median, q75, max] = quantiles(index, [0, 0.25, 0.5, 0.75, 1]);
  const std = units > 1 ? Math.sqrt(variance(index)) : 0;
  const counts = new Array<number>(10).fill(0);
  for (const v of index) counts[Math.min(9, Math.max(0, Math.floor(v * 10)))]++;
  return {
    units,
    mean: mean(index),
    median,
    std,
    min,
    max,
    quartiles: [q25, q75],
    deadUnits,
    histogram: counts.map((count, i) => ({ start: i / 10, end: (i + 1) / 10, count })),
  };
}
