// Feature visualisation with its yardsticks: each synthesised image (units first, then the random
// directions optimised the same way), and below them the activation each reached step by step,
// against the random directions' traces (dashed) and, when given, the unit's best natural image
// (a rule per unit). A synthetic image that excites its unit no more than a random direction's
// excites that direction, or no more than a natural image does, is a weak picture of the unit.
import type { VegaLiteSpec } from "../display";
import { ChartError, type ChartOptions, falsifyChart, LEGEND } from "./spec";

/** What the chart reads of interp's `FeatureVisualization` (the result fits as is). */
export interface FeatureVisualizationLike {
  layer: string;
  /** [height, width, channels]; 1 channel is drawn grey, 3 as RGB. */
  shape: readonly number[];
  features: VisualizedFeatureLike[];
  random: VisualizedFeatureLike[];
  settings: { range: readonly [number, number] | null };
}

export interface VisualizedFeatureLike {
  unit?: number;
  image: ArrayLike<number>;
  activation: number;
  trace: readonly number[];
}

export interface FeatureVisualizationChartOptions extends ChartOptions {
  /** Natural exemplars of each feature, in order (topExemplars' results): the best one's activation is drawn as a rule. */
  natural?: readonly { top: readonly { activation: number }[] }[];
  /** Pixel size of each image. Default 96. */
  size?: number;
}

const RANDOM = "random direction";
/** Larger images are block-averaged to at most this many pixels a side: one rect mark per pixel. */
const MAX_SIDE = 64;

export function featureVisualizationChart(fv: FeatureVisualizationLike, options: FeatureVisualizationChartOptions = {}): VegaLiteSpec {
  const [height, width, channels] = fv.shape;
  if (fv.shape.length !== 3 || !(channels === 1 || channels === 3)) throw new ChartError("invalid-input", `images of shape [${fv.shape.join(", ")}] cannot be drawn: pass [height, width, 1 or 3].`);
  if (fv.features.length === 0) throw new ChartError("invalid-input", "the feature visualisation has no features to draw.");
  if (options.natural && options.natural.length !== fv.features.length) throw new ChartError("invalid-input", `natural has ${options.natural.length} entries for ${fv.features.length} features: pass one topExemplars result per feature, in order.`);
  const named = [
    ...fv.features.map((f, i) => ({ f, name: f.unit !== undefined ? `unit ${f.unit}` : `direction ${i}`, source: "feature" })),
    ...fv.random.map((f, i) => ({ f, name: `${RANDOM} ${i + 1}`, source: RANDOM })),
  ];
  const names = named.map((n) => n.name);
  if (new Set(names).size !== names.length) named.forEach((n, i) => (n.name = `${n.name} (#${i + 1})`));
  const stride = Math.ceil(Math.max(height, width) / MAX_SIDE);
  const pixels = named.flatMap(({ f, name }) => {
    if (f.image.length !== height * width * channels) throw new ChartError("invalid-input", `${name}'s image has ${f.image.length} values; shape [${fv.shape.join(", ")}] needs ${height * width * channels}.`);
    return imageCells(f.image, fv.shape, fv.settings.range, stride).map((cell) => ({ feature: name, ...cell }));
  });
  const traces = named.flatMap(({ f, name, source }) =>
    f.trace.map((activation, step) => {
      if (!Number.isFinite(activation)) throw new ChartError("invalid-input", `${name}'s activation at step ${step + 1} is ${activation}: every activation must be a finite number.`);
      return { feature: name, source, step: step + 1, activation };
    }),
  );
  const natural = (options.natural ?? []).map((e, i) => ({ feature: named[i].name, activation: Math.max(...e.top.map((t) => t.activation)), label: `best natural image of ${named[i].name}` }));
  const size = options.size ?? 96;
  const colour = { field: "feature", type: "nominal", title: "feature", sort: names, legend: LEGEND };
  const baselines = [...(fv.random.length ? ["random directions"] : []), ...(natural.length ? ["natural exemplars"] : [])];
  return falsifyChart(
    {
      datasets: { pixels, traces, natural },
      vconcat: [
        {
          data: { name: "pixels" },
          facet: { column: { field: "feature", type: "nominal", sort: names, title: null, header: { labelFontSize: 11 } } },
          spec: {
            width: size,
            height: Math.round((size * height) / width),
            mark: { type: "rect" },
            encoding: {
              x: { field: "column", type: "ordinal", axis: null },
              y: { field: "row", type: "ordinal", axis: null },
              color: { field: "rgb", type: "nominal", scale: null },
              tooltip: [{ field: "value", type: "quantitative", format: ".3f" }],
            },
          },
        },
        {
          width: 360,
          height: 180,
          layer: [
            {
              data: { name: "traces" },
              mark: { type: "line" },
              encoding: {
                x: { field: "step", type: "quantitative", title: "gradient step" },
                y: { field: "activation", type: "quantitative", title: `activation (${fv.layer})` },
                color: colour,
                strokeDash: { condition: { test: `datum.source === '${RANDOM}'`, value: [4, 3] }, value: [1, 0] },
              },
            },
            ...(natural.length
              ? [{ data: { name: "natural" }, mark: { type: "rule", strokeDash: [2, 2] }, encoding: { y: { field: "activation", type: "quantitative" }, color: colour, tooltip: [{ field: "label" }, { field: "activation", format: ".3f" }] } }]
              : []),
          ],
        },
      ],
    },
    { chart: "feature-visualization", baselines },
    `feature visualisation of ${fv.layer}${fv.random.length ? ": dashed = random directions" : ""}${natural.length ? ", dotted rules = best natural image" : ""}`,
    options,
  );
}

/** One cell per (block of) pixel(s) with its colour as #rrggbb: pixel values mapped from the range (or the image's own min..max without one). */
function imageCells(image: ArrayLike<number>, shape: readonly number[], range: readonly [number, number] | null, stride: number) {
  const [height, width, channels] = shape;
  let [low, high] = range ?? [Infinity, -Infinity];
  if (!range) for (let i = 0; i < image.length; i++) [low, high] = [Math.min(low, image[i]), Math.max(high, image[i])];
  const byte = (v: number) => Math.round(255 * Math.min(1, Math.max(0, high > low ? (v - low) / (high - low) : 0.5))).toString(16).padStart(2, "0");
  const cells = [];
  for (let r = 0; r < height; r += stride)
    for (let c = 0; c < width; c += stride) {
      const mean = Array.from({ length: channels }, (_, ch) => {
        let sum = 0, count = 0;
        for (let i = r; i < Math.min(height, r + stride); i++) for (let j = c; j < Math.min(width, c + stride); j++, count++) sum += image[(i * width + j) * channels + ch];
        return sum / count;
      });
      const rgb = channels === 1 ? [mean[0], mean[0], mean[0]] : mean;
      cells.push({ row: r / stride, column: c / stride, value: mean.reduce((a, b) => a + b, 0) / channels, rgb: `#${rgb.map(byte).join("")}` });
    }
  return cells;
}
