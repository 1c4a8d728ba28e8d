// Comparing and reading representations: CKA, linear probes with control tasks, TCAV.
export * from "./matrix";
export * from "./cka";
export * from "./cca";
export * from "./probe";
export * from "./tcav";
