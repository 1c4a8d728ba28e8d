// Saliency sanity checks (Adebayo et al. 2018): each attribution method against the controls that can
// falsify it: parameter randomisation (cascading and independent), a label-randomised model, and an
// edge detector.
export * from "./randomize";
export * from "./edge-detector";
export * from "./sanity-check";
