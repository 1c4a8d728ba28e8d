// Faithfulness: does removing what a map ranks highest change the model's output more than removing
// anything else? Curves per input (deletion/insertion) and remove-and-retrain (ROAR).
export { auc, type CurveSet, deletionCurve, type FaithfulnessCurves, type FaithfulnessOptions, insertionCurve, type Removal } from "./curves";
export { gaussianBlur } from "./blur";
export { type AttributionFunction, type LabelledImages, roar, type RoarCurve, type RoarOptions, type RoarResult, type RoarRun, type TrainFunction } from "./roar";
