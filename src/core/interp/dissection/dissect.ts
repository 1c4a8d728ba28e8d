// Network dissection (Bau et al. 2017): does a unit's activation map pick out a concept's pixels?
//
// Per unit k, the threshold Tₖ is the `quantile` (0.995) of its activations over every position of
// every image (on the layer's own grid, as NetDissect does); its map is upsampled to the masks'
// resolution (bilinear, pixel centres aligned: tf.image.resizeBilinear with halfPixelCenters) and
// thresholded, Mₖ = map > Tₖ. Against concept c's masks L꜀, over the whole data set:
//
//   IoUₖ꜀ = Σᵢ |Mₖ(i) ∧ L꜀(i)| / Σᵢ |Mₖ(i) ∨ L꜀(i)|
//
// A unit is a detector of its best concept when that IoU ≥ `iouThreshold` (0.04, Bau et al.). The
// two controls that can falsify "unit k detects c":
// - masks shuffled across images: the permutation p-value of IoUₖ꜀ against the IoU with the masks
//   of other images (same unit, same concept, same spatial statistics), i.e. does the unit follow
//   the concept in *this* image, or only fire where the concept usually is? Benjamini–Hochberg
//   adjusted over all units × concepts.
// - random directions: the same dissection of as many random orthonormal directions of the layer's
//   channel space as it has units (Bau et al.'s rotation experiment): if directions chosen at random
//   look as much like detectors as the units do, the units' alignment with concepts is not special.
//   `comparison` tests the units' best IoUs against the random directions' (permutation, greater).
//
// Masks and thresholded maps are bit-packed per image, so each of the `permutations` costs
// units × concepts × images × ⌈pixels/32⌉ AND+popcounts.
import * as tf from "@tensorflow/tfjs";
import { type Task, withTask } from "../../progress";
import { adjustPValues } from "../../stats/multiple-comparisons";
import { permutationPValue, permutationTest, type PermutationResult } from "../../stats/permutation";
import { createRng, type Rng } from "../../stats/rng";
import { type ArrayWithShape, InterpError, type LayerRef, layerActivations } from "../activations";
import { quantiles } from "../quantile";
import { checkConceptMasks, type ConceptMasks } from "./concepts";

export interface DissectOptions {
  /** The fraction of each unit's activations below its threshold. Default 0.995. */
  quantile?: number;
  /** The IoU from which a unit counts as a detector of its best concept. Default 0.04. */
  iouThreshold?: number;
  /** Shuffles of the masks across images, per unit and concept. Default 1000. */
  permutations?: number;
  /** Random orthonormal directions dissected as the baseline. Default: as many as units (at most the channel count). 0 skips them. */
  randomDirections?: number;
  /** Dissect these directions of channel space (rows, e.g. CAVs) instead of the units. */
  directions?: number[][];
  /** Level for `significant` (on BH-adjusted p). Default 0.05. */
  alpha?: number;
  seed?: number;
}

export interface LayerDissectOptions extends DissectOptions {
  layer: LayerRef;
  batchSize?: number;
}

export interface DissectedUnit {
  /** The unit (channel), or the row of `directions`. */
  unit: number;
  threshold: number;
  /** IoU with each concept, in `concepts` order. */
  iou: number[];
  /** Permutation p-value of each IoU (masks shuffled across images), and BH-adjusted over all units × concepts. */
  p: number[];
  pAdjusted: number[];
  /** The best concept when its IoU reaches `iouThreshold`, else null. */
  label: string | null;
  bestIou: number;
  /** Labelled, and its label's adjusted p below `alpha`. */
  significant: boolean;
}

export interface DissectionSet {
  units: DissectedUnit[];
  /** Units labelled by the IoU rule (Bau et al.). */
  detectors: number;
  /** ...whose label also survives the shuffled-masks control. */
  significantDetectors: number;
}

export interface Dissection extends DissectionSet {
  layer: string;
  concepts: string[];
  /** Pixels of each concept over the data set, in `concepts` order (a concept nearly absent cannot be detected). */
  conceptPixels: number[];
  examples: number;
  quantile: number;
  iouThreshold: number;
  alpha: number;
  permutations: number;
  /** The same dissection of random orthonormal directions. */
  random: DissectionSet & { directions: number };
  /** Best IoU of the units vs of the random directions (permutation test, greater); absent without random directions. */
  comparison?: PermutationResult;
}

/** Dissects `layer` of `model` on `images` against `concepts` (masks of the same images). */
export async function dissect(model: tf.LayersModel | tf.GraphModel, images: tf.Tensor, concepts: ConceptMasks, options: LayerDissectOptions): Promise<Dissection> {
  const acts = await layerActivations(model, images, { layer: options.layer, batchSize: options.batchSize });
  return dissectActivations(acts, concepts, options);
}

