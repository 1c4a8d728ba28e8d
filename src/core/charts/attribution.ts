// Attribution maps beside their input image: one heatmap, and the sanity grid of Adebayo et al. that
// puts the method's map beside the same map for cascading-randomised models, a label-randomised model
// and an edge-detector control, each titled with its similarity to the method's map. A map that
// survives randomisation of the model it explains is not evidence about that model.
//
// The input is its own panel, in grey, and each map is drawn opaque with the input's outline over it
// (a white line on a dark halo, readable on every colour of the map and in every editor theme): a map
// laid half-transparent over the image hid both.
//
// Maps of more than RASTER_ABOVE pixels (a 224x224 ImageNet map) are drawn as PNG images inside the
// spec (raster.ts): seconds and kilobytes where one rect per pixel took minutes and megabytes.
// Smaller ones stay vector: zoomable, with each pixel's value in a tooltip.
import type { VegaLiteSpec } from "../display";
import { blockAverage, extent, type RasterColour, rasterLayers, rasterUrl } from "./raster";
import { ChartError, type ChartOptions, falsifyChart, formatNumber, matrixShape } from "./spec";

/** Maps with more pixels than this are drawn as images (unless `raster` says otherwise). */
const RASTER_ABOVE = 64 * 64;

interface RasterOption {
  /** Draw maps as PNG images (true) or one rect per pixel (false). Default: images above RASTER_ABOVE pixels. */
  raster?: boolean;
}

export interface AttributionHeatmapOptions extends ChartOptions, RasterOption {
  /** The attribution method's name, for the title (e.g. "integrated gradients"). */
  method?: string;
  /** Keep the sign (diverging colours around 0) instead of showing |attribution|. Default: true when any value is negative. */
  signed?: boolean;
  /** Pixel size of the longer side. Default 240. */
  size?: number;
}

/** One attribution map beside its greyscale input image (both rows of columns, same shape). Zoomable. */
export function attributionHeatmap(image: number[][], map: number[][], options: AttributionHeatmapOptions = {}): VegaLiteSpec {
  const shape = checkSameShape(image, map, "map");
  const signed = options.signed ?? map.some((row) => row.some((value) => value < 0));
  const size = options.size ?? 240;
  if (rastered(shape, options)) {
    const [low, high] = extent(map.flat());
    const colour: RasterColour = signed
      ? { scheme: "redblue-reversed", domain: [Math.min(0, low), Math.max(0, high)], mid: 0, title: "attribution" }
      : { scheme: "inferno", domain: extent(map.flat().map(Math.abs)), title: "|attribution|" };
    return falsifyChart(
      { hconcat: [rasterInputPanel(image, shape, size), { title: { text: "map", fontSize: 11 }, ...rasterMapPanel(signed ? map : map.map((row) => row.map(Math.abs)), rasterOutline(image, shape, size), shape, size, colour) }] },
      { chart: "attribution-heatmap", baselines: [] },
      `${options.method ?? "attribution"} over the input`,
      options,
    );
  }
  const mapCells = cells(map).map(({ value, ...cell }) => ({ ...cell, attribution: value, shown: signed ? value : Math.abs(value) }));
  return falsifyChart(
    {
      datasets: { image: imageCells(image), outline: inputOutline(image), map: mapCells },
      hconcat: [inputPanel(shape, size), { title: { text: "map", fontSize: 11 }, ...mapPanel({ shape, size, dataset: "map", zoom: "zoom", colour: signed ? SIGNED_COLOUR : MAGNITUDE_COLOUR }) }],
    },
    { chart: "attribution-heatmap", baselines: [] },
    `${options.method ?? "attribution"} over the input`,
    options,
  );
}

/** One panel of the sanity grid: a map, and how similar it is to the method's own map. */
export interface ComparedMap {
  map: number[][];
  /** Spearman rank correlation of |map| with the method's |map|. */
  spearman?: number;
  /** Structural similarity (SSIM) with the method's map. */
  ssim?: number;
  /** Why the similarity is undefined (a degenerate map), shown instead of the numbers. */
  undefinedBecause?: string;
}

