// What a cell is, declares, uses and sees: one reading of its source, one dependency graph over the
// notebook's cells, one table of its run-time environment. Kernel, script runtime, export and lint
// import these; none keeps a copy.
export * from "./environment";
export * from "./reading";
export * from "./graph";
export * from "./api-roles";
