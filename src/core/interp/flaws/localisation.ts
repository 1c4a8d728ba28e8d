// Does an attribution method find a flaw whose location is known? Three localisation scores of each
// map against a ground-truth mask (the implanted trigger's footprint), each judged against two
// controls: chance (the mask's area fraction, what a map with no information scores on average) and
// the clean twin (the same method on a model trained without the flaw, same inputs: does the map
// point at the patch because the model uses it, or because the patch is bright?).
//
//   relevance mass   Σ_mask r / Σ r                        (Arras et al. 2022)
//   rank accuracy    |top-K pixels ∩ mask| / K, K = |mask| (Arras et al. 2022)
//   pointing game    is the most relevant pixel in the mask? (Zhang et al. 2018)
//
// r is |attribution| by default (`relevance: "positive"` keeps the positive part, Arras et al.'s
// choice). Ties are shared fairly: tied pixels at the top-K boundary and tied maxima count by the
// share of them inside the mask (the expectation under random tie-breaking), so a constant map
// would score exactly chance. A map with no relevance at all (every r = 0) has no localisation: it
// is listed in `degenerate` and left out of the tests, never counted as a miss or as chance.
import type { Verdict } from "../../display";
import { oneSampleTTest } from "../../stats/t-test";
import { verdict } from "../../verdict/verdict";
import { InterpError } from "../activations";
import { type AttributionResult, attributionMaps } from "../attribution";

export type MapSet = Pick<AttributionResult, "values" | "shape"> | number[][][];

export const LOCALISATION_METRICS = ["relevanceMass", "rankAccuracy", "pointingGame"] as const;
export type LocalisationMetric = (typeof LOCALISATION_METRICS)[number];
export type LocalisationScores = Record<LocalisationMetric, number[]>;

export interface LocalisationOptions {
  /** Relevance of a pixel: `absolute` |attribution| (default) or `positive` max(attribution, 0). */
  relevance?: "absolute" | "positive";
  /** The same method's maps of the clean twin on the same inputs: the second control. */
  twin?: MapSet;
  /** Significance level of the tests. Default 0.05. */
  alpha?: number;
  /** Seed of the permutation and bootstrap streams. Default 0. */
  seed?: number;
}

/** Mean score over the examples with a map, and its 95% t-interval. */
export interface ScoreSummary {
  n: number;
  mean: number;
  ci: [number, number];
}

export interface LocalisationComparison {
  /** One-sided paired sign-flip test "the method scores higher than the control", with its bootstrap CI. */
  vsChance: Verdict;
  vsTwin?: Verdict;
}

export interface LocalisationResult {
  n: number;
  relevance: "absolute" | "positive";
  /** The mask's area fraction per example: every score's chance level. */
  chance: number[];
  /** Scores per example (NaN for a degenerate map). */
  scores: LocalisationScores;
  twin?: LocalisationScores;
  /** Examples whose map has no relevance (left out of the tests), and the same for the twin's maps. */
  degenerate: { method: number[]; twin?: number[] };
  summary: Record<LocalisationMetric, ScoreSummary>;
  twinSummary?: Record<LocalisationMetric, ScoreSummary>;
  /** Mean of `chance`: the mask's area fraction. */
  chanceLevel: number;
  tests: Record<LocalisationMetric, LocalisationComparison>;
}

/** Localisation scores of `attributions` against `mask` (one [h][w] mask for all, or one per example), with their tests. */
export function localisation(attributions: MapSet, mask: number[][] | number[][][], options: LocalisationOptions = {}): LocalisationResult {
  const relevance = options.relevance ?? "absolute";
  const maps = relevanceMaps(attributions, relevance, "attributions");
  const n = maps.length;
  const masks = perExampleMasks(mask, n, maps[0]);
  const chance = masks.map((m) => m.reduce((s, v) => s + v, 0) / m.length);
  const scores = scoreAll(maps, masks);
  const twinMaps = options.twin && relevanceMaps(options.twin, relevance, "twin");
  if (twinMaps && twinMaps.length !== n) throw new InterpError("shape-mismatch", `the twin has ${twinMaps.length} maps for ${n} examples: explain the same inputs`);
  if (twinMaps && twinMaps[0].length !== maps[0].length) throw new InterpError("shape-mismatch", `the twin's maps have ${twinMaps[0].length} pixels, the method's ${maps[0].length}`);
  const twin = twinMaps && scoreAll(twinMaps, masks);
  const alpha = options.alpha ?? 0.05;
  const seed = options.seed ?? 0;
  const compare = (metric: LocalisationMetric, control: string, baseline: number[]) => {
    const pairs = scores[metric].flatMap((v, i) => (Number.isFinite(v) && Number.isFinite(baseline[i]) ? [[v, baseline[i]]] : []));
    if (pairs.length < 3) throw new InterpError("invalid-input", `only ${pairs.length} example(s) have a map with any relevance (and a ${control} score): localisation needs at least 3 to test`);
    const h = { id: `${metric} vs ${control}`, test: { kind: "paired-permutation", alternative: "greater" as const, alpha } };
    return verdict(h, pairs.map((p) => p[0]), pairs.map((p) => p[1]), { seed });
  };
  const tests = Object.fromEntries(
    LOCALISATION_METRICS.map((metric) => [metric, { vsChance: compare(metric, "chance", chance), ...(twin ? { vsTwin: compare(metric, "clean twin", twin[metric]) } : {}) }]),
  ) as Record<LocalisationMetric, LocalisationComparison>;
  const degenerateOf = (s: LocalisationScores) => s.relevanceMass.flatMap((v, i) => (Number.isFinite(v) ? [] : [i]));
  return {
    n,
    relevance,
    chance,
    chanceLevel: chance.reduce((a, b) => a + b, 0) / n,
    scores,
    ...(twin ? { twin } : {}),
    degenerate: { method: degenerateOf(scores), ...(twin ? { twin: degenerateOf(twin) } : {}) },
    summary: summarise(scores),
    ...(twin ? { twinSummary: summarise(twin) } : {}),
    tests,
  };
}

