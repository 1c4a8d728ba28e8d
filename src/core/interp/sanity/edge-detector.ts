// The model-free control of the sanity checks: a Sobel edge map of the input. An attribution method
// whose maps look like this one may be showing the image's edges rather than what the model uses.
import type { Map2D } from "../similarity";
import { mapShape } from "../similarity/image";

/**
 * Sobel gradient magnitude √(Gx² + Gy²) with the unnormalised 3x3 kernels ([1, 2, 1] smoothing,
 * [−1, 0, 1] difference) and edge-replicating borders, so a flat image gives 0 everywhere and a unit
 * step gives 4 on the two pixels beside it.
 */
export function sobelMagnitude(image: Map2D): number[][] {
  const [rows, cols] = mapShape(image, "sobel: image");
  const at = (r: number, c: number) => image[Math.min(rows - 1, Math.max(0, r))][Math.min(cols - 1, Math.max(0, c))];
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => {
      const gx = at(r - 1, c + 1) + 2 * at(r, c + 1) + at(r + 1, c + 1) - at(r - 1, c - 1) - 2 * at(r, c - 1) - at(r + 1, c - 1);
      const gy = at(r + 1, c - 1) + 2 * at(r + 1, c) + at(r + 1, c + 1) - at(r - 1, c - 1) - 2 * at(r - 1, c) - at(r - 1, c + 1);
      return Math.hypot(gx, gy);
    }),
  );
}
