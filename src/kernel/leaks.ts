// "A cell that leaves more tensors allocated than it holds in variables gets a warning": count the
// distinct tensors reachable from the names cells declared (through arrays, maps, objects and
// models' weights), before and after a run. Tensors created beyond that growth are leaks.

/** Objects looked at, at most, so a huge object graph costs a bounded walk (primitives are cheap to skip). */
const BUDGET = 100_000;

/** The ids of the tensors reachable from `roots`; undefined when the graph was too big to walk whole. */
export function reachableTensors(roots: Iterable<unknown>, isTensor: (value: unknown) => value is { id: number }): Set<number> | undefined {
  const ids = new Set<number>();
  const seen = new Set<object>();
  const stack: object[] = [];
  let budget = BUDGET;
  const visit = (value: unknown) => {
    if (typeof value === "object" && value !== null && !seen.has(value)) {
      budget--;
      seen.add(value);
      stack.push(value);
    }
  };
  for (const root of roots) visit(root);
  while (stack.length) {
    if (budget < 0) return undefined;
    const value = stack.pop()!;
    if (isTensor(value)) {
      ids.add(value.id);
      continue;
    }
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Promise) continue;
    if (value instanceof Map || value instanceof Set) for (const item of value.values()) visit(item);
    else if (Array.isArray(value)) for (let i = 0; i < value.length && budget >= 0; i++) visit(value[i]);
    else for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key]);
  }
  return ids;
}

export function leakWarning(leaked: number): string {
  return (
    `⚠ This cell left ${leaked} more tensor${leaked === 1 ? "" : "s"} allocated than its variables hold. ` +
    "Wrap temporary work in tf.tidy(() => ...) or call .dispose() on tensors you no longer need.\n"
  );
}
