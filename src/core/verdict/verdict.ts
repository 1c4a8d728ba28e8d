// `verdict(...)`: decide a hypothesis from the observed values and the baseline (control) values
// with the test its hypothesis cell declares, and return a typed `Verdict` the kernel shows as a card.
//
// THE TESTS (`test.kind`):
//   permutation         two independent samples, mean(observed) − mean(baseline); permutation p,
//                       BCa bootstrap CI of the mean difference; Cohen's d.
//   paired-permutation  paired samples, mean(observed − baseline); sign-flip p, paired BCa CI; d_z.
//   welch-t             Welch's t-test; t CI of the mean difference; Cohen's d.
//   student-t           Student's pooled t-test; t CI; Cohen's d.
//   paired-t            paired t-test; t CI of the mean difference; d_z.
//   pearson | spearman  association between observed[i] and baseline[i]; the effect is r (rho),
//                       with a Fisher-z CI; t-distribution p (scipy's pearsonr / spearmanr).
// A two-sided permutation p follows `twoSided`: `absolute` (default) counts resamples with
// |T*| ≥ |T|; `doubled` is twice the smaller one-sided p, as scipy.stats.permutation_test computes
// it. Both are valid; they differ when the null distribution is skewed (unequal group sizes), and
// the verdict's reason names the one used.
// Resampling uses `seed` (default 0), so the verdict of a re-run is identical.
//
// THE DECISION. `alternative` says which direction the hypothesis predicts: `greater` means
// observed above baseline (or a positive correlation). `minEffect` (optional) is the smallest effect
// that counts, as a magnitude in the effect's units (metric units for mean differences, r/rho for
// correlations); for `less` the prediction is effect ≤ −minEffect, for `two-sided` |effect| ≥ minEffect.
// CI: for a one-sided alternative the reported interval has level 1 − 2α, so each of its ends is
// the one-sided 1 − α bound that the decision uses (as in equivalence testing, TOST); for
// `two-sided` it has level 1 − α.
//   supported     p < α, the estimate lies in the predicted direction, and, when a minimum effect is
//                 declared, the whole CI lies beyond it. We require the interval, not just the
//                 estimate, to clear the minimum: an estimate above it with an interval reaching
//                 below would be a claim the data cannot yet back, and "supported" must survive a
//                 replication with the same power.
//   falsified     the CI rules the predicted effect out: it lies entirely on the null side of the
//                 minimum effect (one-sided: its predicted-side end is short of minEffect, or of 0
//                 when none is declared, i.e. a significant effect the other way); two-sided with a
//                 minimum effect: the CI lies inside (−minEffect, minEffect) (equivalence).
//                 Without a minimum effect a null result can never falsify a directional claim
//                 (any tiny effect stays consistent with it), which is why hypotheses should declare one.
//   inconclusive  otherwise: not significant, yet the CI is too wide to rule the predicted effect
//                 out (or significant but the CI still reaches below the minimum effect).
//                 Also, without any test, when some values are undefined (NaN: e.g. the similarity of
//                 a degenerate map in a sanity check): an undefined measurement neither supports nor
//                 falsifies, and dropping it would average the problem away (`undefinedValues`).
// The p-value decides significance; the CI decides size. For the permutation kinds the two come from
// different resampling schemes, so at the margin p < α can coexist with a bootstrap CI touching 0.
import type { TestKind as HypothesisTestKind } from "../hypothesis/schema";
import type { Verdict, VerdictWord } from "../display";
import { bootstrap } from "../stats/bootstrap";
import { pearson, spearman } from "../stats/correlation";
import { cohensD, cohensDz } from "../stats/effect-size";
import { pairedPermutationTest, permutationTest, TWO_SIDED_RULES, type TwoSidedRule } from "../stats/permutation";
import { checkPaired, checkSample, differences, mean, StatsError, type Alternative, type Sample } from "../stats/sample";
import { pairedTTest, studentTTest, welchTTest } from "../stats/t-test";

/** The tests `verdict` implements (the hypothesis schema's `test.kind`). */
export const VERDICT_TESTS = ["permutation", "paired-permutation", "welch-t", "student-t", "paired-t", "pearson", "spearman"] as const;
export type VerdictTest = (typeof VERDICT_TESTS)[number];

