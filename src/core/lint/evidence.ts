// What kind of evidence a picture is, from the cell's facts (the charts its reading finds, else the
// charts its outputs name), and what kind of study a hypothesis declares. The scaffolds give each
// kind its own controls (an attribution map is checked against randomised models and an edge
// detector, not against ablated random units), and link targets are ranked by whether they fit.
import type { Hypothesis } from "../hypothesis";
import type { CellInfo } from "./model";

export type EvidenceKind = "attribution" | "ablation" | "probe" | "similarity";

export interface KindOfStudy {
  kind: EvidenceKind;
  /** "an attribution map": what the picture is, in a message. */
  shows: string;
  intervention: string;
  /** The controls this kind of picture is checked against, first the one a test compares with (YAML plain scalars: no ": "). */
  baselines: { name: string; description: string }[];
}

export const STUDIES: Readonly<Record<EvidenceKind, KindOfStudy>> = {
  attribution: {
    kind: "attribution",
    shows: "an attribution map",
    intervention: "randomization",
    baselines: [
      { name: "randomized-model", description: "The same model with its layers re-initialised (cascading randomisation, sanityCheck); a map that survives it does not show what the model learned." },
      { name: "edge-detector", description: "The Sobel edge map of the input (sobelMagnitude), what a map with no model behind it looks like." },
    ],
  },
  ablation: {
    kind: "ablation",
    shows: "an ablation",
    intervention: "ablation",
    baselines: [{ name: "random-units", description: "The same ablation on as many randomly chosen units of the same layer (randomBand)." }],
  },
  probe: {
    kind: "probe",
    shows: "a probe's accuracy",
    intervention: "none",
    baselines: [{ name: "control-task", description: "The same probe trained to predict random labels fixed per word type (controlTaskLabels, probeWithControl); its accuracy is what the probe alone can memorise." }],
  },
  similarity: {
    kind: "similarity",
    shows: "a representation similarity",
    intervention: "none",
    baselines: [{ name: "untrained-copy", description: "The same architecture at initialisation, before any training (randomizedCopy); how similar representations are by architecture alone." }],
  },
};

/** Chart builders (runtime names) by the kind of evidence they draw. */
const CHARTS: Readonly<Record<string, EvidenceKind>> = {
  attributionHeatmap: "attribution",
  attributionGrid: "attribution",
  localisationChart: "attribution",
  faithfulnessChart: "attribution",
  ablationCurves: "ablation",
  selectivityHistograms: "ablation",
  probeAccuracy: "probe",
  ckaMatrix: "similarity",
};

/** What the cell's picture is evidence of, if Falsify knows the chart. */
export function evidenceOf(info: CellInfo): KindOfStudy | undefined {
  const drawn = info.facts.kind === "code" ? info.facts.code.visuals.map((site) => site.name) : [];
  // Run-time chart metadata names builders in kebab case ("attribution-grid").
  const shown = info.outputs.charts.map((chart) => chart.chart.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()));
  for (const name of [...drawn, ...shown]) {
    const kind = Object.hasOwn(CHARTS, name) ? CHARTS[name] : undefined;
    if (kind) return STUDIES[kind];
  }
  return undefined;
}

/** The kind of study a hypothesis declares, by its controls (then its intervention), if it says. */
export function studyOf(hypothesis: Hypothesis | undefined): KindOfStudy | undefined {
  if (!hypothesis) return undefined;
  const studies = Object.values(STUDIES);
  const names = new Set(hypothesis.baselines.map((b) => b.name.toLowerCase()));
  return (
    studies.find((study) => study.baselines.some((b) => names.has(b.name))) ??
    studies.find((study) => study.intervention !== "none" && study.intervention === hypothesis.intervention?.trim().toLowerCase())
  );
}