function summarise(scores: LocalisationScores): Record<LocalisationMetric, ScoreSummary> {
  const one = (values: number[]): ScoreSummary => {
    const finite = values.filter(Number.isFinite);
    const t = oneSampleTTest(finite);
    return { n: finite.length, mean: t.estimate, ci: t.ci };
  };
  return Object.fromEntries(LOCALISATION_METRICS.map((metric) => [metric, one(scores[metric])])) as Record<LocalisationMetric, ScoreSummary>;
}

/** The three scores of one map (flat relevance ≥ 0) against one mask (flat, 1 inside); NaN when the map has no relevance. */
export function localisationScores(relevance: ArrayLike<number>, mask: ArrayLike<number>): Record<LocalisationMetric, number> {
  const inside = (i: number) => mask[i] > 0;
  let total = 0, within = 0, k = 0, max = -Infinity;
  for (let i = 0; i < relevance.length; i++) {
    total += relevance[i];
    if (inside(i)) [within, k] = [within + relevance[i], k + 1];
    max = Math.max(max, relevance[i]);
  }
  if (!(total > 0)) return { relevanceMass: NaN, rankAccuracy: NaN, pointingGame: NaN };
  // Top-K: everything above the K-th largest value, plus a fair share of the values tied with it.
  const kth = Float64Array.from(relevance).sort().reverse()[k - 1];
  let above = 0, aboveInside = 0, tied = 0, tiedInside = 0, maxima = 0, maximaInside = 0;
  for (let i = 0; i < relevance.length; i++) {
    const r = relevance[i];
    if (r > kth) [above, aboveInside] = [above + 1, aboveInside + (inside(i) ? 1 : 0)];
    else if (r === kth) [tied, tiedInside] = [tied + 1, tiedInside + (inside(i) ? 1 : 0)];
    if (r === max) [maxima, maximaInside] = [maxima + 1, maximaInside + (inside(i) ? 1 : 0)];
  }
  const hits = aboveInside + ((k - above) * tiedInside) / tied;
  return { relevanceMass: within / total, rankAccuracy: hits / k, pointingGame: maximaInside / maxima };
}

function scoreAll(maps: Float64Array[], masks: Float64Array[]): LocalisationScores {
  const per = maps.map((map, i) => localisationScores(map, masks[i]));
  return Object.fromEntries(LOCALISATION_METRICS.map((metric) => [metric, per.map((s) => s[metric])])) as LocalisationScores;
}

/** Each example's map as flat non-negative relevance. */
function relevanceMaps(set: MapSet, relevance: "absolute" | "positive", what: string): Float64Array[] {
  const maps = Array.isArray(set) ? set : attributionMaps(set, { reduce: relevance === "absolute" ? "abs-sum" : "sum" });
  if (!maps.length) throw new InterpError("invalid-input", `${what}: no maps`);
  return maps.map((map) => Float64Array.from(map.flat(), (v) => {
    if (!Number.isFinite(v)) throw new InterpError("invalid-input", `${what}: a map holds ${v}; every value must be finite`);
    return relevance === "absolute" ? Math.abs(v) : Math.max(0, v);
  }));
}

function perExampleMasks(mask: number[][] | number[][][], n: number, firstMap: Float64Array): Float64Array[] {
  const shared = !Array.isArray(mask[0]?.[0]);
  const masks = shared ? [mask as number[][]] : (mask as number[][][]);
  if (!shared && masks.length !== n) throw new InterpError("shape-mismatch", `${masks.length} masks for ${n} maps: pass one mask, or one per example`);
  const flat = masks.map((m, i) => {
    const values = Float64Array.from(m.flat());
    if (values.length !== firstMap.length) throw new InterpError("shape-mismatch", `mask ${i} has ${values.length} pixels, the maps ${firstMap.length}`);
    if (values.some((v) => v !== 0 && v !== 1)) throw new InterpError("invalid-input", `mask ${i} must hold only 0 and 1`);
    const area = values.reduce((s, v) => s + v, 0);
    if (area === 0 || area === values.length) throw new InterpError("invalid-input", `mask ${i} covers ${area ? "every" : "no"} pixel: a localisation needs pixels both inside and outside`);
    return values;
  });
  return shared ? Array.from({ length: n }, () => flat[0]) : flat;
}
