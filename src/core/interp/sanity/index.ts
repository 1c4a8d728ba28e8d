// Saliency sanity checks (Adebayo et al. 2018): each attribution method against the controls that can
// falsify it: parameter randomisation (cascading and independent), a label-randomised model, and an
// edge detector.
export { type BatchNormRandomisation, cloneModel, randomizableLayers, randomizedCopy, type RandomizationOptions } from "./randomize";
export { type Block, type BlockSpec, randomizationBlocks } from "./blocks";
export { sobelMagnitude } from "./edge-detector";
export { constantScores, type DegenerateReason, type Degeneracy, type MapStatus, mapStatus } from "./degenerate";
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
