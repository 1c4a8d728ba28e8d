// The Falsify runtime library: what `import ... from "falsify"` gives a cell (and an exported
// script). It re-exports the toolkit from src/core; each area adds one line here.
export * from "../core/display";
export * from "../core/stats";
export * from "../core/verdict";
export * from "../core/charts";
export * from "../core/interp";
export * from "../core/data";
export * from "../core/study";
// The run record (results, shards) shared by the kernel and exported scripts.
export { record, shardOf, currentRun } from "./run-record";
export * from "../core/hypothesis/baseline";
