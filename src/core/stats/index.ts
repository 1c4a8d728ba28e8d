// The statistics of the falsification toolkit: seeded randomness, classical tests, resampling
// tests and intervals, effect sizes and false-discovery-rate control.
export * from "./rng";
export * from "./special";
export { mean, variance, StatsError, type Alternative, type Sample, type StatsErrorKind } from "./sample";
export * from "./rank";
export * from "./correlation";
export * from "./t-test";
export * from "./effect-size";
export * from "./multiple-comparisons";
export * from "./permutation";
export * from "./bootstrap";
export * from "./binomial";