/** The `test` fields of a hypothesis cell. */
export interface TestSpec {
  kind: VerdictTest;
  /** Default `two-sided`. */
  alternative?: Alternative;
  /** Default 0.05. */
  alpha?: number;
  /** Smallest effect that counts, as a magnitude in the effect's units (see the module comment). */
  minEffect?: number;
  /** Two-sided p of the permutation kinds: `absolute` (default, |T*| ≥ |T|) or `doubled` (scipy's). */
  twoSided?: TwoSidedRule;
}

/** What `verdict` needs of a hypothesis: a parsed hypothesis cell fits, so does a plain object. */
export interface HypothesisLike {
  id: string;
  claim?: string;
  /** As declared; `kind` is checked against `VERDICT_TESTS` when the verdict runs. */
  test?: Omit<Partial<TestSpec>, "kind"> & { kind?: string };
}

export type HypothesisLookup = (id: string) => HypothesisLike | undefined;

export interface VerdictOptions {
  /** Which test of the hypothesis this is, when it has several (e.g. the method or condition). */
  label?: string;
  /** Fields that override (or stand in for) the hypothesis' declared `test`. */
  test?: Partial<TestSpec>;
  /** Seed of the permutation and bootstrap streams. Default 0. */
  seed?: number;
  /** Permutation resamples (default 10,000); bootstrap resamples are 9,999. */
  nResamples?: number;
  /** Resolves a hypothesis id; defaults to the lookup installed with `setHypothesisLookup`. */
  hypotheses?: HypothesisLookup;
}

export interface VerdictData extends VerdictOptions {
  observed: Sample;
  baseline: Sample;
}

export type VerdictErrorKind = "unknown-hypothesis" | "no-test" | "unknown-test";

export class VerdictError extends Error {
  override readonly name = "VerdictError";
  constructor(
    readonly kind: VerdictErrorKind,
    message: string,
  ) {
    super(message);
  }
}

let defaultLookup: HypothesisLookup | undefined;

/** Installs how `verdict("H1", ...)` finds hypothesis H1 (the kernel passes its `hypotheses.get`). */
export function setHypothesisLookup(lookup: HypothesisLookup | undefined): void {
  defaultLookup = lookup;
}

/**
 * Decides `hypothesis` (an id, or the hypothesis itself) from `observed` and `baseline` values with
 * its declared test. Also callable as `verdict("H1", { observed, baseline, ...options })`.
 */
export function verdict(hypothesis: string | HypothesisLike, observed: Sample, baseline: Sample, options?: VerdictOptions): Verdict;
export function verdict(hypothesis: string | HypothesisLike, data: VerdictData): Verdict;
export function verdict(
  hypothesis: string | HypothesisLike,
  observedOrData: Sample | VerdictData,
  baselineArg?: Sample,
  optionsArg: VerdictOptions = {},
): Verdict {
  const { observed, baseline, options } = isVerdictData(observedOrData)
    ? { observed: observedOrData.observed, baseline: observedOrData.baseline, options: observedOrData }
    : { observed: observedOrData, baseline: baselineArg as Sample, options: optionsArg };
  const h = resolve(hypothesis, options.hypotheses ?? defaultLookup, options.test);
  const spec = testSpec(h, options.test);
  // Which hypothesis, which test of it: every verdict starts with these, decided or not.
  const named = { hypothesis: h.id, ...(options.label ? { label: options.label } : {}), ...(h.claim ? { claim: h.claim } : {}) };
  const undefinedValues = { observed: countNaN(observed), baseline: countNaN(baseline) };
  if (undefinedValues.observed || undefinedValues.baseline) return undefinedVerdict(named, spec, observed, baseline, undefinedValues);
  const evidence = evaluate(spec, observed, baseline, options);
  const threshold = spec.minEffect === undefined ? undefined : signedThreshold(spec.minEffect, spec.alternative);
  const base = {
    ...named,
    test: spec.kind,
    alternative: spec.alternative,
    alpha: spec.alpha,
    statistic: evidence.statistic,
    p: evidence.p,
    effect: { ...evidence.effect, ...(threshold === undefined ? {} : { threshold }) },
    ...(evidence.twoSided ? { twoSided: evidence.twoSided } : {}),
    standardized: evidence.standardized,
    n: { observed: observed.length, baseline: baseline.length },
  };
  return { ...base, ...decide(base) };
}

