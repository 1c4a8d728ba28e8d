// The falsifiability linter: pure, no vscode. Front ends: src/vscode/lint (editor), src/cli/lint.ts.
export * from "./linter";
export * from "./diagnostic";
export * from "./config";
export * from "./strength";
export * from "./checks";
export * from "./preregistration";
export * from "./scaffolds";
export * from "./insert-hypothesis";
export { RULES } from "./rules";
export { docsPath, type Rule } from "./rule";
