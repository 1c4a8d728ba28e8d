// One small, fixed input per chart builder: the golden snapshots, the SVG tests and the renderer's
// browser test all draw these, so a change to a builder shows up in every layer at once.
import * as charts from "../../../src/core/charts";
import type { VegaLiteSpec, Verdict } from "../../../src/core/display";

/** A 3×4 image with a bright right half, and a signed map that picks out its edge. */
export const image = [
  [0, 0, 1, 1],
  [0, 0, 1, 1],
  [0, 0, 1, 1],
];
export const map = [
  [0, -0.5, 0.5, 0],
  [0, -1, 1, 0],
  [0, -0.5, 0.5, 0],
];

const units = [0, 1, 2, 4, 8];
/** Five random orders whose accuracy falls 1% per unit, spread ±0.4% per unit. */
const draws = [-2, -1, 0, 1, 2].map((spread) => units.map((u) => 0.9 - u * (0.01 + spread * 0.002)));

/** A sanity-check report as interp's `sanityCheck` returns it: two examples, four controls. */
export const sanityReport: charts.SanityReportLike = {
  method: "gradient",
  n: 2,
  images: [image, image.map((row) => row.map((v) => 1 - v))],
  maps: [map, map.map((row) => row.map((v) => -v))],
  controls: [
    { id: "cascading-1", kind: "cascading", label: "cascading randomisation: logits", layers: ["logits"], maps: [image, image], similarity: { spearmanAbs: [0.9, 0.8], spearman: [0.7, 0.6], ssim: [0.5, 0.4] } },
    { id: "cascading-2", kind: "cascading", label: "cascading randomisation: logits → conv1", layers: ["logits", "conv1"], maps: [image, image], similarity: { spearmanAbs: [0.2, Number.NaN], spearman: [0.1, 0.1], ssim: [0.1, 0.05] } },
    { id: "independent-conv1", kind: "independent", label: "independent randomisation: conv1", layers: ["conv1"], maps: [map, map], similarity: { spearmanAbs: [0.3, 0.35], spearman: [0.2, 0.25], ssim: [0.2, 0.2] } },
    { id: "edge-detector", kind: "edge-detector", label: "edge detector (Sobel)", layers: [], maps: [image, map], similarity: { spearmanAbs: [0.6, 0.65], spearman: [0.5, 0.55], ssim: [0.3, 0.35] } },
  ],
};

