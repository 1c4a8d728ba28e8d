// Every builder's spec as data: a golden snapshot (UPDATE_GOLDEN=1 rewrites them; review the diff),
// the metadata the linter reads, and the input checks that turn bad data into a ChartError.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import * as charts from "../../../src/core/charts";
import { chartMeta } from "../../../src/core/display";
import { deletionCurves, examples, image, map, roarResult } from "./examples";

const GOLDEN = join("test", "fixtures", "charts");

describe("chart specs match their golden snapshots", () => {
  for (const [name, build] of Object.entries(examples)) {
    test(name, () => {
      const file = join(GOLDEN, `${name}.vl.json`);
      const actual = `${JSON.stringify(build(), null, 2)}\n`;
      if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
      assert.ok(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 to create it, then review it`);
      assert.equal(actual, readFileSync(file, "utf8"), `${file} is stale: if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff`);
    });
  }
});

describe("chart metadata says what the chart shows", () => {
  const metaOf = (name: string) => chartMeta(examples[name]());

  test("a lone heatmap names its hypothesis and claims no baseline", () => {
    assert.deepEqual(metaOf("attribution-heatmap"), { chart: "attribution-heatmap", hypothesis: "H1", baselines: [] });
  });

  test("the sanity grid lists every control panel and the similarity statistics it shows", () => {
    assert.deepEqual(metaOf("attribution-grid"), {
      chart: "attribution-grid",
      hypothesis: "H2",
      baselines: ["cascading randomisation: logits", "cascading randomisation: conv1", "label randomisation", "edge detector"],
      statistic: "spearman, ssim",
    });
  });

  test("a grid without similarity numbers claims no statistic", () => {
    const meta = chartMeta(charts.attributionGrid({ image, method: { name: "saliency", map }, edgeDetector: { map } }));
    assert.equal(meta?.statistic, undefined);
    assert.deepEqual(meta?.baselines, ["edge detector"]);
  });

  test("ablation curves carry the random-order baseline and the test named by the caller", () => {
    assert.deepEqual(metaOf("ablation-curves"), { chart: "ablation-curves", hypothesis: "H3", baselines: ["random orders"], statistic: "permutation" });
    assert.deepEqual((examples["ablation-curves"]().title as { subtitle: string }).subtitle, "permutation: 0.21, p = 0.004");
  });

  test("the distribution view marks itself as a distribution", () => {
    assert.deepEqual(metaOf("distribution"), { chart: "distribution", hypothesis: "H4", baselines: ["data set (n = 10)"], distribution: true });
  });

  test("the localisation chart names chance and the clean twin, and the tests against both", () => {
    assert.deepEqual(metaOf("localisation"), { chart: "localisation", hypothesis: "H6", baselines: ["chance (mask area)", "clean twin"], statistic: "paired sign-flip vs chance and vs the clean twin" });
    const summary = { n: 3, mean: 0.5, ci: [0.4, 0.6] as [number, number] };
    const test = { vsChance: { p: 0.01 } };
    const withoutTwin = { n: 3, chanceLevel: 0.1, summary: { relevanceMass: summary, rankAccuracy: summary, pointingGame: summary }, tests: { relevanceMass: test, rankAccuracy: test, pointingGame: test } };
    assert.deepEqual(chartMeta(charts.localisationChart(withoutTwin))?.baselines, ["chance (mask area)"], "no twin computed, none claimed");
    assert.throws(() => charts.localisationChart([{ name: "a", result: withoutTwin }, { name: "b", result: { ...withoutTwin, chanceLevel: 0.2 } }]), /different masks/);
  });

  test("faithfulness curves name the random orders and the edge detector, and show the paired test", () => {
    assert.deepEqual(metaOf("deletion-curves"), { chart: "deletion-curves", hypothesis: "H7", baselines: ["random orders", "edge detector"], statistic: "paired sign-flip, AUC − random AUC" });
    const withoutEdges = { ...deletionCurves, edgeDetector: undefined };
    const two = chartMeta(charts.faithfulnessChart([{ name: "a", result: withoutEdges }, { name: "b", result: withoutEdges }]));
    assert.deepEqual(two?.baselines, ["random orders"], "no edge curve computed, none claimed");
    assert.equal(two?.statistic, "paired sign-flip test of AUC vs random orders");
    assert.throws(() => charts.faithfulnessChart([{ name: "a", result: withoutEdges }, { name: "b", result: { ...withoutEdges, kind: "insertion" } }]), /differ in kind or steps/);
  });

  test("the regularisation chart's baseline is the α = 0 runs, and only when there are any", () => {
    assert.deepEqual(metaOf("selectivity-regularization"), { chart: "selectivity-regularization", hypothesis: "H8", baselines: ["α = 0 (unregularised, 2 runs)"], statistic: "welch-t" });
    assert.deepEqual(chartMeta(charts.regularizationChart([{ alpha: -1, seed: 1, accuracy: 0.9, selectivity: 0.1 }]))?.baselines, []);
    assert.throws(() => charts.regularizationChart([{ alpha: -1, seed: 1, accuracy: NaN, selectivity: 0.1 }]), /non-finite/);
  });

  test("the ROAR chart names the controls it was given and the test against random removal", () => {
    assert.deepEqual(metaOf("roar"), { chart: "roar", hypothesis: "H9", baselines: ["random removal", "Sobel ordering"], statistic: "paired sign-flip, method − random accuracy" });
    const alone = chartMeta(charts.roarChart({ ...roarResult, random: undefined, sobel: undefined, tests: {} }));
    assert.deepEqual([alone?.baselines, alone?.statistic], [[], undefined], "no control computed, none claimed");
  });

  test("selectivity, CKA and probe charts name their controls", () => {
    assert.deepEqual(metaOf("selectivity-histograms")?.baselines, ["untrained network"]);
    assert.deepEqual(metaOf("cka-matrix"), { chart: "cka-matrix", hypothesis: "H5", baselines: ["random init"], statistic: "CKA (linear)" });
    assert.deepEqual(metaOf("probe-accuracy")?.baselines, ["control task", "chance"]);
  });

  test("dissection names its two controls and the permutation comparison with random directions", () => {
    assert.deepEqual(metaOf("dissection"), { chart: "dissection", hypothesis: "H6", baselines: ["random directions", "masks shuffled across images"], statistic: "permutation" });
    const spec = examples.dissection() as any;
    assert.equal(spec.title.subtitle, "permutation: 0.07, p = 0.3");
    const units = spec.layer[1].data.values.filter((d: any) => d.source === "unit");
    assert.deepEqual(units.map((d: any) => [d.rank, d.unit, d.concept, d.survives]), [[1, 0, "enclosed-loop", "yes"], [2, 1, "vertical-stroke", "no"], [3, 2, "no concept", "no"]]);
  });

  test("a study chart names the control condition and chance as baselines, the paired comparison as its statistic", () => {
    assert.deepEqual(metaOf("study"), { chart: "study", hypothesis: "H1", baselines: ["no explanation", "chance"], statistic: "paired-permutation" });
    assert.equal((examples.study() as any).title.subtitle, "paired-permutation: 0.125, p = 0.5");
  });

  test("feature visualisation names random directions and natural exemplars; pixels are literal colours from the range", () => {
    assert.deepEqual(metaOf("feature-visualization"), { chart: "feature-visualization", hypothesis: "H7", baselines: ["random directions", "natural exemplars"] });
    const spec = examples["feature-visualization"]() as any;
    const unit3 = spec.datasets.pixels.filter((d: any) => d.feature === "unit 3");
    assert.deepEqual(unit3.map((d: any) => [d.row, d.column, d.rgb]), [[0, 0, "#000000"], [0, 1, "#808080"], [1, 0, "#ffffff"], [1, 1, "#404040"]]);
    assert.deepEqual(spec.datasets.natural.map((d: any) => [d.feature, d.activation]), [["unit 3", 0.95], ["unit 5", 0.26]]);
    assert.deepEqual([...new Set(spec.datasets.traces.map((d: any) => d.feature))], ["unit 3", "unit 5", "random direction 1"]);
    // A 128×128 RGB image is block-averaged to 64×64 cells.
    const big = { layer: "l", shape: [128, 128, 3], settings: { range: null }, features: [{ image: new Float32Array(128 * 128 * 3).map((_, i) => i % 3), activation: 1, trace: [1] }], random: [] };
    const cells = (charts.featureVisualizationChart(big) as any).datasets.pixels;
    assert.equal(cells.length, 64 * 64);
    assert.equal(cells[0].rgb, "#0080ff");
    assert.throws(() => charts.featureVisualizationChart({ ...big, shape: [128, 128, 2] }), charts.ChartError);
    assert.throws(() => charts.featureVisualizationChart(big, { natural: [] }), charts.ChartError);
  });

  test("exemplar prediction: chance and natural exemplars as baselines, the paired test as statistic, undefined units named not drawn", () => {
    assert.deepEqual(metaOf("exemplar-prediction"), { chart: "exemplar-prediction", hypothesis: "H7", baselines: ["chance", "natural exemplars"], statistic: "paired-permutation" });
    const spec = examples["exemplar-prediction"]() as any;
    assert.equal(spec.title.subtitle, "paired-permutation: 0.2, p = 0.5");
    assert.match(spec.title.text, /undefined for unit 20$/);
    assert.deepEqual(spec.data.values.map((d: any) => [d.unit, d.references, d.accuracy]), [
      ["unit 0", "natural exemplars", 0.71],
      ["unit 0", "synthetic exemplars", 0.64],
      ["unit 1", "natural exemplars", 0.77],
      ["unit 1", "synthetic exemplars", 0.43],
    ]);
    assert.throws(() => charts.exemplarPredictionChart({ layer: "l", chance: 0.5, units: [{ unit: 0, natural: null, synthetic: 0.5, pairs: 0 }], comparison: { statistic: 0, p: 1 } }), charts.ChartError);
  });

  test("SVCCA and PWCCA are extra rows of the CKA chart: named as its statistics, facet rows in order, one colour scale", () => {
    const spec = examples["cka-matrix-measures"]() as any;
    assert.deepEqual(chartMeta(spec), { chart: "cka-matrix", hypothesis: "H5", baselines: ["random init"], statistic: "CKA (linear), SVCCA, PWCCA" });
    assert.deepEqual(spec.facet.row.sort, ["CKA (linear)", "SVCCA", "PWCCA"]);
    assert.equal(spec.data.values.length, 3 * 6);
    assert.deepEqual(spec.data.values.find((d: any) => d.measure === "PWCCA" && d.row === "A: conv2" && d.column === "random init"), { measure: "PWCCA", row: "A: conv2", column: "random init", similarity: 0.3 });
  });

  test("describeChart says it in one line, and says when metadata is missing", () => {
    assert.equal(charts.describeChart(examples["ablation-curves"]()), "hypothesis H3 · baselines: random orders · statistic: permutation");
    assert.equal(charts.describeChart(examples.distribution()), "hypothesis H4 · baselines: data set (n = 10) · no statistic · shown within its distribution");
    assert.equal(charts.describeChart(charts.attributionHeatmap(image, map)), "no hypothesis · no baseline · no statistic");
    assert.match(charts.describeChart({ mark: "point" }), /metadata missing/);
  });

  test("the hypothesis prefixes the default title; an explicit title wins", () => {
    assert.equal(charts.attributionHeatmap(image, map, { hypothesis: "H9" }).title, "H9: attribution over the input");
    assert.equal(charts.attributionHeatmap(image, map, { hypothesis: "H9", title: "mine" }).title, "mine");
  });
});

describe("builders put the numbers where the reader looks", () => {
  test("grid panel titles carry Spearman and SSIM", () => {
    const spec = examples["attribution-grid"]() as { concat: { title: { text: string[] } }[] };
    assert.deepEqual(
      spec.concat.map((panel) => panel.title.text),
      ["input", ["saliency", "trained model"], ["cascading: to logits", "ρ = 0.98 · SSIM = 0.95"], ["cascading: to conv1", "ρ = 0.1 · SSIM = 0.2"], ["label-randomised model", "ρ = 0.05"], ["edge detector", "ρ = 1 · SSIM = 1"]],
    );
  });

  test("grid maps are |attribution| over each panel's own maximum", () => {
    const spec = examples["attribution-grid"]() as { datasets: Record<string, { shown: number; attribution: number }[]> };
    assert.deepEqual(Object.keys(spec.datasets), ["image", "outline", "method", "cascading-0", "cascading-1", "label-randomised", "edge-detector"]);
    assert.deepEqual(spec.datasets.method.map((cell) => cell.shown), map.flat().map((v) => Math.abs(v)));
    assert.equal(Math.max(...spec.datasets["cascading-1"].map((cell) => cell.shown)), 1);
  });

  test("the input is its own grey panel; each map is opaque with the input's outline over it (white on a dark halo)", () => {
    const spec = examples["attribution-heatmap"]() as any;
    const [input, mapped] = spec.hconcat;
    assert.deepEqual([input.data.name, input.mark.type, input.encoding.fill.scale.scheme], ["image", "rect", "greys"]);
    assert.equal(JSON.stringify(mapped).includes('"name":"image"'), false, "no image under the map to show through it");
    assert.equal(mapped.layer[0].mark.opacity, undefined, "the map is opaque");
    assert.deepEqual(mapped.layer.slice(1).map((layer: any) => [layer.data.name, layer.mark.type, layer.mark.color]), [["outline", "rule", "#000000"], ["outline", "rule", "#ffffff"]]);
    // The bright right half of the 3×4 image: 3 edges against the dark half, 2 + 2 on the top and bottom borders, 3 on the right.
    const edges = spec.datasets.outline as { row: number; col: number; row_end: number; col_end: number }[];
    assert.equal(edges.length, 10);
    assert.equal(edges.filter((e) => e.col === 2 && e.col_end === 2).length, 3, "the boundary between the halves");
    assert.deepEqual((charts.attributionHeatmap([[1, 1], [1, 1]], [[0, 1], [1, 0]]) as any).datasets.outline, [], "a flat image has no outline");
    const grid = examples["attribution-grid"]() as any;
    assert.equal(grid.concat[0].data.name, "image", "the grid starts with the input");
    assert.ok(grid.concat.slice(1).every((panel: any) => panel.layer.filter((layer: any) => layer.data.name === "outline").length === 2));
  });

  test("a signed map gets a diverging scale centred on zero, a non-negative one a magnitude scale", () => {
    const colour = (spec: Record<string, unknown>) => JSON.stringify(spec).match(/"scheme":"(redblue|inferno)"/)?.[1];
    assert.equal(colour(charts.attributionHeatmap(image, map)), "redblue");
    assert.equal(colour(charts.attributionHeatmap(image, image)), "inferno");
  });

  test("marked examples are labelled with their percentile in the data set", () => {
    const spec = examples.distribution() as { layer: { data: { values: { label?: string }[] } }[] };
    assert.deepEqual(spec.layer.at(-1)?.data.values.map((row) => row.label), ["the shown cat: 9 (100th percentile)"]);
  });

  test("the random band from raw orders is their mean and percentile interval", () => {
    const band = charts.randomBand([[1, 10], [2, 20], [3, 30], [4, 40]], 0.5);
    assert.deepEqual(band, { mean: [2.5, 25], lower: [1.75, 17.5], upper: [3.25, 32.5], level: 0.5, orders: 4 });
  });
});

describe("bad input is a ChartError that says what to change", () => {
  const rejects = (build: () => unknown, pattern: RegExp) =>
    assert.throws(build, (error: unknown) => error instanceof charts.ChartError && error.kind === "invalid-input" && pattern.test(error.message));

  test("shapes", () => {
    rejects(() => charts.attributionHeatmap(image, [[1, 2]]), /map is 1×2 but the image is 3×4/);
    rejects(() => charts.attributionHeatmap([[1, 2], [3]], [[1, 2], [3]]), /ragged: row 1 has 1 values/);
    rejects(() => charts.attributionHeatmap([], []), /empty/);
    rejects(() => charts.attributionGrid({ image, method: { name: "s", map }, edgeDetector: { map: [[1]] } }), /edge-detector map is 1×1/);
    rejects(() => charts.ckaMatrix([[1, 2]], { rows: ["a"] }), /1×2 but there are 1 row and 1 column labels/);
    rejects(() => charts.ckaMatrix([[1]], { rows: ["a"], controls: ["b"] }), /"b" are not row or column labels/);
    rejects(() => charts.ckaMatrix([[1, 2]], { rows: ["a"], columns: ["b", "c"], measures: { SVCCA: [[1]] } }), /measure "SVCCA" is 1×1 but the CKA matrix is 1×2/);
    rejects(() => charts.ckaMatrix([[1]], { rows: ["a"], measures: { PWCCA: [[Number.NaN]] } }), /measure "PWCCA"\[0\]\[0\] is NaN/);
  });

  test("values", () => {
    rejects(() => charts.attributionHeatmap([[Number.NaN]], [[1]]), /image\[0\]\[0\] is NaN/);
    rejects(() => charts.distributionView([1, 2], []), /at least one example/);
    rejects(() => charts.histogram([]), /empty/);
  });

  test("series lengths", () => {
    rejects(() => charts.ablationCurves({ unitsAblated: [0, 1], curves: [{ order: "o", accuracy: [1] }], random: { mean: [1, 1], lower: [1, 1], upper: [1, 1], level: 0.95 } }), /curve "o" has 1 values but there are 2/);
    rejects(() => charts.probeAccuracy({ layers: ["a", "b"], accuracy: [1, 1], control: [1] }), /control has 1 values/);
  });
});
