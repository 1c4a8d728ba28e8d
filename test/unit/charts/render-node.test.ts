// The same specs drawn in plain Node: every example compiles and renders, and the SVG holds the
// marks the data promises.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as charts from "../../../src/core/charts";
import { examples, image } from "./examples";

/** Vega's SVG renderer labels every mark item with its role: "rect mark", or Vega-Lite's "bar", "point"... */
function countMarks(svg: string, role: string): number {
  return svg.split(`aria-roledescription="${role}"`).length - 1;
}

describe("renderSvg", () => {
  for (const [name, build] of Object.entries(examples)) {
    test(`${name} renders to an SVG document`, async () => {
      const svg = await charts.renderSvg(build());
      assert.match(svg, /^<svg [^>]*width="\d+" height="\d+"/);
    });
  }

  test("a heatmap draws one rect per pixel for the input and one per cell for the map, and the input's outline over the map", async () => {
    const svg = await charts.renderSvg(examples["attribution-heatmap"]());
    assert.equal(countMarks(svg, "rect mark"), 2 * image.length * image[0].length);
    assert.equal(countMarks(svg, "rule mark"), 2 * 10, "10 outline edges, each a halo and a line");
  });

  test("the sanity grid draws the input once and a map (with the outline) in each of its five map panels, titles included", async () => {
    const svg = await charts.renderSvg(examples["attribution-grid"]());
    assert.equal(countMarks(svg, "rect mark"), (1 + 5) * 12);
    assert.equal(countMarks(svg, "rule mark"), 5 * 2 * 10);
    assert.match(svg, /ρ = 0\.98 · SSIM = 0\.95/);
  });

  test("a histogram draws one bar per bin, and the marked example as a rule", async () => {
    const svg = await charts.renderSvg(examples.distribution());
    assert.equal(countMarks(svg, "bar"), 4);
    assert.equal(countMarks(svg, "rule mark"), 1);
    assert.match(svg, /the shown cat: 9 \(100th percentile\)/);
  });

  test("ablation curves draw the band, the random mean and each tested order", async () => {
    const svg = await charts.renderSvg(examples["ablation-curves"]());
    assert.equal(countMarks(svg, "area mark"), 1);
    assert.equal(countMarks(svg, "line mark"), 2);
    assert.equal(countMarks(svg, "point"), 5);
  });

  test("a CKA matrix draws a cell and a value per entry", async () => {
    const svg = await charts.renderSvg(examples["cka-matrix"]());
    assert.equal(countMarks(svg, "rect mark"), 6);
    assert.match(svg, />0\.70</);
  });

  test("CKA with SVCCA and PWCCA rows draws a cell per entry per measure", async () => {
    const svg = await charts.renderSvg(examples["cka-matrix-measures"]());
    assert.equal(countMarks(svg, "rect mark"), 3 * 6);
    assert.match(svg, />SVCCA</);
    assert.match(svg, />0\.55</);
  });

  test("a dissection draws a point per unit, the random directions' curve and the IoU threshold", async () => {
    const svg = await charts.renderSvg(examples.dissection());
    assert.equal(countMarks(svg, "point"), 3 + 3);
    assert.equal(countMarks(svg, "line mark"), 1);
    assert.match(svg, /IoU threshold 0\.04/);
  });

  test("a study chart draws each condition's accuracy and interval, a line per participant, and chance", async () => {
    const svg = await charts.renderSvg(examples.study());
    assert.equal(countMarks(svg, "point"), 2);
    assert.equal(countMarks(svg, "line mark"), 2);
    assert.match(svg, /chance \(10%\)/);
  });

  test("a feature visualisation draws a rect per pixel, a line per feature and a rule per natural exemplar", async () => {
    const svg = await charts.renderSvg(examples["feature-visualization"]());
    assert.equal(countMarks(svg, "rect mark"), 3 * 4);
    assert.equal(countMarks(svg, "line mark"), 3);
    assert.equal(countMarks(svg, "rule mark"), 2);
  });

  test("exemplar prediction draws two points per defined unit and the chance rule", async () => {
    const svg = await charts.renderSvg(examples["exemplar-prediction"]());
    assert.equal(countMarks(svg, "point"), 4);
    assert.equal(countMarks(svg, "line mark"), 2);
    assert.equal(countMarks(svg, "rule mark"), 1);
    assert.match(svg, /chance 0\.5/);
  });

  test("a spec that cannot compile is a ChartError of kind invalid-spec", async () => {
    const broken = { data: { values: [{ a: 1 }] }, transform: [{ calculate: "datum.a +", as: "b" }], mark: "point" };
    await assert.rejects(charts.renderSvg(broken), (error: unknown) => error instanceof charts.ChartError && error.kind === "invalid-spec" && /cannot be compiled: Unexpected end of input/.test(error.message));
  });
});

describe("renderPng", () => {
  test("rasterises when @resvg/resvg-js is installed, otherwise says how to get it", async (t) => {
    const spec = examples["cka-matrix"]();
    if (!(await charts.canRenderPng())) {
      await assert.rejects(charts.renderPng(spec), (error: unknown) => error instanceof charts.ChartError && error.kind === "rasteriser-unavailable" && /npm install @resvg\/resvg-js/.test(error.message));
      t.diagnostic("@resvg/resvg-js is not installed: checked the error path only");
      return;
    }
    const png = await charts.renderPng(spec, { scale: 1 });
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const width = Buffer.from(png).readUInt32BE(16);
    const svgWidth = Number((await charts.renderSvg(spec)).match(/width="(\d+)"/)?.[1]);
    assert.equal(width, svgWidth);
    const doubled = Buffer.from(await charts.renderPng(spec, { scale: 2 })).readUInt32BE(16);
    assert.equal(doubled, 2 * svgWidth);
  });
});
