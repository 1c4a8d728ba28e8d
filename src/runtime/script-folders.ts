// Where an exported script runs and looks, for the script runtime and the bundled one alike.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";

export interface ScriptFolders {
  scriptDir: string;
  /** The notebook's folder: the script runs there, as the kernel does (relative data paths). */
  notebookDir: string;
  /** Why the script runs in its own folder instead (the notebook's is not where it was: a copied script). */
  note?: string;
  /** Where @tensorflow/tfjs-node may be installed: the notebook's folder (as the kernel looks), the caller's, the script's, this runtime's. */
  tfjsSearch: string[];
}

/** `notebookDir`: the notebook's folder relative to the script's (the script's config says it). */
export function scriptFolders(notebookDir = "."): ScriptFolders {
  const scriptDir = dirname(resolve(process.argv[1] ?? "."));
  const exported = resolve(scriptDir, notebookDir);
  const moved = !existsSync(exported);
  const notebook = moved ? scriptDir : exported;
  const note = moved ? `the notebook's folder ${notebookDir} is not beside this script: running in the script's folder (relative data paths resolve there)` : undefined;
  return { scriptDir, notebookDir: notebook, tfjsSearch: [...new Set([notebook, process.cwd(), scriptDir, __dirname])], ...(note ? { note } : {}) };
}
