// "A cell that leaves more tensors allocated than it holds in variables gets a warning": count the
// distinct tensors reachable from the names cells declared (through arrays, maps, objects and
// models' weights), before and after a run. Tensors created beyond that growth are leaks.

/** Objects visited at most, so a huge object graph costs a bounded walk. */
const VISIT_LIMIT = 50_000;

export function reachableTensors(roots: Iterable<unknown>, isTensor: (value: unknown) => value is { id: number }): Set<number> {
  const ids = new Set<number>();
  const seen = new Set<object>();
  const stack = [...roots];
  while (stack.length && seen.size < VISIT_LIMIT) {
    const value = stack.pop();
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    if (isTensor(value)) {
      ids.add(value.id);
      continue;
    }
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Promise) continue;
    if (value instanceof Map) stack.push(...value.values());
    else if (value instanceof Set) stack.push(...value);
    else if (Array.isArray(value)) stack.push(...value);
    else for (const key of Object.keys(value)) stack.push((value as Record<string, unknown>)[key]);
  }
  return ids;
}

export function leakWarning(leaked: number): string {
  return (
    `⚠ This cell left ${leaked} more tensor${leaked === 1 ? "" : "s"} allocated than its variables hold. ` +
    "Wrap temporary work in tf.tidy(() => ...) or call .dispose() on tensors you no longer need.\n"
  );
}
