// Ablation experiments built on an ablation site: one ablation, every unit alone, and cumulative
// curves (accuracy vs number of units removed) in a hypothesis' order against K seeded random
// orders, whose spread is the band a "this order matters" claim must leave (Morcos et al. 2018).
import type * as tf from "@tensorflow/tfjs";
import { createRng } from "../../stats/rng";
import { InterpError, type Labels, layerActivations, resolveLayer } from "../activations";
import { curveBand } from "../quantile";
import { classSelectivity } from "../selectivity";
import { type Ablation, type AblationSiteOptions, openAblationSite, withAblationSite } from "./site";

export interface AblationResult {
  layer: string;
  /** Accuracy with nothing ablated. */
  baseline: number;
  /** Accuracy under each ablation, in the order given. */
  accuracy: number[];
}

/** Accuracy under each of `ablations` (units zeroed / mean-replaced, or subspaces projected out). */
export async function ablate(
  model: tf.LayersModel,
  inputs: tf.Tensor,
  labels: Labels,
  options: AblationSiteOptions & { ablations: readonly Ablation[] },
): Promise<AblationResult> {
  // Measured with the baseline: on the graph route, one pass for both.
  const { site, accuracy } = await openAblationSite(model, inputs, labels, options, options.ablations);
  site.dispose();
  return { layer: site.layer, baseline: site.baseline, accuracy };
}

/** Accuracy with each unit of the layer ablated alone: `accuracy[u]` for unit u. */
export async function ablateEachUnit(
  model: tf.LayersModel,
  inputs: tf.Tensor,
  labels: Labels,
  options: AblationSiteOptions & { mode?: "zero" | "mean" },
): Promise<AblationResult> {
  const shape = resolveLayer(model, options.layer).outputShape as number[];
  const ablations = Array.from({ length: shape[shape.length - 1] }, (_, u) => ({ units: [u], mode: options.mode }));
  return ablate(model, inputs, labels, { ...options, ablations });
}

export interface CumulativeAblationOptions extends AblationSiteOptions {
  /** Default `zero`. */
  mode?: "zero" | "mean";
  /**
   * The orders under test (unit indices, first ablated first). Default: class selectivity of the
   * layer on these inputs, high first and low first (needs post-ReLU activations).
   */
  orders?: { name: string; units: readonly number[] }[];
  /** Random orders for the band. Default 20. */
  randomOrders?: number;
  /** Seed of the random orders. Default 0. */
  seed?: number;
  /** Coverage of the band's percentile interval. Default 0.95. */
  level?: number;
  /** Numbers of units ablated at which to measure. Default 0, 1, ..., units. */
  steps?: readonly number[];
}

/** Shaped to pass straight to the `ablationCurves` chart (`unitsAblated`, `curves`, `random`). */
export interface CumulativeAblation {
  layer: string;
  baseline: number;
  unitsAblated: number[];
  curves: { order: string; units: number[]; accuracy: number[] }[];
  /** Per step, over the random orders: mean and the central `level` percentile interval. */
  random: { mean: number[]; lower: number[]; upper: number[]; level: number; orders: number };
  /** Each random order's curve (`randomCurves[r][step]`), for other summaries. */
  randomCurves: number[][];
}

/** Accuracy as more and more units are ablated, in the given orders and in `randomOrders` seeded random orders. */
export async function cumulativeAblation(
  model: tf.LayersModel,
  inputs: tf.Tensor,
  labels: Labels,
  options: CumulativeAblationOptions,
): Promise<CumulativeAblation> {
  const level = options.level ?? 0.95;
  const K = options.randomOrders ?? 20;
  if (!(level > 0 && level < 1)) throw new InterpError("invalid-input", `level must be in (0, 1), got ${level}`);
  if (!(Number.isInteger(K) && K >= 1)) throw new InterpError("invalid-input", `randomOrders must be a positive integer, got ${K}`);
  return withAblationSite(model, inputs, labels, options, async (site) => {
    const steps = [...(options.steps ?? Array.from({ length: site.units + 1 }, (_, k) => k))];
    for (const k of steps) {
      if (!(Number.isInteger(k) && k >= 0 && k <= site.units)) throw new InterpError("invalid-input", `step ${k} is not in 0..${site.units}`);
    }
    const orders = options.orders?.map((o) => ({ name: o.name, units: [...o.units] })) ?? (await selectivityOrders(model, inputs, labels, options));
    for (const order of orders) {
      if (order.units.length < Math.max(...steps)) {
        throw new InterpError("invalid-input", `order "${order.name}" lists ${order.units.length} units but a step ablates ${Math.max(...steps)}`);
      }
    }
    const rng = createRng(options.seed ?? 0);
    const randomUnits = Array.from({ length: K }, () => Array.from(rng.permutation(site.units)));
    const curveOf = (units: number[]): Ablation[] => steps.map((k) => ({ units: units.slice(0, k), mode: options.mode }));
    const all = await site.accuracy([...orders, ...randomUnits.map((units) => ({ units }))].flatMap((o) => curveOf(o.units)));
    const at = (i: number) => all.slice(i * steps.length, (i + 1) * steps.length);
    const randomCurves = randomUnits.map((_, r) => at(orders.length + r));
    return {
      layer: site.layer,
      baseline: site.baseline,
      unitsAblated: steps,
      curves: orders.map((o, i) => ({ order: o.name, units: o.units, accuracy: at(i) })),
      random: { ...curveBand(randomCurves, level), level, orders: K },
      randomCurves,
    };
  });
}

async function selectivityOrders(model: tf.LayersModel, inputs: tf.Tensor, labels: Labels, options: AblationSiteOptions) {
  let si: number[];
  try {
    si = classSelectivity(await layerActivations(model, inputs, { ...options, reduce: "spatial-mean" }), labels).index;
  } catch (error) {
    if (!(error instanceof InterpError && error.kind === "negative-activations")) throw error;
    throw new InterpError(error.kind, `the default ablation order is class selectivity, defined on post-ReLU activations; pass \`orders\` for this layer (${error.message})`);
  }
  const high = si.map((_, u) => u).sort((a, b) => si[b] - si[a] || a - b);
  return [
    { name: "class selectivity, high first", units: high },
    { name: "class selectivity, low first", units: [...high].reverse() },
  ];
}
