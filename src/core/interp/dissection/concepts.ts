// Concept masks: per concept, which pixels of which image show it. Dissection scores units against
// them. Users bring their own (segmentations, hand labels); for the digits data set Falsify computes
// four from the images by morphology, so dissection runs offline (see DIGIT_CONCEPTS).
import * as tf from "@tensorflow/tfjs";
import { type ArrayWithShape, InterpError } from "../activations";
import { and, type BinaryImage, binarize, dilate3x3, enclosed, endpoints, openByLine, thin } from "./morphology";

/** Per concept, an n × height × width mask (1 where the concept is present), row-major per image. */
export interface ConceptMasks {
  concepts: string[];
  masks: Uint8Array[];
  examples: number;
  height: number;
  width: number;
}

/**
 * The digits' procedural concepts, computed on the ink (pixels ≥ `threshold`, default 0.5 of the
 * [0, 1] scale, i.e. counts ≥ 8 of 16):
 * - `enclosed-loop`: background no 4-connected path joins to the border: the inside of a 0, 6, 8, 9
 *   (and of many 4s);
 * - `vertical-stroke`: ink on a vertical run of at least 3 ink pixels (opening by a 3 × 1 line);
 * - `top-bar`: ink on a horizontal run of at least 3 (opening by 1 × 3) within the top two rows
 *   of the digit's ink: the bar of a 5 or a 7;
 * - `endpoint`: ink within one pixel (3 × 3) of an end of the skeleton (Guo–Hall thinning): where
 *   strokes stop, as in 1, 2, 3, 5, 7.
 */
export const DIGIT_CONCEPTS = ["enclosed-loop", "vertical-stroke", "top-bar", "endpoint"] as const;

export interface DigitConceptOptions {
  /** Ink threshold on the [0, 1] pixel scale. Default 0.5. */
  threshold?: number;
}

/** The four procedural concept masks (DIGIT_CONCEPTS) of greyscale images [n, h, w] or [n, h, w, 1]. */
export function digitConcepts(images: tf.Tensor | ArrayWithShape, options: DigitConceptOptions = {}): ConceptMasks {
  const { data, shape } = images instanceof tf.Tensor ? { data: images.dataSync(), shape: images.shape } : images;
  if (!(shape.length === 3 || (shape.length === 4 && shape[3] === 1))) {
    throw new InterpError("shape-mismatch", `digitConcepts needs greyscale images [n, height, width] or [n, height, width, 1], got [${shape.join(", ")}]`);
  }
  const [n, height, width] = shape;
  const threshold = options.threshold ?? 0.5;
  const size = height * width;
  const masks = DIGIT_CONCEPTS.map(() => new Uint8Array(n * size));
  for (let i = 0; i < n; i++) {
    const ink = binarize(data, height, width, threshold, i * size);
    digitConceptsOf(ink).forEach((mask, c) => masks[c].set(mask.data, i * size));
  }
  return { concepts: [...DIGIT_CONCEPTS], masks, examples: n, height, width };
}

/** The four concepts of one binarised digit, in DIGIT_CONCEPTS order. */
export function digitConceptsOf(ink: BinaryImage): BinaryImage[] {
  const horizontal = openByLine(ink, "horizontal", 3);
  const top = inkTop(ink);
  const topBar: BinaryImage = { ...horizontal, data: horizontal.data.map((v, i) => (v && Math.floor(i / ink.width) < top + 2 ? 1 : 0)) };
  return [enclosed(ink), openByLine(ink, "vertical", 3), topBar, and(dilate3x3(endpoints(thin(ink))), ink)];
}

/** The first row with ink (the height when there is none). */
function inkTop(ink: BinaryImage): number {
  const first = ink.data.indexOf(1);
  return first < 0 ? ink.height : Math.floor(first / ink.width);
}

/** Checks user-provided masks: names, one mask per concept, each n × height × width of 0/1. */
export function checkConceptMasks(concepts: ConceptMasks): void {
  const { examples: n, height, width } = concepts;
  if (!(Number.isInteger(n) && n > 0 && Number.isInteger(height) && height > 0 && Number.isInteger(width) && width > 0)) {
    throw new InterpError("invalid-input", `concept masks need positive integer examples, height and width, got ${n}, ${height}, ${width}`);
  }
  if (concepts.concepts.length === 0 || concepts.concepts.length !== concepts.masks.length) {
    throw new InterpError("invalid-input", `concept masks: ${concepts.concepts.length} names and ${concepts.masks.length} masks; pass one mask per named concept`);
  }
  concepts.masks.forEach((mask, c) => {
    if (mask.length !== n * height * width) throw new InterpError("shape-mismatch", `concept "${concepts.concepts[c]}": ${mask.length} values, expected ${n} × ${height} × ${width}`);
    const bad = mask.findIndex((v) => v !== 0 && v !== 1);
    if (bad >= 0) throw new InterpError("invalid-input", `concept "${concepts.concepts[c]}": value ${mask[bad]} at ${bad}; masks hold 0 or 1`);
  });
}
