// How alike two attribution maps are: rank correlation (signed and absolute), SSIM and HOG similarity,
// the measures of Adebayo et al.'s sanity checks.
export { type Map2D, normalizeAbs } from "./image";
export { mapSpearman, type RankCorrelationOptions } from "./rank-correlation";
export { ssim, type SsimOptions } from "./ssim";
export { hog, type HogOptions, hogSimilarity } from "./hog";