/**
 * The decision rule on its own (see the module comment): from p, alpha, the alternative and the
 * effect (estimate, CI, signed threshold). Exposed so corrected p-values can be re-decided.
 */
export function decide(v: Pick<Verdict, "p" | "alpha" | "alternative" | "effect" | "twoSided">): { verdict: VerdictWord; reason: string } {
  const { p, alpha, alternative, effect } = v;
  const { estimate, ci, threshold } = effect;
  const level = `${formatPercent(effect.level ?? (alternative === "two-sided" ? 1 - alpha : 1 - 2 * alpha))} CI`;
  const interval = `the ${effect.name} ${fmt(estimate)} (${level} [${fmt(ci[0])}, ${fmt(ci[1])}])`;
  const significant = p < alpha;
  const pText = `p = ${fmtP(p)}${v.twoSided ? ` (${TWO_SIDED_TEXT[v.twoSided]})` : ""} ${significant ? "<" : "≥"} α = ${alpha}`;
  const undecided = (shortfall: string, wanted: string): { verdict: VerdictWord; reason: string } => ({
    verdict: "inconclusive",
    reason: significant
      ? `${pText}, but ${interval} ${shortfall}: more data needed to decide.`
      : `${pText}, and ${interval} still allows ${wanted}: more data needed to decide.`,
  });
  if (alternative === "two-sided") {
    const m = threshold === undefined ? undefined : Math.abs(threshold);
    const beyond = m === undefined || ci[0] > m || ci[1] < -m;
    if (significant && beyond) {
      return { verdict: "supported", reason: `${pText}, and ${interval} ${m === undefined ? "excludes 0" : `lies beyond ±${fmt(m)}`}.` };
    }
    if (m !== undefined && m > 0 && ci[0] > -m && ci[1] < m) {
      return { verdict: "falsified", reason: `${capitalize(interval)} lies inside (−${fmt(m)}, ${fmt(m)}): an effect of the declared size is ruled out.` };
    }
    return undecided(`does not lie beyond ±${fmt(m ?? 0)}`, m === undefined ? "no effect" : `effects beyond ±${fmt(m)}`);
  }
  const s = alternative === "greater" ? 1 : -1;
  const m = threshold ?? 0; // signed
  const [low, high] = s > 0 ? [ci[0], ci[1]] : [-ci[1], -ci[0]]; // the CI in the predicted direction
  const side = s > 0 ? "above" : "below";
  const otherSide = s > 0 ? "below" : "above";
  if (significant && s * estimate > 0 && (threshold === undefined || low > s * m)) {
    const size = threshold === undefined ? `is ${side} 0` : `lies entirely ${side} the minimum effect ${fmt(m)}`;
    return { verdict: "supported", reason: `${pText}, and ${interval} ${size}.` };
  }
  if (high < s * m) {
    const what = threshold === undefined ? "0: a significant effect in the opposite direction" : `the minimum effect ${fmt(m)}: the predicted effect is ruled out`;
    return { verdict: "falsified", reason: `${capitalize(interval)} lies entirely ${otherSide} ${what}.` };
  }
  return undecided(`reaches ${otherSide} the minimum effect ${fmt(m)}`, `effects ${side} ${fmt(m)}`);
}

/** The two-sided conventions as a verdict's reason names them. */
const TWO_SIDED_TEXT: Record<TwoSidedRule, string> = {
  absolute: "two-sided: share of resamples with |T*| ≥ |T|",
  doubled: "two-sided: twice the smaller one-sided p, as scipy",
};

interface Evidence {
  statistic: number;
  p: number;
  twoSided?: TwoSidedRule;
  effect: { name: string; estimate: number; ci: [number, number]; level: number };
  standardized?: { name: string; estimate: number };
}

