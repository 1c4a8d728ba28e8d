// Spearman rank correlation between two maps, pixel by pixel: the sanity checks' main similarity.
// With `absolute`, signs are dropped first (Adebayo et al. report both: sign flips are common under
// randomisation, so the absolute version asks only "are the same pixels important?").
import { pearsonR } from "../../stats/correlation";
import { rank } from "../../stats/rank";
import { checkSameShape, flatten, type Map2D } from "./image";

export interface RankCorrelationOptions {
  /** Compare |a| with |b|. Default false. */
  absolute?: boolean;
}

/** Spearman's rho of the maps' values (ties get average ranks); NaN when either map is constant. */
export function mapSpearman(a: Map2D, b: Map2D, options: RankCorrelationOptions = {}): number {
  checkSameShape(a, b);
  const transform = options.absolute ? Math.abs : undefined;
  return pearsonR(rank(flatten(a, transform)), rank(flatten(b, transform)));
}
