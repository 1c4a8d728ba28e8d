// Ablation: remove units or directions from a layer and measure what the model loses.
export * from "./site";
export * from "./curves";
export * from "./project";
export * from "./head";