/** Dissection of activation maps [n, h, w, channels] (e.g. `layerActivations`) against `concepts`. */
export async function dissectActivations(acts: ArrayWithShape & { layer?: string }, concepts: ConceptMasks, options: DissectOptions = {}): Promise<Dissection> {
  checkConceptMasks(concepts);
  const { shape } = acts;
  if (shape.length !== 4) throw new InterpError("shape-mismatch", `dissection needs spatial activation maps [n, height, width, channels], got [${shape.join(", ")}]; dense layers have no map to compare with a mask`);
  const [n, , , channels] = shape;
  if (concepts.examples !== n) throw new InterpError("shape-mismatch", `${n} images of activations but masks for ${concepts.examples}; pass the masks of the same images`);
  const quantile = options.quantile ?? 0.995;
  const iouThreshold = options.iouThreshold ?? 0.04;
  const permutations = options.permutations ?? 1000;
  const alpha = options.alpha ?? 0.05;
  if (!(quantile > 0 && quantile < 1)) throw new InterpError("invalid-input", `quantile must be in (0, 1), got ${quantile}`);
  if (!(Number.isInteger(permutations) && permutations >= 1)) throw new InterpError("invalid-input", `permutations must be a positive integer, got ${permutations}`);
  const rng = createRng(options.seed ?? 0);
  const masks = concepts.masks.map((mask) => packImages(mask, n, concepts.height * concepts.width));
  const conceptPixels = masks.map(countBits);
  const settings = { concepts, masks, conceptPixels, quantile, iouThreshold, permutations, alpha };

  const randomCount = options.randomDirections ?? Math.min(options.directions?.length ?? channels, channels);
  if (!(Number.isInteger(randomCount) && randomCount >= 0 && randomCount <= channels)) {
    throw new InterpError("invalid-input", `randomDirections must be an integer in [0, ${channels}] (orthonormal directions of ${channels} channels), got ${randomCount}`);
  }
  // A task: progress in mask shuffles (of the units, then of the random directions); an interrupt stops it between chunks of them.
  const { units, random } = await withTask("dissect", permutations * (randomCount ? 2 : 1), "permutations", async (task) => {
    const units = await dissectSet(maps(acts, options.directions), settings, rng.fork("units"), task);
    const randomRng = rng.fork("random directions");
    const random = randomCount ? await dissectSet(maps(acts, orthonormalDirections(randomCount, channels, randomRng)), settings, randomRng, task) : { units: [], detectors: 0, significantDetectors: 0 };
    return { units, random };
  });
  const comparison = randomCount
    ? permutationTest(
        units.units.map((u) => u.bestIou),
        random.units.map((u) => u.bestIou),
        { alternative: "greater", seed: (options.seed ?? 0) + 1 },
      )
    : undefined;
  return {
    layer: acts.layer ?? "activations",
    concepts: [...concepts.concepts],
    conceptPixels,
    examples: n,
    quantile,
    iouThreshold,
    alpha,
    permutations,
    ...units,
    random: { ...random, directions: randomCount },
    ...(comparison ? { comparison } : {}),
  };
}

/** Mask shuffles between two progress reports (and interrupt checks). */
const PERMUTATIONS_PER_CHUNK = 50;

interface Settings {
  concepts: ConceptMasks;
  masks: Uint32Array[];
  conceptPixels: number[];
  quantile: number;
  iouThreshold: number;
  permutations: number;
  alpha: number;
}

/** Maps [n, h, w, K] of the units themselves or of `directions` (K rows over the channels). */
function maps(acts: ArrayWithShape, directions?: number[][]): tf.Tensor4D {
  const [n, h, w, channels] = acts.shape;
  const values = acts.data instanceof Float32Array ? acts.data : Float32Array.from(acts.data);
  if (!directions) return tf.tensor4d(values, [n, h, w, channels]);
  directions.forEach((row, d) => {
    if (row.length !== channels) throw new InterpError("shape-mismatch", `direction ${d} has ${row.length} values; the layer has ${channels} channels`);
  });
  return tf.tidy(() => tf.matMul(tf.tensor2d(values, [n * h * w, channels]), tf.tensor2d(directions), false, true).reshape([n, h, w, directions.length]));
}