export interface SanityGridInput {
  /** The input image, greyscale, rows of columns. */
  image: number[][];
  /** The method's map on the trained model. */
  method: { name: string; map: number[][] };
  /** The same method on models randomised from the top layer down, in that order; `layer` names the last randomised layer. */
  cascading?: (ComparedMap & { layer: string })[];
  /** The same method on models with one layer randomised each. */
  independent?: (ComparedMap & { layer: string })[];
  /** The same method on a model trained on randomly permuted labels. */
  labelRandomised?: ComparedMap;
  /** An edge detector applied to the image: a map that knows nothing of the model. */
  edgeDetector?: ComparedMap;
}

export interface SanityGridOptions extends ChartOptions, RasterOption {
  /** Panels per row (the input's included). Default: all in one row up to 5, then rows of 4. */
  columns?: number;
  /** Pixel size of each panel's longer side. Default 140. */
  size?: number;
}

/**
 * The side-by-side sanity grid. Each map is shown as |attribution| scaled by its own maximum (as in
 * Adebayo et al.), so panels compare in pattern, not in scale; the similarity numbers carry the rest.
 */
export function attributionGrid(input: SanityGridInput, options: SanityGridOptions = {}): VegaLiteSpec {
  const shape = checkSameShape(input.image, input.method.map, `method map "${input.method.name}"`);
  const panels: { id: string; title: string[]; baseline?: string; compared?: ComparedMap; map: number[][] }[] = [
    { id: "method", title: [input.method.name, "trained model"], map: input.method.map },
    ...(input.cascading ?? []).map((step, index) => ({ id: `cascading-${index}`, title: [`cascading: to ${step.layer}`, similarity(step)], baseline: `cascading randomisation: ${step.layer}`, compared: step, map: step.map })),
    ...(input.independent ?? []).map((step, index) => ({ id: `independent-${index}`, title: [`independent: ${step.layer}`, similarity(step)], baseline: `independent randomisation: ${step.layer}`, compared: step, map: step.map })),
    ...(input.labelRandomised ? [{ id: "label-randomised", title: ["label-randomised model", similarity(input.labelRandomised)], baseline: "label randomisation", compared: input.labelRandomised, map: input.labelRandomised.map }] : []),
    ...(input.edgeDetector ? [{ id: "edge-detector", title: ["edge detector", similarity(input.edgeDetector)], baseline: "edge detector", compared: input.edgeDetector, map: input.edgeDetector.map }] : []),
  ];
  for (const panel of panels) checkSameShape(input.image, panel.map, `${panel.id} map`);
  const size = options.size ?? 140;
  const compared = panels.flatMap((panel) => (panel.compared ? [panel.compared] : []));
  const statistics = [compared.some((c) => c.spearman !== undefined) ? "spearman" : undefined, compared.some((c) => c.ssim !== undefined) ? "ssim" : undefined].filter(Boolean);
  const shown = panels.length + 1;
  const meta = { chart: "attribution-grid", baselines: panels.flatMap((panel) => (panel.baseline ? [panel.baseline] : [])), statistic: statistics.length ? statistics.join(", ") : undefined };
  const title = `${input.method.name}: sanity checks (randomised models, edge detector)`;
  const columns = options.columns ?? (shown <= 5 ? shown : 4);
  if (rastered(shape, options)) {
    const colour: RasterColour = { scheme: "inferno", domain: [0, 1], title: "|attribution| / max" };
    const normalised = (map: number[][]) => {
      const max = extent(map.flat().map(Math.abs))[1] || 1;
      return map.map((row) => row.map((value) => Math.abs(value) / max));
    };
    const outline = rasterOutline(input.image, shape, size);
    const concat = [rasterInputPanel(input.image, shape, size), ...panels.map((panel) => ({ title: { text: panel.title.filter(Boolean), fontSize: 11 }, ...rasterMapPanel(normalised(panel.map), outline, shape, size, colour) }))];
    return falsifyChart({ columns, concat, resolve: { scale: { color: "shared" } } }, meta, title, options);
  }
  const maps = Object.fromEntries(
    panels.map((panel) => {
      const max = Math.max(...panel.map.flat().map(Math.abs)) || 1;
      return [panel.id, cells(panel.map).map(({ value, ...cell }) => ({ ...cell, attribution: value, shown: Math.abs(value) / max }))];
    }),
  );
  return falsifyChart(
    {
      datasets: { image: imageCells(input.image), outline: inputOutline(input.image), ...maps },
      columns,
      concat: [
        inputPanel(shape, size),
        ...panels.map((panel, index) => ({
          title: { text: panel.title.filter(Boolean), fontSize: 11 },
          ...mapPanel({ shape, size, dataset: panel.id, zoom: `zoom_${index}`, colour: NORMALISED_COLOUR }),
        })),
      ],
      resolve: { scale: { color: "shared" } },
    },
    meta,
    title,
    options,
  );
}

