// How alike two attribution maps are: rank correlation (signed and absolute), SSIM and HOG similarity,
// the measures of Adebayo et al.'s sanity checks.
export * from "./image";
export * from "./rank-correlation";
export * from "./ssim";
export * from "./hog";
