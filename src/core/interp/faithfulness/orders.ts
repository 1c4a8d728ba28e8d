// Pixel orders for removal-based faithfulness (curves and ROAR): an attribution map as one relevance
// value per pixel, and the order from the most relevant pixel down, ties broken at random.
import type { Rng } from "../../stats/rng";
import { InterpError } from "../activations";
import { type AttributionResult, attributionMaps } from "../attribution";

/** Each input's map as one value per pixel (channels reduced), checked against the inputs. */
export function pixelRelevance(attributions: AttributionResult | number[][][], rank: "value" | "absolute", n: number, height: number, width: number): Float64Array[] {
  const maps = Array.isArray(attributions) ? attributions : attributionMaps(attributions, { reduce: rank === "absolute" ? "abs-sum" : "sum" });
  if (maps.length !== n) throw new InterpError("shape-mismatch", `${maps.length} attribution maps for ${n} inputs`);
  return maps.map((map, i) => {
    if (map.length !== height || map.some((row) => row.length !== width)) throw new InterpError("shape-mismatch", `map ${i} is not ${height}x${width}, the inputs' size`);
    return Float64Array.from(map.flat(), (v) => {
      if (!Number.isFinite(v)) throw new InterpError("invalid-input", `map ${i} holds ${v}; every value must be finite`);
      return rank === "absolute" ? Math.abs(v) : v;
    });
  });
}

/** Pixel indices from the highest value down; ties in a seeded random order (never top-left first, which would be an order of its own). */
export function descendingOrder(values: ArrayLike<number>, ties: Rng): Int32Array {
  const key = Float64Array.from({ length: values.length }, () => ties.next());
  return Int32Array.from({ length: values.length }, (_, p) => p).sort((a, b) => values[b] - values[a] || key[a] - key[b]);
}
