// What the researcher of the new-notebook tour (tour.e2e.ts) types: a lone saliency heatmap, then their
// own words and code where the quick fixes' templates leave placeholders. Not a scenario (the runner
// loads *.e2e.ts only).

/** The picture a notebook starts with: one digit's gradient saliency map over the digit. */
export const HEATMAP = `import { attributionHeatmap, attributionMap, gradient, loadDigits, loadModel } from "falsify";
const digits = loadDigits({ path: "digits/digits.csv.gz" });
const cnn = await loadModel("digits/models/cnn/model.json");
const x = digits.test.images.slice(0, 1);
const saliency = await gradient(cnn, x);
const image = attributionMap({ values: x.dataSync(), shape: x.shape }, 0);
display(attributionHeatmap(image, attributionMap(saliency, 0), { method: "gradient" }));
`;

/** The hypothesis template's placeholders and what the researcher writes over each. */
export const HYPOTHESIS_FILL: { field: string; placeholder: RegExp; text: string }[] = [
  { field: "claim", placeholder: /^claim: (<.*>)$/, text: "The gradient saliency map of the digits CNN depends on the weights it learned." },
  {
    field: "prediction",
    placeholder: /^prediction: (<.*>)$/,
    text: "On 20 test digits the maps of an independently trained twin (cnn-seed1) agree with the trained CNN's maps better than the maps of the CNN with every layer re-initialised do.",
  },
  { field: "null", placeholder: /^null: (<.*>)$/, text: "The fully randomised CNN's maps agree with the trained maps as well as the twin's do." },
  { field: "metric", placeholder: /^metric: (<.*>)$/, text: "Spearman rank correlation of |map| with the trained CNN's map, per test digit" },
];

/** The placeholder of the baseline and verdict scaffolds (scaffolds.ts): values still to compute. */
export const VALUES_PLACEHOLDER = /\[\/\*[^\]]*\*\/\]/;

/** Lines the researcher types above the scaffold's `fx.baseline(...)` line, and the values they put in its placeholder. */
export const BASELINE_FILL = {
  lines: [
    `import { sanityCheck } from "falsify";`,
    `const images = digits.test.images.slice(0, 20);`,
    `const report = await sanityCheck("gradient", cnn, images, {}, { seed: 0 });`,
    `const randomised = report.controls.filter((c) => c.kind === "cascading").pop()!;`,
  ],
  values: "randomised.similarity.spearmanAbs",
};

/** The same for the verdict scaffold: the observed metric, the twin's maps against the trained ones. */
export const VERDICT_FILL = {
  lines: [
    `import { attributionMaps, explainer, loadModel, mapSimilarity } from "falsify";`,
    `const twin = await loadModel("digits/models/cnn-seed1/model.json");`,
    `const twinMaps = attributionMaps(await explainer("gradient")(twin, images, Int32Array.from(report.targets)));`,
    `const twinSimilarity = report.maps.map((map, i) => mapSimilarity(map, twinMaps[i]).spearmanAbs);`,
  ],
  values: "twinSimilarity",
};
