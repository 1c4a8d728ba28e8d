// The commands themselves, bundled apart from the CLI's entry (dist/commands.js, see esbuild.js):
// main.ts requires this module only when a command runs, so `--help` and `--version` compile none of it.
// `run` is a bundle of its own (run.js).
export { exportCommand } from "./export";
export { fmt } from "./fmt";
export { lint } from "./lint";
export { merge } from "./merge";
export { validate } from "./validate";