function evaluate(spec: Required<Omit<TestSpec, "minEffect">>, observed: Sample, baseline: Sample, options: VerdictOptions): Evidence {
  const { kind, alternative, alpha, twoSided } = spec;
  const level = alternative === "two-sided" ? 1 - alpha : 1 - 2 * alpha;
  const seed = options.seed ?? 0;
  const paired = kind === "paired-permutation" || kind === "paired-t" || kind === "pearson" || kind === "spearman";
  if (paired) checkPaired(observed, baseline, 3);
  else {
    checkSample(observed, "observed", 2);
    checkSample(baseline, "baseline", 2);
  }
  const meanDifference = (name: string, estimate: number, ci: [number, number]) => ({ name, estimate, ci, level });
  switch (kind) {
    case "welch-t":
    case "student-t": {
      const t = (kind === "welch-t" ? welchTTest : studentTTest)(observed, baseline, { alternative, confidenceLevel: level });
      const ci = (kind === "welch-t" ? welchTTest : studentTTest)(observed, baseline, { confidenceLevel: level }).ci;
      return { statistic: t.statistic, p: t.p, effect: meanDifference("mean difference", t.estimate, ci), standardized: { name: "Cohen's d", estimate: cohensD(observed, baseline) } };
    }
    case "paired-t": {
      const t = pairedTTest(observed, baseline, { alternative });
      const ci = pairedTTest(observed, baseline, { confidenceLevel: level }).ci;
      return { statistic: t.statistic, p: t.p, effect: meanDifference("mean paired difference", t.estimate, ci), standardized: { name: "Cohen's d_z", estimate: cohensDz(observed, baseline) } };
    }
    case "permutation": {
      const r = permutationTest(observed, baseline, { alternative, twoSided, seed, nResamples: options.nResamples });
      const ci = constant(observed) && constant(baseline) ? point(r.statistic) : bootstrap([observed, baseline], (x, y) => mean(x) - mean(y), { confidenceLevel: level, seed }).ci;
      return { statistic: r.statistic, p: r.p, twoSided: r.twoSided, effect: meanDifference("mean difference", r.statistic, ci), standardized: { name: "Cohen's d", estimate: cohensD(observed, baseline) } };
    }
    case "paired-permutation": {
      const r = pairedPermutationTest(observed, baseline, { alternative, twoSided, seed, nResamples: options.nResamples });
      const ci = constant(differences(observed, baseline)) ? point(r.statistic) : bootstrap([observed, baseline], pairedMeanDifference, { confidenceLevel: level, seed, paired: true }).ci;
      return { statistic: r.statistic, p: r.p, twoSided: r.twoSided, effect: meanDifference("mean paired difference", r.statistic, ci), standardized: { name: "Cohen's d_z", estimate: cohensDz(observed, baseline) } };
    }
    case "pearson":
    case "spearman": {
      const r = (kind === "pearson" ? pearson : spearman)(observed, baseline, { alternative });
      const ci = (kind === "pearson" ? pearson : spearman)(observed, baseline, { confidenceLevel: level }).ci;
      return { statistic: r.statistic, p: r.p, effect: { name: kind === "pearson" ? "Pearson r" : "Spearman rho", estimate: r.statistic, ci, level } };
    }
  }
}

function countNaN(values: Sample): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) count++;
  return count;
}

/** The inconclusive verdict of values some of which are undefined: no test, and the reason says so. */
function undefinedVerdict(named: Pick<Verdict, "hypothesis" | "label" | "claim">, spec: ReturnType<typeof testSpec>, observed: Sample, baseline: Sample, undefinedValues: { observed: number; baseline: number }): Verdict {
  const parts = (["observed", "baseline"] as const).flatMap((side) => {
    const total = side === "observed" ? observed.length : baseline.length;
    return undefinedValues[side] ? [`${undefinedValues[side]} of ${total} ${side} values`] : [];
  });
  return {
    ...named,
    verdict: "inconclusive",
    test: spec.kind,
    alternative: spec.alternative,
    alpha: spec.alpha,
    statistic: NaN,
    p: NaN,
    effect: { name: "effect", estimate: NaN, ci: [NaN, NaN], ...(spec.minEffect === undefined ? {} : { threshold: signedThreshold(spec.minEffect, spec.alternative) }) },
    n: { observed: observed.length - undefinedValues.observed, baseline: baseline.length - undefinedValues.baseline },
    undefinedValues,
    reason:
      `${parts.join(" and ")} ${parts.length > 1 || undefinedValues.observed + undefinedValues.baseline > 1 ? "are" : "is"} undefined (NaN), as the similarity of a degenerate map is ` +
      `(a randomised model whose output no longer depends on its input gives all-zero maps): no test was run. ` +
      `An undefined control is not evidence either way; fix it (see the sanity report's \`degenerate\`) rather than dropping the values.`,
  };
}

