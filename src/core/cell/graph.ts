// The one dependency graph over a notebook's code cells, from their readings (reading.ts). Export
// takes a cell's closure from it, the linter asks which cells feed a test and whether an output was
// computed before something it depends on ran again.
//
// A cell depends, for every outer name it uses, on the nearest cell above declaring that name and on
// every cell in between that may change it (assigns it, calls a method on it, passes it to a call):
// `model.fit(...)` in a later cell is part of what `model` is.
import type { CellReading } from "./reading";

export class CellGraph {
  /** Name -> the indices of the cells declaring it / touching it, ascending. */
  private readonly declaredBy = new Map<string, number[]>();
  private readonly touchedBy = new Map<string, number[]>();
  private readonly memo = new Map<number, number[]>();

  /** `cells[i]`: the reading of notebook cell i, undefined for cells that are not code. */
  constructor(private readonly cells: readonly (CellReading | undefined)[]) {
    cells.forEach((reading, index) => {
      for (const name of reading?.declares ?? []) append(this.declaredBy, name, index);
      for (const name of reading?.touches ?? []) append(this.touchedBy, name, index);
    });
  }

  /** The cells above `index` whose values it reads, ascending (memoised: rules ask for a few cells). */
  dependenciesOf(index: number): number[] {
    const known = this.memo.get(index);
    if (known) return known;
    const reading = this.cells[index];
    const found = new Set<number>();
    const own = new Set(reading?.declares);
    for (const name of reading?.uses ?? []) {
      if (own.has(name)) continue;
      const declarer = lastBelow(this.declaredBy.get(name), index);
      if (declarer === undefined) continue;
      found.add(declarer);
      for (const toucher of this.touchedBy.get(name) ?? []) if (toucher > declarer && toucher < index) found.add(toucher);
    }
    const result = [...found].sort((a, b) => a - b);
    this.memo.set(index, result);
    return result;
  }

  /** The `targets` and every cell they depend on, transitively. */
  upstreamOf(targets: Iterable<number>): Set<number> {
    const reached = new Set<number>();
    const queue = [...targets];
    while (queue.length) {
      const index = queue.pop()!;
      if (reached.has(index)) continue;
      reached.add(index);
      queue.push(...this.dependenciesOf(index));
    }
    return reached;
  }
}

function append(map: Map<string, number[]>, name: string, index: number): void {
  const list = map.get(name);
  if (list) list.push(index);
  else map.set(name, [index]);
}

/** The largest entry of an ascending list that is below `limit`. */
function lastBelow(list: readonly number[] | undefined, limit: number): number | undefined {
  for (let k = (list?.length ?? 0) - 1; k >= 0; k--) if (list![k] < limit) return list![k];
  return undefined;
}
