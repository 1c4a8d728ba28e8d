// Attribution: which input values a class score depends on. Every method is batched, leaves no
// tensors behind, and returns plain arrays with the classes it explained.
export type { Explainable, ScoreFunction, ScoreOutput, Target } from "./scores";
export { ATTRIBUTION_FUNCTIONS, type AttributionMethod } from "./methods";
export { type AttributionResult, attributionMap, attributionMaps, type Completeness, type MapOptions } from "./result";
export { quadrature, type Quadrature, type QuadratureRule } from "./quadrature";
export { gradient, type GradientOptions, gradientTimesInput } from "./gradient";
export { integratedGradients, type IntegratedGradientsOptions } from "./integrated-gradients";
export { smoothGrad, type SmoothGradOptions } from "./smoothgrad";
export { guidedBackprop } from "./guided-backprop";
export { gradCam, type GradCamOptions, guidedGradCam } from "./grad-cam";
export { occlusion, type OcclusionOptions } from "./occlusion";
export { deepLift, type DeepLiftOptions } from "./deep-lift";
