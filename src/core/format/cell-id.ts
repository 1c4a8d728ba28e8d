/** A new stable cell id: short, random, and safe in file names and script markers. */
export function newCellId(existing: ReadonlySet<string> = new Set()): string {
  for (;;) {
    const id = globalThis.crypto.randomUUID().replace(/-/g, "").slice(0, 8);
    if (!existing.has(id)) return id;
  }
}