/**
 * Every bootstrap resample of constant data (constant paired differences, e.g. a localisation score
 * that hits on every image against its chance level) has the same mean: the interval is that point.
 * BCa's bias correction is undefined there (the bootstrap module refuses it), though its limit is the point.
 */
function constant(x: Sample): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

function point(estimate: number): [number, number] {
  return [estimate, estimate];
}

function pairedMeanDifference(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] - y[i];
  return s / x.length;
}

function resolve(hypothesis: string | HypothesisLike, lookup: HypothesisLookup | undefined, inline: Partial<TestSpec> | undefined): HypothesisLike {
  if (typeof hypothesis !== "string") return hypothesis;
  const found = lookup?.(hypothesis);
  if (found) return found;
  // An id with no registered hypothesis still works when the caller gives the test inline.
  if (inline?.kind !== undefined) return { id: hypothesis };
  throw new VerdictError(
    "unknown-hypothesis",
    `No hypothesis "${hypothesis}" is known here: run its hypothesis cell first, or pass the test inline, e.g. { test: { kind: "welch-t", alternative: "greater" } }.`,
  );
}

function testSpec(h: HypothesisLike, override: Partial<TestSpec> = {}): Required<Omit<TestSpec, "minEffect">> & Pick<TestSpec, "minEffect"> {
  const merged = { ...h.test, ...override };
  if (merged.kind === undefined) {
    throw new VerdictError(
      "no-test",
      `${h.id} declares no test: add \`test: { kind: welch-t, alternative: greater, alpha: 0.05 }\` to its hypothesis cell` +
        ` (run that cell first), or pass { test: { kind: ... } } to verdict.`,
    );
  }
  if (!(VERDICT_TESTS as readonly string[]).includes(merged.kind)) {
    throw new VerdictError("unknown-test", `${h.id}: unknown test kind "${merged.kind}"; use one of ${VERDICT_TESTS.join(", ")}`);
  }
  const alpha = merged.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 0.5)) throw new StatsError("invalid-argument", `${h.id}: alpha must be in (0, 0.5), got ${alpha}`);
  const minEffect = merged.minEffect;
  if (minEffect !== undefined && !(minEffect >= 0)) {
    throw new StatsError("invalid-argument", `${h.id}: minEffect is a magnitude (≥ 0; the alternative gives the direction), got ${minEffect}`);
  }
  const twoSided = merged.twoSided ?? "absolute";
  if (!TWO_SIDED_RULES.includes(twoSided)) throw new StatsError("invalid-argument", `${h.id}: twoSided must be ${TWO_SIDED_RULES.join(" or ")}, got ${JSON.stringify(twoSided)}`);
  return { kind: merged.kind as VerdictTest, alternative: merged.alternative ?? "two-sided", alpha, minEffect, twoSided };
}

function signedThreshold(minEffect: number, alternative: Alternative): number {
  return alternative === "less" ? -minEffect : minEffect;
}

function isVerdictData(value: unknown): value is VerdictData {
  return typeof value === "object" && value !== null && "observed" in value && "baseline" in value;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : Number(x.toPrecision(3)).toString();
}

function fmtP(p: number): string {
  return p < 1e-4 ? p.toExponential(1) : Number(p.toPrecision(2)).toString();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatPercent(level: number): string {
  return `${Number((level * 100).toPrecision(3))}%`;
}

// The hypothesis schema and this module must agree on the test kinds (checked at compile time).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const testKindsAgree: Same<VerdictTest, HypothesisTestKind> = true;
void testKindsAgree;
