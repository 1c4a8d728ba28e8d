// Maps drawn as images: a matrix colour-mapped in Node to a paletted PNG (png.ts) inside the spec,
// one image mark per panel, with the colour legend from an invisible layer on the same scale. A
// 224x224 map as one rect per pixel was a 7.5 MB spec and a 28 MB SVG; a 107-panel sanity grid ran
// out of string length. Above `size` pixels a side a map is block-averaged down to the panel's size.
import type { VegaLiteSpec } from "../display";
import { palettePngDataUrl, type Rgb } from "./png";

/** The continuous colour schemes the attribution charts use, as vega names them, low to high. */
export type Scheme = "inferno" | "redblue-reversed" | "greys-reversed";

export interface RasterColour {
  scheme: Scheme;
  /** Values mapped to the two ends of the scheme (clamped outside). */
  domain: [number, number];
  /** A value mapped to the scheme's middle (a diverging map's 0). */
  mid?: number;
  /** The legend's title; no legend when absent. */
  title?: string;
}

// Control points sampled from vega's schemes (d3-scale-chromatic), low to high; colours between
// them are interpolated in RGB, as vega's own interpolation of its discretised schemes does.
const SCHEMES: Record<Scheme, string[]> = {
  inferno: ["000004", "160b39", "420a68", "6a176e", "932667", "bc3754", "dd513a", "f37819", "fca50a", "f6d746", "fcffa4"],
  "redblue-reversed": ["053061", "2166ac", "4393c3", "92c5de", "d1e5f0", "f7f7f7", "fddbc7", "f4a582", "d6604d", "b2182b", "67001f"],
  "greys-reversed": ["000000", "252525", "525252", "737373", "969696", "bdbdbd", "d9d9d9", "f0f0f0", "ffffff"],
};

/** Palette entries for the scheme's levels; the last entry is the outline's white. */
const LEVELS = 255;
const OUTLINE = LEVELS;

const palettes = new Map<Scheme, Rgb[]>();

function palette(scheme: Scheme): Rgb[] {
  let colours = palettes.get(scheme);
  if (!colours) palettes.set(scheme, (colours = schemePalette(scheme)));
  return colours;
}

function schemePalette(scheme: Scheme): Rgb[] {
  const stops = SCHEMES[scheme].map((hex) => [0, 2, 4].map((k) => parseInt(hex.slice(k, k + 2), 16)) as Rgb);
  const colours = Array.from({ length: LEVELS }, (_, level) => {
    const t = (level / (LEVELS - 1)) * (stops.length - 1);
    const k = Math.min(Math.floor(t), stops.length - 2);
    const f = t - k;
    return stops[k].map((v, c) => v + f * (stops[k + 1][c] - v)) as Rgb;
  });
  return [...colours, [255, 255, 255]];
}

/** Where `value` falls on the scheme, 0..1: linear over the domain, or piecewise through `mid`. */
function position(value: number, { domain: [low, high], mid }: RasterColour): number {
  if (!Number.isFinite(value)) return 0;
  if (mid !== undefined) {
    if (value <= mid) return mid > low ? 0.5 * Math.max(0, (value - low) / (mid - low)) : 0.5;
    return high > mid ? 0.5 + 0.5 * Math.min(1, (value - mid) / (high - mid)) : 0.5;
  }
  return high > low ? Math.max(0, Math.min(1, (value - low) / (high - low))) : 0.5;
}

/** [min, max] of `values` (without spreading them into arguments: a 512x512 map is too many). */
export function extent(values: Iterable<number>): [number, number] {
  let [low, high] = [Infinity, -Infinity];
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return [low, high];
}

/** `matrix` averaged over blocks to at most `rows` × `cols` (unchanged when already that small). */
export function blockAverage(matrix: number[][], rows: number, cols: number): number[][] {
  const [h, w] = [matrix.length, matrix[0].length];
  if (h <= rows && w <= cols) return matrix;
  const [outRows, outCols] = [Math.min(h, rows), Math.min(w, cols)];
  return Array.from({ length: outRows }, (_, r) => {
    const [r0, r1] = [Math.floor((r * h) / outRows), Math.floor(((r + 1) * h) / outRows)];
    return Array.from({ length: outCols }, (_, c) => {
      const [c0, c1] = [Math.floor((c * w) / outCols), Math.floor(((c + 1) * w) / outCols)];
      let sum = 0;
      for (let i = r0; i < r1; i++) for (let j = c0; j < c1; j++) sum += matrix[i][j];
      return sum / ((r1 - r0) * (c1 - c0));
    });
  });
}

/** `matrix` as a PNG data URL in `colour`'s scheme; cells where `outline` is true are white. */
export function rasterUrl(matrix: number[][], colour: RasterColour, outline?: boolean[][]): string {
  const [rows, cols] = [matrix.length, matrix[0].length];
  const indices = new Uint8Array(rows * cols);
  matrix.forEach((values, r) =>
    values.forEach((value, c) => {
      indices[r * cols + c] = outline?.[r]?.[c] ? OUTLINE : Math.round(position(value, colour) * (LEVELS - 1));
    }),
  );
  return palettePngDataUrl(cols, rows, indices, palette(colour.scheme));
}

const VEGA_SCHEME: Record<Scheme, Record<string, unknown>> = {
  inferno: { scheme: "inferno" },
  "redblue-reversed": { scheme: "redblue", reverse: true },
  "greys-reversed": { scheme: "greys", reverse: true },
};

/** One image filling a `width` × `height` panel, and its colour legend (an invisible layer on the same scale). */
export function rasterLayers(url: string, width: number, height: number, colour: RasterColour): VegaLiteSpec[] {
  const image = {
    data: { values: [{ url }] },
    // No aria label: vega would write the whole data URL into it, doubling the SVG.
    mark: { type: "image", width, height, align: "left", baseline: "top", aspect: false, aria: false },
    encoding: { x: { value: 0 }, y: { value: 0 }, url: { field: "url", type: "nominal" } },
  };
  if (!colour.title) return [image];
  const scale = { ...VEGA_SCHEME[colour.scheme], domain: colour.mid === undefined ? colour.domain : [colour.domain[0], colour.mid, colour.domain[1]] };
  const legend = {
    data: { values: colour.domain.map((shown) => ({ shown })) },
    mark: { type: "point", opacity: 0, tooltip: false },
    encoding: { x: { value: 0 }, y: { value: 0 }, color: { field: "shown", type: "quantitative", title: colour.title, scale } },
  };
  return [image, legend];
}