function rastered([rows, columns]: [number, number], options: RasterOption): boolean {
  return options.raster ?? rows * columns > RASTER_ABOVE;
}

/** The input in grey as one image, at most the panel's pixels a side. */
function rasterInputPanel(image: number[][], shape: [number, number], size: number): VegaLiteSpec {
  const { width, height } = panelSize(shape, size);
  const shown = blockAverage(image, height, width);
  const colour: RasterColour = { scheme: "greys-reversed", domain: extent(shown.flat()) };
  return { title: { text: "input", fontSize: 11 }, width, height, layer: rasterLayers(rasterUrl(shown, colour), width, height, colour) };
}

/** The input's outline at the resolution its maps are drawn at in a panel of `size`. */
function rasterOutline(image: number[][], shape: [number, number], size: number): boolean[][] {
  const { width, height } = panelSize(shape, size);
  return outlineMask(blockAverage(image, height, width));
}

/** A map as one image (at most the panel's pixels a side) with the input's outline in white, and its legend. */
function rasterMapPanel(map: number[][], outline: boolean[][], shape: [number, number], size: number, colour: RasterColour): VegaLiteSpec {
  const { width, height } = panelSize(shape, size);
  const shown = blockAverage(map, height, width);
  return { width, height, layer: rasterLayers(rasterUrl(shown, colour, outline), width, height, colour) };
}

/** The input's outline as pixels: bright ones (above the midpoint of its range) with a dark 4-neighbour or on the border. */
function outlineMask(image: number[][]): boolean[][] {
  const [low, high] = extent(image.flat());
  if (!(high > low)) return image.map((row) => row.map(() => false));
  const threshold = (low + high) / 2;
  const bright = (row: number, col: number) => (image[row]?.[col] ?? -Infinity) > threshold;
  return image.map((values, row) => values.map((_, col) => bright(row, col) && (!bright(row - 1, col) || !bright(row + 1, col) || !bright(row, col - 1) || !bright(row, col + 1))));
}

/** "ρ = 0.91 · SSIM = 0.80": the similarity to the method's map, as a panel subtitle line. */
function similarity(compared: ComparedMap): string {
  if (compared.undefinedBecause) return `⚠ ${compared.undefinedBecause}`;
  if (compared.spearman !== undefined && Number.isNaN(compared.spearman)) return "⚠ ρ undefined (constant map)";
  const parts = [compared.spearman === undefined ? undefined : `ρ = ${formatNumber(compared.spearman)}`, compared.ssim === undefined ? undefined : `SSIM = ${formatNumber(compared.ssim)}`];
  return parts.filter(Boolean).join(" · ");
}

const MAGNITUDE_COLOUR = { field: "shown", type: "quantitative", title: "|attribution|", scale: { scheme: "inferno" } };
const SIGNED_COLOUR = { field: "shown", type: "quantitative", title: "attribution", scale: { scheme: "redblue", reverse: true, domainMid: 0 } };
const NORMALISED_COLOUR = { field: "shown", type: "quantitative", title: "|attribution| / max", scale: { scheme: "inferno", domain: [0, 1] } };

/** Cell edges as quantitative x/y (rows down), so an interval selection bound to the scales zooms (band scales cannot). */
function cellPosition([rows, columns]: [number, number]): VegaLiteSpec {
  return {
    x: { field: "col", type: "quantitative", scale: { domain: [0, columns], nice: false, zero: false }, axis: null },
    x2: { field: "col_end" },
    y: { field: "row", type: "quantitative", scale: { domain: [0, rows], nice: false, zero: false, reverse: true }, axis: null },
    y2: { field: "row_end" },
  };
}

