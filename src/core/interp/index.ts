// The interpretability toolkit: each method with the control that can falsify it.
export * from "./activations";
export * from "./selectivity";
export * from "./ablation";
export * from "./representations";
export * from "./attribution";
export * from "./similarity";
export * from "./sanity";
export * from "./dissection";
export * from "./exemplars";
export * from "./feature-visualization";
export * from "./exemplar-prediction";
export * from "./flaws";
export * from "./faithfulness";
export * from "./selectivity-regularizer";
