// `falsify run --write`: the run's outputs go back into the notebook file, which may have changed
// while the cells ran (a cell added in the editor, a `git pull`). Writing the copy read minutes ago
// would silently drop those changes, so the outputs are put into the file as it is *now*, by cell
// id, and only when every cell that ran is still there with the source it ran; otherwise nothing is
// written. The write itself is atomic and checks, just before replacing the file, that it still
// holds the bytes the outputs were merged into.
import { readFile } from "node:fs/promises";
import { FileChangedError, writeFileAtomic } from "../core/atomic-write";
import { parseNotebook, serializeNotebook, type Execution, type Notebook, type Output } from "../core/format";

/** What a run produced for one cell, and the cell as it ran. */
export interface RanCell {
  source: string;
  language: string;
  outputs: Output[];
  execution?: Execution;
}

export type WriteBack = { written: true; merged: boolean } | { written: false; reason: string };

/** The notebook with the ran cells' outputs, or the ids of ran cells it does not hold as they ran. */
export function withOutputs(notebook: Notebook, ran: ReadonlyMap<string, RanCell>): { ok: true; notebook: Notebook } | { ok: false; changed: string[] } {
  const byId = new Map(notebook.cells.map((cell) => [cell.id, cell]));
  const changed = [...ran].filter(([id, cell]) => byId.get(id)?.source !== cell.source || byId.get(id)?.language !== cell.language).map(([id]) => id);
  if (changed.length) return { ok: false, changed };
  const cells = notebook.cells.map((cell) => {
    const result = ran.get(cell.id);
    return result ? { ...cell, outputs: result.outputs, execution: result.execution } : cell;
  });
  return { ok: true, notebook: { ...notebook, cells } };
}

/** Writes the outputs into `path`, read as `readBytes` before the run. */
export async function writeOutputsBack(path: string, readBytes: Uint8Array, ran: ReadonlyMap<string, RanCell>): Promise<WriteBack> {
  let bytes = readBytes;
  for (const merged of [false, true]) {
    if (merged) bytes = await readFile(path);
    const parsed = parseNotebook(bytes);
    if (!parsed.ok) return { written: false, reason: `it changed during the run and no longer reads as a notebook (${parsed.error.message})` };
    const updated = withOutputs(parsed.notebook, ran);
    if (!updated.ok) return { written: false, reason: `it changed during the run: cell${updated.changed.length > 1 ? "s" : ""} ${updated.changed.join(", ")} ${updated.changed.length > 1 ? "are" : "is"} edited or gone` };
    try {
      await writeFileAtomic(path, serializeNotebook(updated.notebook), { unchanged: bytes });
      return { written: true, merged };
    } catch (error) {
      if (!(error instanceof FileChangedError)) throw error;
    }
  }
  return { written: false, reason: "it kept changing during the write" };
}
