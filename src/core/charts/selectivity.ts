// Class-selectivity of the units of each layer as one histogram per layer, optionally against a
// control network's units (e.g. the same architecture untrained): selectivity that an untrained
// network shows as well is not something training made.
import type { VegaLiteSpec } from "../display";
import { histogram } from "./histogram";
import { type ChartOptions, ChartError, falsifyChart } from "./spec";

/** One layer's units; interp's `layerClassSelectivity` result is one as is. */
export interface LayerSelectivity {
  layer: string;
  /** The class-selectivity index of each unit. */
  index: number[];
}

export interface SelectivityHistogramOptions extends ChartOptions {
  /** The same quantity on a control network, layer by layer (matched by layer name). */
  control?: { name: string; layers: LayerSelectivity[] };
  bins?: number;
  width?: number;
  /** Height of each layer's row. */
  height?: number;
}

export function selectivityHistograms(layers: LayerSelectivity[], options: SelectivityHistogramOptions = {}): VegaLiteSpec {
  if (layers.length === 0) throw new ChartError("invalid-input", "selectivityHistograms needs at least one layer.");
  const control = options.control;
  const all = [...layers, ...(control?.layers ?? [])].flatMap((layer) => layer.index);
  const extent: [number, number] = [Math.min(...all), Math.max(...all)];
  const binned = (source: string, layer: LayerSelectivity) =>
    // Densities, so a control with a different unit count is comparable.
    histogram(layer.index, { bins: options.bins ?? 20, extent }).map((bin) => ({ layer: layer.layer, source, units: layer.index.length, ...bin }));
  const trained = "trained";
  const rows = [...layers.flatMap((layer) => binned(trained, layer)), ...(control?.layers ?? []).filter((c) => layers.some((l) => l.layer === c.layer)).flatMap((layer) => binned(control!.name, layer))];
  const source = { field: "source", type: "nominal", title: null, scale: { domain: [trained, ...(control ? [control.name] : [])] } };
  return falsifyChart(
    {
      data: { values: rows },
      facet: { row: { field: "layer", type: "nominal", sort: layers.map((l) => l.layer), title: null, header: { labelAngle: 0, labelAlign: "left" } } },
      spec: {
        width: options.width ?? 360,
        height: options.height ?? 80,
        layer: [
          {
            transform: [{ filter: { field: "source", equal: trained } }],
            mark: { type: "bar", binSpacing: 0, opacity: 0.7 },
            encoding: {
              x: { field: "start", type: "quantitative", bin: { binned: true }, title: "class selectivity" },
              x2: { field: "end" },
              y: { field: "density", type: "quantitative", title: "density" },
              color: source,
              tooltip: [
                { field: "layer", type: "nominal" },
                { field: "start", type: "quantitative", format: ".3~g", title: "from" },
                { field: "end", type: "quantitative", format: ".3~g", title: "to" },
                { field: "count", type: "quantitative", title: "units" },
              ],
            },
          },
          ...(control
            ? [
                {
                  transform: [{ filter: { field: "source", equal: control.name } }],
                  mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
                  encoding: { x: { field: "start", type: "quantitative" }, y: { field: "density", type: "quantitative" }, color: source },
                },
              ]
            : []),
        ],
      },
    },
    { chart: "selectivity-histograms", baselines: control ? [control.name] : [] },
    `class selectivity per layer${control ? ` vs ${control.name}` : ""}`,
    options,
  );
}
