// The attribution methods by name (no imports: refusals, model inspection and the scoreboard read it).
/**
 * Every attribution method and the toolkit function that computes it, in the toolkit's order: the one
 * list that refusals, model inspection and the scoreboard name. All of them take tfjs layers and graph
 * models (Keras and ONNX imports included); Guided Backprop, Grad-CAM, Guided Grad-CAM and DeepLift
 * read the model op by op, so they refuse a bare score function.
 */
export const ATTRIBUTION_FUNCTIONS = {
  gradient: "gradient",
  "gradient-x-input": "gradientTimesInput",
  "integrated-gradients": "integratedGradients",
  smoothgrad: "smoothGrad",
  "guided-backprop": "guidedBackprop",
  "grad-cam": "gradCam",
  "guided-grad-cam": "guidedGradCam",
  occlusion: "occlusion",
  deeplift: "deepLift",
} as const;

export type AttributionMethod = keyof typeof ATTRIBUTION_FUNCTIONS;
