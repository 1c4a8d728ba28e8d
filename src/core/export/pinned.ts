// `falsify export --dir out/`: a folder that reruns the notebook on what it ran on: the bundled
// script, a package.json pinning the versions the notebook's outputs were recorded with, and a
// README. The script carries falsify and tfjs inside (npm's "falsify" is another project, so it is
// never a dependency); @tensorflow/tfjs-node, when the notebook ran on it, is an optional dependency
// at the recorded version. At start the script compares what it runs on with the record and warns.
import type { Cell } from "../format";

/** The versions a notebook's outputs were recorded with (cells' `execution`); absent fields were not recorded. */
export interface RanWith {
  falsify?: string;
  tfjs?: string;
  /** The tfjs backend: "tensorflow" is @tensorflow/tfjs-node. */
  backend?: string;
  node?: string;
}

/** The run that produced the last recorded outputs among `cells`, if any cell has a record. */
export function recordedRun(cells: readonly Cell[]): RanWith | undefined {
  const execution = [...cells].reverse().find((cell) => cell.execution?.backend)?.execution;
  if (!execution) return undefined;
  const { falsifyVersion: falsify, tfjsVersion: tfjs, backend, nodeVersion: node } = execution;
  return { ...(falsify ? { falsify } : {}), ...(tfjs ? { tfjs } : {}), ...(backend ? { backend } : {}), ...(node ? { node } : {}) };
}

/** Why this run may not reproduce the recorded one (what differs), or undefined when nothing recorded differs. */
export function versionWarning(recorded: RanWith, now: Required<Pick<RanWith, "falsify" | "tfjs" | "backend">>): string | undefined {
  const differs = (["falsify", "tfjs", "backend"] as const).filter((key) => recorded[key] !== undefined && recorded[key] !== now[key]);
  if (!differs.length) return undefined;
  const describe = (run: RanWith) => differs.map((key) => (key === "backend" ? `backend ${run.backend}` : `${key} ${run[key]}`)).join(", ");
  const fix = recorded.backend === "tensorflow" && now.backend !== "tensorflow" ? " (npm install beside this script adds the pinned @tensorflow/tfjs-node)" : "";
  return `the notebook's outputs were recorded with ${describe(recorded)}; this run uses ${describe(now)}${fix}: numbers may differ`;
}

/** The package.json of an exported folder: how to run the script, and the recorded versions. */
export function pinnedManifest(scriptName: string, notebookName: string, generator: string, recorded: RanWith | undefined): string {
  const tfjsNode = recorded?.backend === "tensorflow" && recorded.tfjs ? { optionalDependencies: { "@tensorflow/tfjs-node": recorded.tfjs } } : {};
  const manifest = {
    name: packageName(scriptName),
    version: "0.0.0",
    private: true,
    description: `${scriptName}, exported by ${generator} from ${notebookName}`,
    type: "module",
    scripts: { start: `node ${scriptName}` },
    engines: { node: ">=20" },
    ...tfjsNode,
    // Read by nothing but people: the script checks the same versions itself (its config).
    falsify: { recordedWith: recorded ?? "no recorded run", carried: `falsify ${generator.split(" ").pop()} and tfjs are inside ${scriptName}` },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The README of an exported folder. */
export function pinnedReadme(scriptName: string, notebookName: string, generator: string, recorded: RanWith | undefined): string {
  const versions = recorded
    ? Object.entries(recorded)
        .map(([key, value]) => `${key} ${value}`)
        .join(", ")
    : "no recorded run (the cells have no execution record)";
  return [
    `# ${scriptName}`,
    "",
    `Exported by ${generator} from \`${notebookName}\`, whose outputs were recorded with: ${versions}.`,
    "",
    "```sh",
    `node ${scriptName} --out results.json            # runs with nothing but Node >= 20 (tfjs on wasm)`,
    `npm install && node ${scriptName} --out results.json   # with the pinned @tensorflow/tfjs-node, where it was used`,
    "```",
    "",
    `Options: \`--seed N\`, \`--shard i/n\`, \`--out results.json\`, \`--svg-dir dir\` (\`node ${scriptName} --help\`).`,
    "The falsify runtime and TensorFlow.js are inside the script: package.json pins only the native backend.",
    "At start the script compares the falsify, tfjs and backend it runs on with the recorded ones and warns",
    "when they differ (the numbers may then differ too). Files the cells read are listed in the script's header.",
    "",
  ].join("\n");
}

/** An npm package name from a file name: lower case, URL-safe. */
function packageName(scriptName: string): string {
  const name = scriptName
    .replace(/\.m?js$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+/, "");
  return name || "falsify-export";
}
