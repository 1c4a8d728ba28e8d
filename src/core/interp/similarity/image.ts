// A greyscale map as the similarity measures see it: rows of columns of numbers.
import { DataError } from "../../data";

export type Map2D = ArrayLike<ArrayLike<number>>;

export function mapShape(map: Map2D, what: string): [number, number] {
  const rows = map.length;
  const cols = rows ? map[0].length : 0;
  if (!rows || !cols) throw new DataError("invalid-argument", `${what} is empty`);
  for (let r = 0; r < rows; r++) {
    if (map[r].length !== cols) throw new DataError("invalid-argument", `${what} is ragged: row ${r} has ${map[r].length} values, row 0 has ${cols}`);
  }
  return [rows, cols];
}

export function checkSameShape(a: Map2D, b: Map2D): [number, number] {
  const [ra, ca] = mapShape(a, "the first map");
  const [rb, cb] = mapShape(b, "the second map");
  if (ra !== rb || ca !== cb) throw new DataError("invalid-argument", `maps differ in shape: ${ra}x${ca} vs ${rb}x${cb}`);
  return [ra, ca];
}

export function flatten(map: Map2D, transform: (v: number) => number = (v) => v): Float64Array {
  const [rows, cols] = mapShape(map, "map");
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = transform(map[r][c]);
  return out;
}

/** |map| scaled to [0, 1] by its maximum (all zeros stays zeros): Adebayo et al.'s normalisation before SSIM. */
export function normalizeAbs(map: Map2D): number[][] {
  const [rows, cols] = mapShape(map, "map");
  let max = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(map[r][c]));
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => (max ? Math.abs(map[r][c]) / max : 0)));
}
