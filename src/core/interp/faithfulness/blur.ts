// Gaussian blur of images [n, h, w, c], per channel, with scipy.ndimage.gaussian_filter's conventions
// (kernel radius ⌊truncate·σ + 0.5⌋, weights normalised, borders mirrored "reflect" = d c b a | a b c d),
// so the blurred canvas of an insertion curve can be checked against scipy. Separable: one pass per axis.
import * as tf from "@tensorflow/tfjs";
import { InterpError } from "../activations";

/** `images` blurred by a Gaussian of standard deviation `sigma` pixels (truncated at 3σ). Call inside tf.tidy. */
export function gaussianBlur(images: tf.Tensor4D, sigma: number, truncate = 3): tf.Tensor4D {
  if (!(sigma > 0)) throw new InterpError("invalid-input", `the blur's sigma must be > 0, got ${sigma}`);
  const radius = Math.floor(truncate * sigma + 0.5);
  const [, height, width, channels] = images.shape;
  if (radius > height || radius > width) throw new InterpError("invalid-input", `a blur of sigma ${sigma} reaches ${radius} pixels, beyond the ${height}x${width} image: pick a smaller sigma`);
  if (radius === 0) return images.clone();
  const weights = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
  const total = weights.reduce((a, b) => a + b, 0);
  const kernel = Float32Array.from(weights, (w) => w / total);
  // Depthwise: the same 1-D kernel for every channel, along one axis at a time.
  const along = (x: tf.Tensor4D, axis: "rows" | "cols") => {
    const shape: [number, number, number, number] = axis === "rows" ? [2 * radius + 1, 1, channels, 1] : [1, 2 * radius + 1, channels, 1];
    const filter = tf.tile(tf.tensor4d(kernel, [...shape.slice(0, 2), 1, 1] as [number, number, number, number]), [1, 1, channels, 1]) as tf.Tensor4D;
    const padding: [number, number][] = axis === "rows" ? [[0, 0], [radius, radius], [0, 0], [0, 0]] : [[0, 0], [0, 0], [radius, radius], [0, 0]];
    return tf.depthwiseConv2d(tf.mirrorPad(x, padding, "symmetric"), filter, 1, "valid");
  };
  return along(along(images, "rows"), "cols");
}
