// Reproducible scripts: notebook -> standalone script (whole, or a cell with its dependencies),
// the results JSON both write, and merging the results of sharded or swept jobs.
export * from "./plan";
export * from "./generate";
export * from "./data";
export * from "./pinned";
export * from "./results";
export * from "./merge";
