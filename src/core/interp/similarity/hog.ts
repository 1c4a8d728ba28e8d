// Histogram of oriented gradients (Dalal & Triggs 2005) as skimage.feature.hog computes it, and the
// HOG similarity of two maps (Pearson correlation of their descriptors) used by Adebayo et al.
//
// skimage's conventions, reproduced exactly: central differences with zero gradient on the border
// rows/columns; unsigned orientation atan2(g_row, g_col) in degrees mod 180; hard binning into
// [i·180/n, (i+1)·180/n); a cell's bin = Σ magnitudes / cell area; overlapping blocks of cells,
// normalised (L2-Hys by default), flattened as (block row, block col, cell row, cell col, bin).
import { pearsonR } from "../../stats/correlation";
import { DataError } from "../../data";
import { checkSameShape, mapShape, type Map2D } from "./image";

export interface HogOptions {
  /** Default 9. */
  orientations?: number;
  /** Cell size [rows, cols]. Default [2, 2] (skimage's 8x8 default would make an 8x8 digit one cell). */
  pixelsPerCell?: [number, number];
  /** Block size in cells. Default [2, 2]. */
  cellsPerBlock?: [number, number];
  /** Default `L2-Hys`. */
  blockNorm?: "L1" | "L1-sqrt" | "L2" | "L2-Hys";
}

export function hog(image: Map2D, options: HogOptions = {}): Float64Array {
  const [rows, cols] = mapShape(image, "hog: image");
  const orientations = options.orientations ?? 9;
  const [cellRows, cellCols] = options.pixelsPerCell ?? [2, 2];
  const [blockRows, blockCols] = options.cellsPerBlock ?? [2, 2];
  const norm = options.blockNorm ?? "L2-Hys";
  const nCellRows = Math.floor(rows / cellRows);
  const nCellCols = Math.floor(cols / cellCols);
  const nBlockRows = nCellRows - blockRows + 1;
  const nBlockCols = nCellCols - blockCols + 1;
  if (nBlockRows < 1 || nBlockCols < 1) throw new DataError("invalid-argument", `hog: a ${rows}x${cols} image is too small for ${blockRows}x${blockCols} blocks of ${cellRows}x${cellCols} pixels`);

  const histogram = new Float64Array(nCellRows * nCellCols * orientations);
  const binWidth = 180 / orientations;
  for (let r = 0; r < nCellRows * cellRows; r++) {
    for (let c = 0; c < nCellCols * cellCols; c++) {
      const gRow = r === 0 || r === rows - 1 ? 0 : image[r + 1][c] - image[r - 1][c];
      const gCol = c === 0 || c === cols - 1 ? 0 : image[r][c + 1] - image[r][c - 1];
      const magnitude = Math.hypot(gRow, gCol);
      const angle = ((Math.atan2(gRow, gCol) * DEGREES) % 180 + 180) % 180;
      const bin = Math.min(orientations - 1, Math.floor(angle / binWidth));
      const cell = Math.floor(r / cellRows) * nCellCols + Math.floor(c / cellCols);
      histogram[cell * orientations + bin] += magnitude / (cellRows * cellCols);
    }
  }

  const blockSize = blockRows * blockCols * orientations;
  const out = new Float64Array(nBlockRows * nBlockCols * blockSize);
  const block = new Float64Array(blockSize);
  for (let br = 0; br < nBlockRows; br++) {
    for (let bc = 0; bc < nBlockCols; bc++) {
      let k = 0;
      for (let r = br; r < br + blockRows; r++) {
        for (let c = bc; c < bc + blockCols; c++) {
          for (let o = 0; o < orientations; o++) block[k++] = histogram[(r * nCellCols + c) * orientations + o];
        }
      }
      out.set(normalizeBlock(block, norm), (br * nBlockCols + bc) * blockSize);
    }
  }
  return out;
}

/** Pearson correlation of the two maps' HOG descriptors; NaN when a descriptor is constant (e.g. a flat map). */
export function hogSimilarity(a: Map2D, b: Map2D, options: HogOptions = {}): number {
  checkSameShape(a, b);
  return pearsonR(hog(a, options), hog(b, options));
}

const EPS = 1e-5;
// Multiplying by the constant (as numpy.rad2deg does) keeps angles on bin edges in the same bin as skimage.
const DEGREES = 180 / Math.PI;

function normalizeBlock(block: Float64Array, norm: NonNullable<HogOptions["blockNorm"]>): Float64Array {
  const l1 = () => block.reduce((s, v) => s + Math.abs(v), 0) + EPS;
  const l2 = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) + EPS * EPS);
  switch (norm) {
    case "L1": {
      const s = l1();
      return block.map((v) => v / s);
    }
    case "L1-sqrt": {
      const s = l1();
      return block.map((v) => Math.sqrt(v / s));
    }
    case "L2": {
      const s = l2(block);
      return block.map((v) => v / s);
    }
    case "L2-Hys": {
      const s = l2(block);
      const clipped = block.map((v) => Math.min(v / s, 0.2));
      const s2 = l2(clipped);
      return clipped.map((v) => v / s2);
    }
  }
}
