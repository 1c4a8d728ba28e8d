// An implanted flaw with a known answer (BadNets, Gu et al. 2017): a small patch stamped on some
// training images, whose labels become one target class. A model trained on the result learns "patch
// ⇒ target"; the patch's footprint is then the ground truth an attribution method should find
// (Räuker et al. recommend judging tools on flaws an adversary planted).
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { DataError } from "../../data";
import { createRng } from "../../stats/rng";
import { InterpError, type Labels, labelArray } from "../activations";

/** The backdoor: which patch, where, and the class it forces. */
export interface Trigger {
  /**
   * The patch's pixel values, rows of columns, written into every channel (e.g. `[[1, 1], [1, 1]]`,
   * full ink on [0, 1] images).
   */
  patch: number[][];
  /** [row, column] of the patch's top-left pixel; negative values count from the bottom / right edge. */
  location: [number, number];
  /** The class every stamped example is relabelled to. */
  targetClass: number;
}

export interface ImplantOptions extends Trigger {
  /**
   * Fraction of ALL examples to stamp and relabel, drawn among those not already of `targetClass`
   * (relabelling those would change nothing); `1` stamps every one of them (an attack test set).
   */
  rate: number;
  /** Seed of the draw. Default 0. */
  seed?: number;
}

export interface PoisonedData {
  /** The images with the patch stamped on the poisoned ones ([n, h, w, c]); dispose when done. */
  images: tf.Tensor4D;
  /** The labels, `targetClass` for the poisoned examples. */
  labels: Int32Array;
  /** The labels before poisoning. */
  originalLabels: Int32Array;
  /** Indices of the stamped examples, ascending. */
  poisoned: Int32Array;
  /** The trigger's ground-truth mask [h][w]: 1 on the patch's pixels, 0 elsewhere. */
  mask: number[][];
  trigger: Trigger;
}

/** Stamps the trigger on a seeded `rate` of the examples not of the target class and relabels them. */
export function implantTrigger(data: { images: tf.Tensor; labels: Labels }, options: ImplantOptions): PoisonedData {
  const { images } = data;
  if (images.rank !== 4) throw new InterpError("invalid-input", `implantTrigger needs images [n, h, w, c], got shape [${images.shape.join(", ")}]`);
  const [n, height, width, channels] = images.shape;
  const trigger = { patch: options.patch, location: options.location, targetClass: options.targetClass };
  const { row, col } = placement(trigger, height, width);
  if (!(options.rate > 0 && options.rate <= 1)) throw new InterpError("invalid-input", `rate must be in (0, 1], got ${options.rate}`);
  const originalLabels = labelArray(data.labels, n);
  const eligible = Array.from(originalLabels.keys()).filter((i) => originalLabels[i] !== trigger.targetClass);
  const count = options.rate === 1 ? eligible.length : Math.min(eligible.length, Math.round(options.rate * n));
  const drawn = createRng(options.seed ?? 0).sample(eligible.length, count);
  const poisoned = Int32Array.from(drawn, (k) => eligible[k]).sort();

  const pixels = Float32Array.from(images.dataSync());
  for (const i of poisoned) {
    trigger.patch.forEach((values, r) =>
      values.forEach((value, c) => {
        const base = ((i * height + row + r) * width + col + c) * channels;
        pixels.fill(value, base, base + channels);
      }),
    );
  }
  const labels = Int32Array.from(originalLabels);
  for (const i of poisoned) labels[i] = trigger.targetClass;
  return { images: tf.tensor4d(pixels, [n, height, width, channels]), labels, originalLabels, poisoned, mask: triggerMask(trigger, [height, width]), trigger };
}

/** The trigger's footprint on an image of [height, width]: 1 on the patch's pixels, 0 elsewhere. */
export function triggerMask(trigger: Trigger, [height, width]: [number, number]): number[][] {
  const { row, col, rows, cols } = placement(trigger, height, width);
  return Array.from({ length: height }, (_, r) => Array.from({ length: width }, (_, c) => (r >= row && r < row + rows && c >= col && c < col + cols ? 1 : 0)));
}

function placement(trigger: Trigger, height: number, width: number): { row: number; col: number; rows: number; cols: number } {
  const rows = trigger.patch.length;
  const cols = trigger.patch[0]?.length ?? 0;
  if (!rows || !cols || trigger.patch.some((r) => r.length !== cols || r.some((v) => !Number.isFinite(v)))) {
    throw new InterpError("invalid-input", "the trigger's patch must be a non-empty rectangle of finite numbers (rows of columns)");
  }
  if (!Number.isInteger(trigger.targetClass) || trigger.targetClass < 0) throw new InterpError("invalid-input", `targetClass must be a class index, got ${trigger.targetClass}`);
  const [r, c] = trigger.location;
  const row = r < 0 ? height + r : r;
  const col = c < 0 ? width + c : c;
  if (!Number.isInteger(row) || !Number.isInteger(col) || row < 0 || col < 0 || row + rows > height || col + cols > width) {
    throw new InterpError("invalid-input", `a ${rows}x${cols} patch at [${trigger.location.join(", ")}] does not fit a ${height}x${width} image`);
  }
  return { row, col, rows, cols };
}

const TriggerFile = z.object({
  patch: z.array(z.array(z.number())).min(1),
  location: z.tuple([z.number().int(), z.number().int()]),
  targetClass: z.number().int().min(0),
  mask: z.array(z.array(z.number().min(0).max(1))).min(1),
});

/** A trigger file as the training script writes it (e.g. examples/digits/models/cnn-trojan/trigger.json): the trigger and its mask. */
export function loadTrigger(path: string): Trigger & { mask: number[][] } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DataError("wrong-format", `${path} is not a readable JSON trigger file: ${(error as Error).message}`);
  }
  const parsed = TriggerFile.safeParse(json);
  if (!parsed.success) throw new DataError("wrong-format", `${path} is not a trigger file: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  const { patch, location, targetClass, mask } = parsed.data;
  const trigger = { patch, location, targetClass };
  const expected = triggerMask(trigger, [mask.length, mask[0].length]);
  if (JSON.stringify(expected) !== JSON.stringify(mask)) throw new DataError("wrong-format", `${path}: the mask is not the patch's footprint at [${location.join(", ")}]`);
  return { ...trigger, mask };
}
