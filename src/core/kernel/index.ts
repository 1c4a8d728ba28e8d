export * from "./protocol";
export * from "./transpile";
export * from "./stack";
export * from "./tensor";
export * from "./mime-bundle";
export type { KernelHooks } from "./repl";
