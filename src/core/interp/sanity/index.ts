// Saliency sanity checks (Adebayo et al. 2018): each attribution method against the controls that can
// falsify it: parameter randomisation (cascading and independent), a label-randomised model, and an
// edge detector.
export { cloneModel, randomizableLayers, randomizedCopy } from "./randomize";
export { sobelMagnitude } from "./edge-detector";
export {
  explainer,
  type Explainer,
  mapSimilarity,
  type MethodOptions,
  sanityCheck,
  type SanityControlResult,
  type SanityControls,
  type SanityOptions,
  type SanityReport,
  SIMILARITY_MEASURES,
  type SimilarityMeasure,
  type SimilaritySummary,
} from "./sanity-check";