export const examples: Record<string, () => VegaLiteSpec> = {
  "attribution-heatmap": () => charts.attributionHeatmap(image, map, { method: "saliency", hypothesis: "H1" }),
  "attribution-grid": () =>
    charts.attributionGrid(
      {
        image,
        method: { name: "saliency", map },
        cascading: [
          { layer: "logits", map: map.map((row) => row.map((v) => v * 0.9)), spearman: 0.98, ssim: 0.95 },
          { layer: "conv1", map: image, spearman: 0.1, ssim: 0.2 },
        ],
        labelRandomised: { map: image, spearman: 0.05 },
        edgeDetector: { map: map.map((row) => row.map(Math.abs)), spearman: 1, ssim: 1 },
      },
      { hypothesis: "H2" },
    ),
  "sanity-grid": () => charts.sanityGrid(sanityReport, { example: 1, hypothesis: "H2" }),
  "sanity-similarity": () => charts.sanitySimilarity(sanityReport, { hypothesis: "H2" }),
  "ablation-curves": () =>
    charts.ablationCurves(
      { unitsAblated: units, curves: [{ order: "most selective first", accuracy: units.map((u) => 0.9 - u * 0.03) }], random: { draws } },
      { hypothesis: "H3", statistic: { name: "permutation", value: 0.21, p: 0.004 } },
    ),
  distribution: () => charts.distributionView([1, 2, 2, 3, 3, 3, 4, 4, 5, 9], [{ value: 9, label: "the shown cat" }], { quantity: "max activation", bins: 4, hypothesis: "H4" }),
  "distribution-density": () => charts.distributionView([1, 2, 2, 3, 3, 3, 4, 4, 5], [2, 4], { density: true, bins: 4 }),
  "selectivity-histograms": () =>
    charts.selectivityHistograms(
      [
        { layer: "conv1", index: [0.1, 0.2, 0.2, 0.8] },
        { layer: "conv2", index: [0.5, 0.6, 0.9] },
      ],
      { bins: 4, control: { name: "untrained network", layers: [{ layer: "conv1", index: [0.1, 0.1, 0.15] }, { layer: "conv2", index: [0.2, 0.3] }] } },
    ),
  "cka-matrix": () =>
    charts.ckaMatrix(
      [
        [1, 0.7, 0.1],
        [0.6, 0.9, 0.15],
      ],
      { rows: ["A: conv1", "A: conv2"], columns: ["B: conv1", "B: conv2", "random init"], rowTitle: "model A", columnTitle: "model B", controls: ["random init"], hypothesis: "H5" },
    ),
  "cka-matrix-measures": () =>
    charts.ckaMatrix(
      [
        [1, 0.7, 0.1],
        [0.6, 0.9, 0.15],
      ],
      {
        rows: ["A: conv1", "A: conv2"],
        columns: ["B: conv1", "B: conv2", "random init"],
        controls: ["random init"],
        measures: {
          SVCCA: [
            [0.95, 0.5, 0.2],
            [0.45, 0.85, 0.25],
          ],
          PWCCA: [
            [0.9, 0.55, 0.3],
            [0.5, 0.8, 0.3],
          ],
        },
        hypothesis: "H5",
      },
    ),
  dissection: () =>
    charts.dissectionChart(
      {
        layer: "conv2",
        iouThreshold: 0.04,
        alpha: 0.05,
        units: [
          { unit: 0, label: "enclosed-loop", bestIou: 0.31, iou: [0.31, 0.02], pAdjusted: [0.001, 1], significant: true },
          { unit: 1, label: "vertical-stroke", bestIou: 0.045, iou: [0.01, 0.045], pAdjusted: [1, 0.4], significant: false },
          { unit: 2, label: null, bestIou: 0.02, iou: [0.02, 0.01], pAdjusted: [0.9, 1], significant: false },
        ],
        random: {
          units: [
            { unit: 0, label: "vertical-stroke", bestIou: 0.12, iou: [0.05, 0.12], pAdjusted: [0.2, 0.01], significant: true },
            { unit: 1, label: null, bestIou: 0.03, iou: [0.03, 0.01], pAdjusted: [0.5, 1], significant: false },
            { unit: 2, label: null, bestIou: 0.01, iou: [0.01, 0.01], pAdjusted: [1, 1], significant: false },
          ],
        },
        comparison: { statistic: 0.07, p: 0.3 },
      },
      { hypothesis: "H6" },
    ),
  study: () =>
    charts.studyChart(
      {
        study: "saliency-digits",
        chance: 0.1,
        conditions: [
          { id: "none", label: "no explanation", explained: false, accuracy: 0.55, ci: [0.45, 0.65], trials: 96 },
          { id: "saliency", label: "saliency map", explained: true, accuracy: 0.7, ci: [0.6, 0.79], trials: 96 },
        ],
        byParticipant: { P01: { none: 0.5, saliency: 0.75 }, P02: { none: 0.625, saliency: 0.625 } },
        comparisons: [{ condition: "saliency", control: "none", difference: 0.125, test: { p: 0.5 } }],
      },
      { hypothesis: "H1" },
    ),
  "feature-visualization": () =>
    charts.featureVisualizationChart(
      {
        layer: "conv2",
        shape: [2, 2, 1],
        settings: { range: [0, 1] },
        features: [
          { unit: 3, image: [0, 0.5, 1, 0.25], activation: 1.7, trace: [0.4, 1.1, 1.6] },
          { unit: 5, image: [1, 1, 0, 0], activation: 0.5, trace: [0, 0.3, 0.5] },
        ],
        random: [{ image: [0.2, 0.4, 0.6, 0.8], activation: 0.6, trace: [0.1, 0.4, 0.6] }],
      },
      { hypothesis: "H7", natural: [{ top: [{ activation: 0.95 }, { activation: 0.9 }] }, { top: [{ activation: 0.26 }] }] },
    ),
  "exemplar-prediction": () =>
    charts.exemplarPredictionChart(
      {
        layer: "conv2",
        chance: 0.5,
        units: [
          { unit: 0, natural: 0.71, synthetic: 0.64, pairs: 1200 },
          { unit: 1, natural: 0.77, synthetic: 0.43, pairs: 1190 },
          { unit: 20, natural: null, synthetic: null, pairs: 0 },
        ],
        comparison: { statistic: 0.2, p: 0.5 },
      },
      { hypothesis: "H7" },
    ),
  "probe-accuracy": () =>
    charts.probeAccuracy(
      { layers: ["embedding", "block 1", "block 2"], accuracy: [0.6, 0.85, 0.8], control: [0.55, 0.6, 0.7], chance: 0.1, interval: { lower: [0.55, 0.8, 0.75], upper: [0.65, 0.9, 0.85] } },
      { property: "part of speech" },
    ),
  localisation: () => charts.localisationChart([
    { name: "gradient", result: localisationResult(0.6, 0.2) },
    { name: "occlusion", result: localisationResult(0.9, 0.1) },
  ], { hypothesis: "H6" }),
  "deletion-curves": () => charts.faithfulnessChart(deletionCurves, { hypothesis: "H7" }),
  "selectivity-regularization": () =>
    charts.regularizationChart(
      [-1, -0.3, 0].flatMap((alpha) => [1, 2].map((seed) => ({ alpha, seed, accuracy: 0.98 + alpha * 0.01 + seed * 0.001, selectivity: 0.33 + alpha * 0.2 + seed * 0.01 }))),
      { layer: "dense", hypothesis: "H8", statistic: { name: "welch-t", value: -0.009, p: 0.03 } },
    ),
  roar: () => charts.roarChart(roarResult, { method: "gradient", hypothesis: "H9" }),
};