async function dissectSet(mapsTensor: tf.Tensor4D, s: Settings, rng: Rng, task: Task): Promise<DissectionSet> {
  const [n, h, w, k] = mapsTensor.shape;
  const { height, width } = s.concepts;
  const pixels = height * width;
  const values = mapsTensor.dataSync();
  const thresholds = Array.from({ length: k }, (_, unit) => {
    const own = new Float32Array(n * h * w);
    for (let i = 0; i < own.length; i++) own[i] = values[i * k + unit];
    return quantiles(own, [s.quantile])[0];
  });
  // Bit-packed Mₖ(i): one [n × words] array per unit.
  const words = Math.ceil(pixels / 32);
  const unitMasks = Array.from({ length: k }, () => new Uint32Array(n * words));
  tf.tidy(() => {
    const up = tf.image.resizeBilinear(mapsTensor, [height, width], false, true);
    const above = tf.greater(up, tf.tensor1d(thresholds)).dataSync();
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < pixels; p++) {
        const base = (i * pixels + p) * k;
        for (let unit = 0; unit < k; unit++) if (above[base + unit]) unitMasks[unit][i * words + (p >>> 5)] |= 1 << (p & 31);
      }
    }
  });
  mapsTensor.dispose();
  const unitPixels = unitMasks.map(countBits);
  const concepts = s.masks.length;
  const iou = (unit: number, c: number, inter: number) => {
    const union = unitPixels[unit] + s.conceptPixels[c] - inter;
    return union > 0 ? inter / union : 0;
  };
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  const observed = intersections(unitMasks, s.masks, identity, words);
  const nulls = Array.from({ length: k * concepts }, () => new Float64Array(s.permutations));
  for (let r = 0; r < s.permutations; r++) {
    if (r % PERMUTATIONS_PER_CHUNK === 0) {
      if (r > 0) {
        task.advance(PERMUTATIONS_PER_CHUNK);
        await tf.nextFrame();
      }
      task.check();
    }
    const shuffled = intersections(unitMasks, s.masks, rng.permutation(n), words);
    for (let unit = 0; unit < k; unit++) for (let c = 0; c < concepts; c++) nulls[unit * concepts + c][r] = iou(unit, c, shuffled[unit * concepts + c]);
  }
  task.advance(s.permutations - PERMUTATIONS_PER_CHUNK * Math.floor((s.permutations - 1) / PERMUTATIONS_PER_CHUNK));
  const ious = Array.from({ length: k }, (_, unit) => Array.from({ length: concepts }, (_, c) => iou(unit, c, observed[unit * concepts + c])));
  const p = ious.map((row, unit) => row.map((value, c) => permutationPValue(value, nulls[unit * concepts + c], "greater", false)));
  const adjusted = adjustPValues(p.flat(), "bh");
  const units = ious.map((row, unit): DissectedUnit => {
    const best = row.reduce((b, v, c) => (v > row[b] ? c : b), 0);
    const label = row[best] >= s.iouThreshold ? s.concepts.concepts[best] : null;
    const pAdjusted = adjusted.slice(unit * concepts, (unit + 1) * concepts);
    return { unit, threshold: thresholds[unit], iou: row, p: p[unit], pAdjusted, label, bestIou: row[best], significant: label !== null && pAdjusted[best] < s.alpha };
  });
  return { units, detectors: units.filter((u) => u.label).length, significantDetectors: units.filter((u) => u.significant).length };
}

/** Σᵢ |Mₖ(i) ∧ L꜀(order[i])| for every unit k and concept c, [k × concepts]. */
function intersections(units: Uint32Array[], concepts: Uint32Array[], order: ArrayLike<number>, words: number): Float64Array {
  const out = new Float64Array(units.length * concepts.length);
  const n = order.length;
  for (let unit = 0; unit < units.length; unit++) {
    const m = units[unit];
    for (let i = 0; i < n; i++) {
      const mi = i * words, li = order[i] * words;
      for (let c = 0; c < concepts.length; c++) {
        const l = concepts[c];
        let s = 0;
        for (let word = 0; word < words; word++) s += popcount(m[mi + word] & l[li + word]);
        out[unit * concepts.length + c] += s;
      }
    }
  }
  return out;
}

function packImages(mask: Uint8Array, n: number, pixels: number): Uint32Array {
  const words = Math.ceil(pixels / 32);
  const packed = new Uint32Array(n * words);
  for (let i = 0; i < n; i++) for (let p = 0; p < pixels; p++) if (mask[i * pixels + p]) packed[i * words + (p >>> 5)] |= 1 << (p & 31);
  return packed;
}

function countBits(packed: Uint32Array): number {
  let s = 0;
  for (let i = 0; i < packed.length; i++) s += popcount(packed[i]);
  return s;
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** `count` orthonormal rows in R^channels: Gram–Schmidt on Gaussian draws (a uniformly random rotation's rows). */
export function orthonormalDirections(count: number, channels: number, rng: Rng): number[][] {
  const rows: number[][] = [];
  while (rows.length < count) {
    const v = Array.from({ length: channels }, () => rng.normal());
    for (const u of rows) {
      const dot = v.reduce((s, x, j) => s + x * u[j], 0);
      for (let j = 0; j < channels; j++) v[j] -= dot * u[j];
    }
    const norm = Math.hypot(...v);
    if (norm > 1e-8) rows.push(v.map((x) => x / norm));
  }
  return rows;
}
