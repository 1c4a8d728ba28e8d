// Charts: what drawing the sanity grid costs against the floor (one plain heatmap of as many
// cells), and what binning in the builder saves against letting Vega-Lite bin the raw values,
// in render time and in the bytes a notebook stores.
import { attributionGrid, distributionView, renderSvg } from "../../src/core/charts";
import { medianMs, type Benchmark } from "./harness";

const SIDE = 28;
const grid = (seed: number) => Array.from({ length: SIDE }, (_, r) => Array.from({ length: SIDE }, (_, c) => Math.abs(Math.sin(seed + r * 0.7 + c * 1.3))));

export const benchmarks: Benchmark[] = [
  {
    id: "charts.grid-svg",
    async run() {
      const cascading = ["logits", "dense", "conv3", "conv2", "conv1"].map((layer, i) => ({ layer, map: grid(i + 2), spearman: 0.1 * i, ssim: 0.05 * i }));
      const spec = attributionGrid({ image: grid(0), method: { name: "saliency", map: grid(1) }, cascading, labelRandomised: { map: grid(9), spearman: 0.1 }, edgeDetector: { map: grid(10), spearman: 0.2 } });
      const panels = 8;
      // The floor: one Vega-Lite rect heatmap with as many cells as the grid draws (image + map per panel).
      const cells = Array.from({ length: panels * 2 * SIDE * SIDE }, (_, i) => ({ x: i % (SIDE * 4), y: Math.floor(i / (SIDE * 4)), v: Math.sin(i) }));
      const plain = { data: { values: cells }, mark: "rect", encoding: { x: { field: "x", type: "ordinal" }, y: { field: "y", type: "ordinal" }, color: { field: "v", type: "quantitative" } } };
      return {
        subject: { name: "renderSvg(attributionGrid)", value: await medianMs(() => renderSvg(spec), 5, 1), unit: "ms" },
        baseline: { name: "renderSvg(plain heatmap, same cell count)", value: await medianMs(() => renderSvg(plain), 5, 1), unit: "ms" },
        target: "≤ 2x",
        note: `${panels} panels of ${SIDE}×${SIDE}, ${cells.length} rects`,
      };
    },
  },
  {
    id: "charts.distribution",
    async run() {
      const n = 100_000;
      const values = Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453));
      const build = () => distributionView(values, [values[7]], { bins: 40 });
      const raw = { data: { values: values.map((value) => ({ value })) }, mark: "bar", encoding: { x: { field: "value", bin: { maxbins: 40 } }, y: { aggregate: "count" } } };
      return [
        {
          subject: { name: "distributionView + renderSvg (binned in the builder)", value: await medianMs(() => renderSvg(build()), 5, 1), unit: "ms" },
          baseline: { name: "renderSvg(Vega-Lite bin transform on raw values)", value: await medianMs(() => renderSvg(raw), 5, 1), unit: "ms" },
          target: "< 1x",
          note: `${n} values`,
        },
        {
          subject: { name: "distributionView spec size", value: JSON.stringify(build()).length / 1e6, unit: "MB" },
          baseline: { name: "raw-values spec size", value: JSON.stringify(raw).length / 1e6, unit: "MB" },
          target: "< 0.01x",
          note: "what the notebook stores per output",
        },
      ];
    },
  },
];
