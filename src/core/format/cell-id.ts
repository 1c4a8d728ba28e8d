// Cell ids name cells in lint findings, exported scripts (`// %% [id]` markers, file names) and the
// preregistration log, so a notebook from someone else must not be able to put code, paths or
// terminal escapes there: ids are 1 to 64 letters, digits, '_', '.' or '-', starting with a letter
// or a digit. `falsify fmt --fix-ids` renames ids outside that set.

/** The documented cell id charset (also in the JSON Schema, through the zod schema). */
export const CELL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function isCellId(value: unknown): value is string {
  return typeof value === "string" && CELL_ID_PATTERN.test(value);
}

/** A new stable cell id: short, random, and safe in file names and script markers. */
export function newCellId(existing: ReadonlySet<string> = new Set()): string {
  for (;;) {
    const id = globalThis.crypto.randomUUID().replace(/-/g, "").slice(0, 8);
    if (!existing.has(id)) return id;
  }
}

/**
 * The safe id closest to `id`, not in `taken`: characters outside the charset become '-', a
 * leading run of '_', '.', '-' goes; ids with nothing left (or not strings) get a new random id.
 */
export function safeCellId(id: unknown, taken: ReadonlySet<string>): string {
  const slug = typeof id === "string" ? id.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[_.-]+/, "").slice(0, 64) : "";
  if (slug && !taken.has(slug)) return slug;
  for (let n = 2; slug && n < 100; n++) {
    const numbered = `${slug.slice(0, 60)}-${n}`;
    if (!taken.has(numbered)) return numbered;
  }
  return newCellId(taken);
}