function panelSize([rows, columns]: [number, number], size: number): { width: number; height: number } {
  const scale = size / Math.max(rows, columns);
  return { width: Math.round(columns * scale), height: Math.round(rows * scale) };
}

/** The input alone, in grey, beside the maps that explain it. */
function inputPanel(shape: [number, number], size: number): VegaLiteSpec {
  return {
    title: { text: "input", fontSize: 11 },
    ...panelSize(shape, size),
    data: { name: "image" },
    mark: { type: "rect", tooltip: false },
    encoding: { ...cellPosition(shape), fill: { field: "pixel", type: "quantitative", scale: { scheme: "greys", reverse: true }, legend: null } },
  };
}

/**
 * One map, opaque, with the input's outline over it. Each map is its own named dataset with its
 * cell edges precomputed: no per-panel filter or calculate at render time.
 */
function mapPanel(panel: { shape: [number, number]; size: number; dataset: string; zoom: string; colour: Record<string, unknown> }): VegaLiteSpec {
  const position = cellPosition(panel.shape);
  const outline = (colour: string, strokeWidth: number, opacity: number) => ({
    data: { name: "outline" },
    mark: { type: "rule", color: colour, strokeWidth, opacity, strokeCap: "square" },
    encoding: position,
  });
  return {
    ...panelSize(panel.shape, panel.size),
    layer: [
      {
        data: { name: panel.dataset },
        params: [{ name: panel.zoom, select: { type: "interval", encodings: ["x", "y"] }, bind: "scales" }],
        mark: { type: "rect" },
        encoding: {
          ...position,
          color: panel.colour,
          tooltip: [
            { field: "row", type: "quantitative" },
            { field: "col", type: "quantitative" },
            { field: "attribution", type: "quantitative", format: ".3~g" },
          ],
        },
      },
      outline(OUTLINE_HALO, 3, 0.75),
      outline(OUTLINE_LINE, 1.25, 1),
    ],
  };
}

/** Outline colours: fixed, not the theme's, because they are drawn on the map's colours, not on the editor. */
const OUTLINE_LINE = "#ffffff";
const OUTLINE_HALO = "#000000";

/**
 * The boundary of the input's bright region (pixels above the midpoint of its range) as unit cell
 * edges: each edge between a bright pixel and a dark one (or the border). A flat image has none.
 */
function inputOutline(image: number[][]): { row: number; col: number; row_end: number; col_end: number }[] {
  const values = image.flat();
  const low = Math.min(...values);
  const high = Math.max(...values);
  if (!(high > low)) return [];
  const threshold = (low + high) / 2;
  const bright = (row: number, col: number) => (image[row]?.[col] ?? -Infinity) > threshold;
  const edges: { row: number; col: number; row_end: number; col_end: number }[] = [];
  image.forEach((values, row) =>
    values.forEach((_, col) => {
      if (!bright(row, col)) return;
      if (!bright(row - 1, col)) edges.push({ row, col, row_end: row, col_end: col + 1 });
      if (!bright(row + 1, col)) edges.push({ row: row + 1, col, row_end: row + 1, col_end: col + 1 });
      if (!bright(row, col - 1)) edges.push({ row, col, row_end: row + 1, col_end: col });
      if (!bright(row, col + 1)) edges.push({ row, col: col + 1, row_end: row + 1, col_end: col + 1 });
    }),
  );
  return edges;
}

function checkSameShape(image: number[][], map: number[][], what: string): [number, number] {
  const shape = matrixShape(image, "image");
  const mapShape = matrixShape(map, what);
  if (shape[0] !== mapShape[0] || shape[1] !== mapShape[1]) {
    throw new ChartError("invalid-input", `${what} is ${mapShape.join("×")} but the image is ${shape.join("×")}: a map must have one value per pixel.`);
  }
  return shape;
}

/** One record per cell with its edges (row..row_end, col..col_end), as the rect marks draw it. */
function cells(matrix: number[][]): { row: number; col: number; row_end: number; col_end: number; value: number }[] {
  return matrix.flatMap((values, row) => values.map((value, col) => ({ row, col, row_end: row + 1, col_end: col + 1, value })));
}

function imageCells(image: number[][]): { row: number; col: number; pixel: number }[] {
  return cells(image).map(({ value, ...cell }) => ({ ...cell, pixel: value }));
}
