// Structural similarity (Wang et al. 2004) with the conventions of skimage.metrics.structural_similarity
// (its defaults: 7x7 uniform window, K1 = 0.01, K2 = 0.03, sample covariance), mean over the windows
// that lie fully inside the image, which is what skimage's cropped mean amounts to.
import { DataError } from "../../data";
import { checkSameShape, type Map2D } from "./image";

export interface SsimOptions {
  /** Range of possible values (max − min). Default 1, right for maps normalised to [0, 1]. */
  dataRange?: number;
  /** Odd window side. Default 7, reduced to the largest odd size that fits a smaller map. */
  winSize?: number;
  k1?: number;
  k2?: number;
}

export function ssim(a: Map2D, b: Map2D, options: SsimOptions = {}): number {
  const [rows, cols] = checkSameShape(a, b);
  const fits = Math.min(rows, cols) % 2 ? Math.min(rows, cols) : Math.min(rows, cols) - 1;
  const win = options.winSize ?? Math.min(7, fits);
  if (win % 2 !== 1 || win > Math.min(rows, cols) || win < 1) throw new DataError("invalid-argument", `ssim: winSize must be odd and at most ${Math.min(rows, cols)}, got ${win}`);
  const range = options.dataRange ?? 1;
  const c1 = ((options.k1 ?? 0.01) * range) ** 2;
  const c2 = ((options.k2 ?? 0.03) * range) ** 2;
  const np = win * win;
  const covNorm = np / (np - 1);
  let total = 0;
  let windows = 0;
  for (let r0 = 0; r0 + win <= rows; r0++) {
    for (let c0 = 0; c0 + win <= cols; c0++) {
      let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
      for (let r = r0; r < r0 + win; r++) {
        for (let c = c0; c < c0 + win; c++) {
          const x = a[r][c], y = b[r][c];
          sx += x;
          sy += y;
          sxx += x * x;
          syy += y * y;
          sxy += x * y;
        }
      }
      const ux = sx / np, uy = sy / np;
      const vx = covNorm * (sxx / np - ux * ux);
      const vy = covNorm * (syy / np - uy * uy);
      const vxy = covNorm * (sxy / np - ux * uy);
      total += ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
      windows++;
    }
  }
  return total / windows;
}