/** A ROAR result as interp's `roar` returns it (the parts the chart reads): two runs per point. */
export const roarResult: charts.RoarResultLike = {
  fractions: [0, 0.5, 0.9],
  repeats: 2,
  method: { accuracy: [[0.98, 0.97], [0.6, 0.62], [0.3, 0.28]], mean: [0.975, 0.61, 0.29], lower: [0.97, 0.6, 0.28], upper: [0.98, 0.62, 0.3] },
  random: { accuracy: [[0.98, 0.97], [0.9, 0.88], [0.5, 0.54]], mean: [0.975, 0.89, 0.52], lower: [0.97, 0.88, 0.5], upper: [0.98, 0.9, 0.54] },
  sobel: { accuracy: [[0.98, 0.97], [0.85, 0.86], [0.45, 0.44]], mean: [0.975, 0.855, 0.445], lower: [0.97, 0.85, 0.44], upper: [0.98, 0.86, 0.45] },
  tests: { vsRandom: { p: 0.03, effect: { estimate: -0.255 } } },
};

/** Deletion curves as interp's `deletionCurve` returns them (the parts the chart reads): the method falls faster than random. */
export const deletionCurves: charts.FaithfulnessCurvesLike = {
  kind: "deletion",
  fractions: [0, 0.25, 0.5, 0.75, 1],
  baseline: "zero",
  method: { mean: [0.9, 0.3, 0.15, 0.1, 0.1], auc: [0.25, 0.2] },
  random: { mean: [0.9, 0.75, 0.5, 0.3, 0.1], lower: [0.9, 0.65, 0.4, 0.2, 0.1], upper: [0.9, 0.85, 0.6, 0.4, 0.1], orders: 20, auc: [0.5, 0.55] },
  edgeDetector: { mean: [0.9, 0.7, 0.45, 0.25, 0.1], auc: [0.48, 0.5] },
  tests: { vsRandom: { p: 0.002, effect: { estimate: -0.3 } } },
};

/** A localisation result as interp's `localisation` returns it (the parts the chart reads): the flawed model scores `flawed`, the twin `twin`. */
function localisationResult(flawed: number, twin: number): charts.LocalisationResultLike {
  const summary = (mean: number) => ({ n: 40, mean, ci: [mean - 0.05, mean + 0.05] as [number, number] });
  const all = (mean: number) => ({ relevanceMass: summary(mean), rankAccuracy: summary(mean - 0.1), pointingGame: summary(mean + 0.05) });
  const test = { vsChance: { p: 0.001 }, vsTwin: { p: 0.002 } };
  return { n: 40, chanceLevel: 0.0625, summary: all(flawed), twinSummary: all(twin), tests: { relevanceMass: test, rankAccuracy: test, pointingGame: test } };
}

/** A falsified hypothesis whose effect interval lies below its declared threshold. */
export const verdict: Verdict = {
  hypothesis: "H1",
  claim: "Ablating the 10 most selective units hurts accuracy more than random units.",
  verdict: "falsified",
  test: "permutation",
  alternative: "greater",
  alpha: 0.05,
  statistic: 0.0123,
  p: 0.41,
  effect: { name: "accuracy drop difference", estimate: 0.004, ci: [-0.01, 0.018], threshold: 0.02 },
  n: { observed: 1, baseline: 1000 },
  reason: "The drop is within the random-order band and its interval lies below the declared 0.02.",
};
