// A notebook of code cells from (language, source) pairs, ids c0, c1, …: the shape lint tests build.
import type { Cell, Notebook } from "../../src/core/format";

export function codeNotebook(sources: [Cell["language"], string][]): Notebook {
  return {
    format: "falsify",
    version: 1,
    metadata: {},
    cells: sources.map(([language, source], i) => ({ id: `c${i}`, kind: "code", language, source, metadata: {}, outputs: [] })),
  };
}
