// The one hash of a cell's source. The kernel records it in `execution.sourceHash` when a cell runs,
// the linter compares it with the current source (stale outputs) and keys its per-cell cache on it,
// and preregistration records it for hypothesis cells: all of them must agree byte for byte, so
// there is exactly one function.
import { createHash } from "node:crypto";

/** sha256 of the UTF-8 source, hex, first 16 characters (64 bits: plenty to tell edits apart). */
export function sourceHash(source: string): string {
  return createHash("sha256").update(source, "utf8").digest("hex").slice(0, 16);
}
