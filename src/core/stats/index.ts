export * from "./rng";
export * from "./special";
