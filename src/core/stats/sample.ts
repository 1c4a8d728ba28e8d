// The shared vocabulary of the statistics modules: what a sample is, the three alternatives, the
// typed error every function reports bad input with, and the moments everything else builds on.

/** A sample of numbers: a plain array or a typed array. */
export type Sample = ArrayLike<number>;

/** Which direction a test looks in: `greater` means "observed exceeds baseline" (x − y > 0). */
export type Alternative = "two-sided" | "greater" | "less";

export type StatsErrorKind = "too-few-values" | "length-mismatch" | "non-finite" | "invalid-argument";

/** Bad input to a statistic, with a kind to branch on and a message that says what to change. */
export class StatsError extends Error {
  override readonly name = "StatsError";
  constructor(
    readonly kind: StatsErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** Throws a `StatsError` unless `x` has at least `min` values, all finite. */
export function checkSample(x: Sample, name: string, min: number): void {
  if (x.length < min) throw new StatsError("too-few-values", `${name} needs at least ${min} values, got ${x.length}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw new StatsError("non-finite", `${name}[${i}] is ${x[i]}; remove or impute non-finite values before testing`);
    }
  }
}

export function checkPaired(x: Sample, y: Sample, min: number): void {
  checkSample(x, "x", min);
  checkSample(y, "y", min);
  if (x.length !== y.length) {
    throw new StatsError("length-mismatch", `paired samples need equal lengths, got ${x.length} and ${y.length}`);
  }
}

export function checkAlternative(alternative: string): asserts alternative is Alternative {
  if (alternative !== "two-sided" && alternative !== "greater" && alternative !== "less") {
    throw new StatsError("invalid-argument", `alternative must be "two-sided", "greater" or "less", got "${alternative}"`);
  }
}

export function checkLevel(level: number, name = "confidenceLevel"): void {
  if (!(level > 0 && level < 1)) throw new StatsError("invalid-argument", `${name} must be in (0, 1), got ${level}`);
}

export function mean(x: Sample): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Sample variance with `ddof` degrees of freedom removed (1: the unbiased estimator), two-pass. */
export function variance(x: Sample, ddof = 1): number {
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - m) ** 2;
  return ss / (x.length - ddof);
}

/** Elementwise x − y of two paired samples. */
export function differences(x: Sample, y: Sample): Float64Array {
  const d = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) d[i] = x[i] - y[i];
  return d;
}
