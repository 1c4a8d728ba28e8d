// Binary morphology on small images, the building blocks of procedural concept masks: thresholding,
// openings by a line (strokes), hole filling (enclosed regions), thinning to a one-pixel skeleton
// and its endpoints. Each operation matches its scikit-image / scipy.ndimage counterpart (named
// below; test/reference/interp/generate_concepts.py checks them on the digits).

/** A binary image: `data[row * width + column]` is 1 (set) or 0. */
export interface BinaryImage {
  data: Uint8Array;
  height: number;
  width: number;
}

const at = (image: BinaryImage, row: number, column: number): number =>
  row >= 0 && row < image.height && column >= 0 && column < image.width ? image.data[row * image.width + column] : 0;

function blank(like: BinaryImage): BinaryImage {
  return { data: new Uint8Array(like.height * like.width), height: like.height, width: like.width };
}

/** Pixels at or above `threshold`, of the image starting at `offset` in `values`. */
export function binarize(values: ArrayLike<number>, height: number, width: number, threshold: number, offset = 0): BinaryImage {
  const data = new Uint8Array(height * width);
  for (let i = 0; i < data.length; i++) data[i] = values[offset + i] >= threshold ? 1 : 0;
  return { data, height, width };
}

/**
 * Opening by a straight line of `length` pixels (`vertical` or `horizontal`): the set pixels that lie
 * on some run of `length` set pixels in that direction, inside the image. Equals
 * `scipy.ndimage.binary_opening(image, np.ones((length, 1)))` (resp. `(1, length)`).
 */
export function openByLine(image: BinaryImage, direction: "vertical" | "horizontal", length: number): BinaryImage {
  const out = blank(image);
  const [dr, dc] = direction === "vertical" ? [1, 0] : [0, 1];
  for (let r = 0; r < image.height; r++) {
    for (let c = 0; c < image.width; c++) {
      let run = 0;
      while (run < length && at(image, r + run * dr, c + run * dc)) run++;
      if (run < length) continue;
      for (let k = 0; k < length; k++) out.data[(r + k * dr) * image.width + c + k * dc] = 1;
    }
  }
  return out;
}

/**
 * The unset pixels that no 4-connected path of unset pixels joins to the border: the insides of
 * closed loops. Equals `scipy.ndimage.binary_fill_holes(image) & ~image`.
 */
export function enclosed(image: BinaryImage): BinaryImage {
  const { height, width } = image;
  const outside = new Uint8Array(height * width);
  const stack: number[] = [];
  const visit = (r: number, c: number) => {
    const i = r * width + c;
    if (!image.data[i] && !outside[i]) {
      outside[i] = 1;
      stack.push(i);
    }
  };
  for (let c = 0; c < width; c++) {
    visit(0, c);
    visit(height - 1, c);
  }
  for (let r = 0; r < height; r++) {
    visit(r, 0);
    visit(r, width - 1);
  }
  while (stack.length) {
    const i = stack.pop()!;
    const r = Math.floor(i / width), c = i % width;
    if (r > 0) visit(r - 1, c);
    if (r < height - 1) visit(r + 1, c);
    if (c > 0) visit(r, c - 1);
    if (c < width - 1) visit(r, c + 1);
  }
  const out = blank(image);
  for (let i = 0; i < out.data.length; i++) out.data[i] = !image.data[i] && !outside[i] ? 1 : 0;
  return out;
}

/**
 * Thinning to a one-pixel-wide, 8-connected skeleton: Guo & Hall's (1989) two-subiteration
 * algorithm A1, as `skimage.morphology.thin` (and MATLAB's `bwmorph(..., "thin", Inf)`). Neighbours
 * x1..x8 run counter-clockwise from east; a pixel is removed when
 *   G1: exactly one of the four (x₂ᵢ₋₁ unset and (x₂ᵢ or x₂ᵢ₊₁) set),
 *   G2: 2 ≤ min(N1, N2) ≤ 3 with N1 = Σ (x₂ₖ₋₁ ∨ x₂ₖ), N2 = Σ (x₂ₖ ∨ x₂ₖ₊₁),
 *   G3: (x2 ∨ x3 ∨ ¬x8) ∧ x1 is false (first subiteration), (x6 ∨ x7 ∨ ¬x4) ∧ x5 false (second),
 * all pixels of a subiteration decided on the image before it; repeated until nothing changes.
 */
export function thin(image: BinaryImage): BinaryImage {
  const out: BinaryImage = { data: Uint8Array.from(image.data), height: image.height, width: image.width };
  const x = new Array<number>(10);
  for (let changed = true; changed; ) {
    changed = false;
    for (const second of [false, true]) {
      const removed: number[] = [];
      for (let r = 0; r < out.height; r++) {
        for (let c = 0; c < out.width; c++) {
          if (!out.data[r * out.width + c]) continue;
          // x[1..8]: E, NE, N, NW, W, SW, S, SE; x[9] = x[1] closes the ring.
          x[1] = at(out, r, c + 1); x[2] = at(out, r - 1, c + 1); x[3] = at(out, r - 1, c); x[4] = at(out, r - 1, c - 1);
          x[5] = at(out, r, c - 1); x[6] = at(out, r + 1, c - 1); x[7] = at(out, r + 1, c); x[8] = at(out, r + 1, c + 1);
          x[9] = x[1];
          let crossings = 0, n1 = 0, n2 = 0;
          for (let k = 1; k <= 4; k++) {
            if (!x[2 * k - 1] && (x[2 * k] || x[2 * k + 1])) crossings++;
            if (x[2 * k - 1] || x[2 * k]) n1++;
            if (x[2 * k] || x[2 * k + 1]) n2++;
          }
          const n = Math.min(n1, n2);
          const g3 = second ? (x[6] || x[7] || !x[4]) && x[5] : (x[2] || x[3] || !x[8]) && x[1];
          if (crossings === 1 && n >= 2 && n <= 3 && !g3) removed.push(r * out.width + c);
        }
      }
      for (const i of removed) out.data[i] = 0;
      if (removed.length) changed = true;
    }
  }
  return out;
}

/** The set pixels of a skeleton with exactly one set 8-neighbour: where strokes end. */
export function endpoints(skeleton: BinaryImage): BinaryImage {
  const out = blank(skeleton);
  for (let r = 0; r < skeleton.height; r++) {
    for (let c = 0; c < skeleton.width; c++) {
      if (!skeleton.data[r * skeleton.width + c]) continue;
      let neighbours = 0;
      for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) if (dr || dc) neighbours += at(skeleton, r + dr, c + dc);
      if (neighbours === 1) out.data[r * skeleton.width + c] = 1;
    }
  }
  return out;
}

/** Dilation by the 3 × 3 square: `scipy.ndimage.binary_dilation(image, np.ones((3, 3)))`. */
export function dilate3x3(image: BinaryImage): BinaryImage {
  const out = blank(image);
  for (let r = 0; r < image.height; r++) {
    for (let c = 0; c < image.width; c++) {
      let hit = 0;
      for (let dr = -1; dr <= 1 && !hit; dr++) for (let dc = -1; dc <= 1 && !hit; dc++) hit = at(image, r + dr, c + dc);
      out.data[r * image.width + c] = hit;
    }
  }
  return out;
}

/** Pixels set in both. */
export function and(a: BinaryImage, b: BinaryImage): BinaryImage {
  const out = blank(a);
  for (let i = 0; i < out.data.length; i++) out.data[i] = a.data[i] & b.data[i];
  return out;
}
