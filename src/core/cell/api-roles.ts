// The one list of API names the linter understands, and what each one means for falsifiability.
// A unit test checks that every runtime name here is really exported by src/runtime/index.ts, so a
// rename in the toolkit breaks a test instead of silently blinding the linter.
import type { CellGlobal } from "./environment";

export type ApiRole =
  /** Shows a picture. */
  | "visual"
  /** Shows a picture that places the example(s) within a distribution over the data set. */
  | "distribution"
  /** Computes a control/baseline the observation is compared with. */
  | "baseline"
  /** Quantifies: a statistical test or a verdict. */
  | "test"
  /** A multiple-comparison correction. */
  | "correction";

/** Exports of the Falsify runtime (`import { ... } from "falsify"`, or `fx.name` in a cell). */
export const RUNTIME_ROLES: Readonly<Record<string, ApiRole>> = {
  // Charts (src/core/charts). Their run-time metadata says whether they carry baselines/statistics.
  attributionHeatmap: "visual",
  attributionGrid: "visual",
  ablationCurves: "visual",
  selectivityHistograms: "visual",
  ckaMatrix: "visual",
  probeAccuracy: "visual",
  dissectionChart: "visual",
  featureVisualizationChart: "visual",
  exemplarPredictionChart: "visual",
  studyChart: "visual",
  localisationChart: "visual",
  faithfulnessChart: "visual",
  regularizationChart: "visual",
  roarChart: "visual",
  distributionView: "distribution",
  // Controls.
  baseline: "baseline",
  randomBand: "baseline",
  controlTaskLabels: "baseline",
  probeWithControl: "baseline",
  sanityCheck: "baseline",
  randomizedCopy: "baseline",
  sobelMagnitude: "baseline",
  dissect: "baseline",
  topExemplars: "baseline",
  // Optimises random directions of the layer beside the units, as their baseline.
  featureVisualization: "baseline",
  // Builds the control condition (no explanation) every explained condition is compared with.
  study: "baseline",
  localisation: "baseline",
  methodScoreboard: "baseline",
  deletionCurve: "baseline",
  insertionCurve: "baseline",
  roar: "baseline",
  // Tests (src/core/stats, src/core/verdict, TCAV's random-concept t-test).
  verdict: "test",
  analyzeStudy: "test",
  // Natural vs synthetic exemplars against chance, with a paired permutation test over units.
  exemplarPrediction: "test",
  binomialTest: "test",
  bootstrap: "test",
  tcav: "test",
  permutationTest: "test",
  pairedPermutationTest: "test",
  correlationPermutationTest: "test",
  studentTTest: "test",
  welchTTest: "test",
  pairedTTest: "test",
  oneSampleTTest: "test",
  pearson: "test",
  spearman: "test",
  adjustPValues: "correction",
  correctVerdicts: "correction",
};

/** Cell globals (src/core/cell/environment.ts) that are not runtime exports. */
export const KERNEL_GLOBAL_ROLES: Readonly<Partial<Record<CellGlobal, ApiRole>>> = {
  display: "visual",
};

/** The call that decides a hypothesis with its declared test (it runs that test itself). */
export const VERDICT_FUNCTION = "verdict";

/** tfjs-vis draws charts through these sub-namespaces (`tfvis.render.barchart`, `tfvis.show.history`). */
export const TFJS_VIS = { module: "@tensorflow/tfjs-vis", global: "tfvis", drawing: ["render", "show"] } as const;

/**
 * Random sources by dotted callee name, with the index of their seed argument (`null`: no way to
 * seed it). tfjs random ops fall back to an unseeded generator when the seed is omitted.
 */
export const RANDOM_SOURCES: Readonly<Record<string, number | null>> = {
  "Math.random": null,
  "crypto.getRandomValues": null,
  "tf.util.shuffle": null,
  "tf.randomNormal": 4,
  "tf.randomUniform": 4,
  "tf.randomUniformInt": 3,
  "tf.truncatedNormal": 4,
  "tf.randomGamma": 4,
  "tf.randomStandardNormal": 2,
  "tf.multinomial": 2,
};

/** The role of a runtime or kernel-global name, if it has one. */
export function roleOf(name: string): ApiRole | undefined {
  return Object.hasOwn(RUNTIME_ROLES, name) ? RUNTIME_ROLES[name] : Object.hasOwn(KERNEL_GLOBAL_ROLES, name) ? KERNEL_GLOBAL_ROLES[name as CellGlobal] : undefined;
}

/** Where a call's file path is: an argument, or a property of an options argument; `scheme`: a URL prefix meaning a local file. */
export interface FilePathPlace {
  argument: number;
  property?: string;
  scheme?: string;
}

/**
 * Calls that read a file the cell names (runtime loaders by name, tfjs loaders by dotted name),
 * so that an export can list and carry the files. Node's fs readers are matched by their last name
 * (`readFileSync`, `fs.readFileSync`, `fs.promises.readFile`): see NODE_FILE_READERS.
 */
export const FILE_READERS: Readonly<Record<string, FilePathPlace>> = {
  loadModel: { argument: 0 },
  loadDigits: { argument: 0, property: "path" },
  loadTrigger: { argument: 0 },
  readDigitsTable: { argument: 0 },
  "tf.loadLayersModel": { argument: 0, scheme: "file://" },
  "tf.loadGraphModel": { argument: 0, scheme: "file://" },
  "tf.data.csv": { argument: 0, scheme: "file://" },
};

/** node:fs readers, whatever the fs module is called in the cell. */
export const NODE_FILE_READERS: readonly string[] = ["readFileSync", "readFile", "createReadStream"];
