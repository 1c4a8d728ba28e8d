// What cells show, as data: the MIME types the kernel emits and the renderer draws, and the two
// displayable objects of the toolkit (verdicts and Falsify charts) with their guards. The kernel's
// `display()`, the renderer, the linter (which reads chart metadata in outputs to decide "baselined"
// and "quantified") and the exporter all agree through this module.

export const MIME = {
  /** A plain Vega-Lite spec. */
  vegaLite: "application/vnd.vegalite.v5+json",
  /** A Vega-Lite spec built by a Falsify chart builder; its `usermeta.falsify` says what it shows. */
  chart: "application/vnd.falsify.chart+json",
  /** A `Verdict`, drawn as a card. */
  verdict: "application/vnd.falsify.verdict+json",
  /** A tensor summary: `TensorSummary`. */
  tensor: "application/vnd.falsify.tensor+json",
  /** A recorded metric `{name, value}`: what `record(name, value)` shows; results collect them. */
  metric: "application/vnd.falsify.metric+json",
  text: "text/plain",
  html: "text/html",
  png: "image/png",
  svg: "image/svg+xml",
  stdout: "application/vnd.code.notebook.stdout",
  stderr: "application/vnd.code.notebook.stderr",
  error: "application/vnd.code.notebook.error",
} as const;

/** Output MIME types that count as "showing a visualisation" for the linter. */
export const VISUAL_MIMES: readonly string[] = [MIME.vegaLite, MIME.chart, MIME.png, MIME.svg, "image/jpeg", "image/gif"];

export type VerdictWord = "supported" | "falsified" | "inconclusive";

/** The decision on one hypothesis: what `verdict(...)` returns and the kernel shows as a card. */
export interface Verdict {
  hypothesis: string;
  /**
   * Which test of the hypothesis this is (a method, a condition, a layer: "gradient", "layer conv2"),
   * when one hypothesis is tested several times: cards, the Falsifiability panel and the results
   * tell the verdicts apart by it.
   */
  label?: string;
  /** The hypothesis' claim, when known, for the card. */
  claim?: string;
  verdict: VerdictWord;
  /** The test used, e.g. "permutation", "welch-t". */
  test: string;
  alternative: "greater" | "less" | "two-sided";
  alpha: number;
  statistic: number;
  p: number;
  effect: {
    /** What the effect measures, e.g. "mean difference" or "Cohen's d". */
    name: string;
    estimate: number;
    /** Confidence interval at level `level` (absent: 1 - alpha). */
    ci: [number, number];
    /**
     * Level of `ci`. `verdict()` uses 1 − alpha for two-sided tests and 1 − 2·alpha for one-sided
     * ones, whose ends are then the one-sided 1 − alpha bounds the decision uses.
     */
    level?: number;
    /** The declared minimum effect size, if any, signed in the predicted direction. */
    threshold?: number;
  };
  /**
   * Set when `p` is a multiple-comparison adjusted p-value (`correctVerdicts`): the method, the
   * unadjusted p, and how many tests of the hypothesis were corrected together.
   */
  correction?: { method: string; rawP: number; tests: number };
  /**
   * How the two-sided p of a permutation test was computed: `absolute` counts |T*| ≥ |T|, `doubled`
   * is twice the smaller one-sided p (scipy's). Set for two-sided permutation verdicts only.
   */
  twoSided?: "absolute" | "doubled";
  /** The standardized effect size (Cohen's d, or d_z for paired tests), when the test has one. */
  standardized?: { name: string; estimate: number };
  n: { observed: number; baseline: number };
  /**
   * Set when some values were undefined (NaN, e.g. the similarity of a degenerate map): no test was
   * run, the verdict is `inconclusive`, and these count the NaNs (`n` counts the defined values).
   */
  undefinedValues?: { observed: number; baseline: number };
  /** One sentence a reader can check against the numbers. */
  reason: string;
}

export function isVerdict(value: unknown): value is Verdict {
  const v = value as Partial<Verdict> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.hypothesis === "string" &&
    (v.verdict === "supported" || v.verdict === "falsified" || v.verdict === "inconclusive") &&
    typeof v.p === "number"
  );
}

/** Metadata every Falsify chart carries in its Vega-Lite `usermeta.falsify`. */
export interface ChartMeta {
  /** Which builder made it, e.g. "attribution-grid", "ablation-curves". */
  chart: string;
  /** The hypothesis the chart is evidence for, when the caller said. */
  hypothesis?: string;
  /** Names of the baseline/control layers or panels the chart shows (empty: none). */
  baselines: string[];
  /** The statistic shown on the chart, if any (e.g. "spearman", "permutation p"). */
  statistic?: string;
  /** True when the chart places the shown example(s) within a distribution over the data set. */
  distribution?: boolean;
}

/** A Vega-Lite spec (kept loose: the builders own the exact shape). */
export type VegaLiteSpec = Record<string, unknown>;

export function chartMeta(spec: unknown): ChartMeta | undefined {
  const meta = (spec as { usermeta?: { falsify?: ChartMeta } } | null)?.usermeta?.falsify;
  return meta && typeof meta === "object" && typeof meta.chart === "string" && Array.isArray(meta.baselines) ? meta : undefined;
}

/** A recorded metric: what `record(name, value)` shows (as `MIME.metric`) and the results collect. */
export interface Metric {
  name: string;
  /** Any JSON value; tensors arrive as nested arrays. */
  value: unknown;
}

export function isMetric(value: unknown): value is Metric {
  return typeof value === "object" && value !== null && typeof (value as Metric).name === "string" && "value" in value;
}

export interface TensorSummary {
  shape: number[];
  dtype: string;
  size: number;
  /** Summary statistics over all elements (numeric dtypes). */
  stats?: { min: number; max: number; mean: number; std: number };
  /** All values, nested as the shape, when the tensor is small. */
  values?: unknown;
}

export function isTensorSummary(value: unknown): value is TensorSummary {
  const v = value as Partial<TensorSummary> | null;
  return typeof v === "object" && v !== null && Array.isArray(v.shape) && typeof v.dtype === "string" && typeof v.size === "number";
}
