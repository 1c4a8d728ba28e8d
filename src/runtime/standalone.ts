// The runtime a bundled exported script carries (dist/standalone.js, embedded in the script by
// src/core/export/bundle.ts): the script runtime plus what node_modules gives it elsewhere, so the
// script runs in an empty folder with nothing but node. TensorFlow.js is @tensorflow/tfjs-node
// where it resolves (from the notebook's folder, the working directory or the script's), else the
// carried tfjs on its wasm backend; vega and vega-lite draw --svg-dir charts.
//
// The toolkit is required only once tfjs is loaded: its `@tensorflow/tfjs` imports resolve to that
// one instance (standalone/tf-instance.cjs), never to a second copy.
import { loadTensorFlow } from "../core/backend";
import { useChartModules } from "../core/charts/render-node";
import type { ScriptConfig, ScriptRun } from "./script";
import { scriptFolders } from "./script-folders";

export async function startScript(config: ScriptConfig, argv?: readonly string[]): Promise<ScriptRun> {
  await loadTensorFlow({ searchFrom: scriptFolders(config.notebookDir).tfjsSearch, carried: () => (require("./standalone/tfjs") as typeof import("./standalone/tfjs")).carriedTfjs });
  useChartModules(() => [require("vega-lite"), require("vega")]);
  return (require("./script") as typeof import("./script")).startScript(config, argv);
}
