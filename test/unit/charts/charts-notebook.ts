// The notebook the charts e2e scenario opens: saved outputs of every kind the renderer draws (a
// Falsify chart, a plain Vega-Lite chart, a verdict, a broken spec), built from the chart builders
// so it cannot drift from them (charts-notebook.test.ts compares it with the committed file).
import * as charts from "../../../src/core/charts";
import { MIME } from "../../../src/core/display";
import { type Cell, type Notebook, serializeNotebook } from "../../../src/core/format";
import { verdict } from "./examples";

export const CHARTS_NOTEBOOK = "test/fixtures/charts/charts.falsify";

/** A 16×16 "digit": a bright ring; the saliency map lights its edge, a randomised model's does not. */
const size = 16;
const ring = (r: number, c: number) => Math.hypot(r - 7.5, c - 7.5);
const image = Array.from({ length: size }, (_, r) => Array.from({ length: size }, (_, c) => (Math.abs(ring(r, c) - 5) < 1.5 ? 1 : 0)));
const saliency = image.map((row, r) => row.map((_, c) => Math.exp(-((ring(r, c) - 5) ** 2))));
const noise = image.map((row, r) => row.map((_, c) => ((r * 31 + c * 17) % 11) / 11));

export function chartsNotebook(): string {
  const units = [0, 4, 8, 16, 32, 64];
  const cells: Cell[] = [
    code("hypothesis", "hyp", "id: H1\nclaim: The saliency map depends on the trained weights.\n", []),
    code("typescript", "grid", "// @hypothesis H1\ndisplay(attributionGrid(sanity, { hypothesis: \"H1\" }));", [
      {
        items: [
          {
            mime: MIME.chart,
            data: charts.attributionGrid(
              {
                image,
                method: { name: "saliency", map: saliency },
                cascading: [{ layer: "dense_2", map: noise, spearman: 0.08, ssim: 0.11 }],
                labelRandomised: { map: noise, spearman: 0.05, ssim: 0.09 },
                edgeDetector: { map: image, spearman: 0.62, ssim: 0.41 },
              },
              { hypothesis: "H1" },
            ),
          },
        ],
      },
    ]),
    code("typescript", "verdict", "verdict(H1)", [{ items: [{ mime: MIME.verdict, data: verdict }, { mime: MIME.text, data: charts.verdictText(verdict) }] }]),
    code("typescript", "curves", "display(ablationCurves(result))", [
      {
        items: [
          {
            mime: MIME.vegaLite,
            data: charts.ablationCurves({
              unitsAblated: units,
              curves: [{ order: "most selective first", accuracy: units.map((u) => 0.97 - u * 0.004) }],
              random: { mean: units.map((u) => 0.97 - u * 0.0035), lower: units.map((u) => 0.96 - u * 0.0045), upper: units.map((u) => 0.975 - u * 0.0025), level: 0.95, orders: 100 },
            }),
          },
        ],
      },
    ]),
    code("typescript", "broken", "display(brokenSpec, \"application/vnd.vegalite.v5+json\")", [
      { items: [{ mime: MIME.vegaLite, data: { data: { values: [{ a: 1 }] }, transform: [{ calculate: "datum.a +", as: "b" }], mark: "point" } }] },
    ]),
  ];
  const notebook: Notebook = { format: "falsify", version: 1, metadata: { seed: 1 }, cells };
  return serializeNotebook(notebook);
}

function code(language: "hypothesis" | "typescript", id: string, source: string, outputs: Cell["outputs"]): Cell {
  return { id, kind: "code", language, source, metadata: {}, outputs };
}
