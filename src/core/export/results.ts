// The results of a run, as data: the verdicts and metrics a notebook (run by the kernel) or an
// exported script recorded, in one canonical, byte-stable JSON form. Faithfulness is checked by
// comparing these bytes, and `falsify merge` combines shard files of this schema, so the zod schema
// here is the single source of truth (`schemas/results.schema.json` is generated from it).
import { z } from "zod";
import type { Metric as MetricShape, Verdict as VerdictShape } from "../display";
import { findPathOffset, positionAt, readJson } from "../format/json-location";
import { keepProtoKeys } from "../format/proto-keys";

export const RESULTS_FORMAT = "falsify-results";
export const RESULTS_VERSION = 1;

/**
 * JSON has no NaN or infinities: results write them as null, as the notebook's outputs (JSON, and
 * the kernel's JSON messages) do, so a script and a notebook run agree. A one-sided test's CI has
 * one null end.
 */
const Num = z.number().nullable();

export const ResultsVerdict = z
  .looseObject({
    hypothesis: z.string(),
    label: z.string().optional().describe("Which test of the hypothesis (method, condition) when it has several."),
    claim: z.string().optional(),
    verdict: z.enum(["supported", "falsified", "inconclusive"]),
    test: z.string(),
    alternative: z.enum(["greater", "less", "two-sided"]),
    alpha: Num,
    statistic: Num,
    p: Num,
    effect: z.looseObject({ name: z.string(), estimate: Num, ci: z.tuple([Num, Num]), threshold: Num.optional() }),
    n: z.looseObject({ observed: Num, baseline: Num }),
    reason: z.string(),
  })
  .describe("A displayed Verdict (src/core/display.ts), in the order the run showed it.");

export const Metric = z
  .object({
    name: z.string().min(1).describe("The name given to record(name, value)."),
    value: z.unknown().describe("Any JSON value; tensors are recorded as nested arrays."),
  })
  .describe("One record(name, value) call, in the order the run made them.");
export type Metric = MetricShape;

/** Which slice of the work a run did: `--shard index/count`, index 0-based (Slurm arrays, Kubernetes Indexed Jobs). */
export const Shard = z
  .object({ index: z.number().int().nonnegative(), count: z.number().int().positive() })
  .refine((shard) => shard.index < shard.count, { message: "shard index must be below the shard count" });
export type Shard = z.infer<typeof Shard>;

/** Where a merged verdict or metric came from. */
const Origin = { seed: z.number(), shard: Shard.optional() };

export const RunResults = z.object({
  format: z.literal(RESULTS_FORMAT),
  version: z.literal(RESULTS_VERSION),
  kind: z.literal("run"),
  notebook: z.string().describe("Base name of the source notebook file."),
  seed: z.number().describe("The notebook seed the run used."),
  shard: Shard.optional(),
  verdicts: z.array(ResultsVerdict),
  metrics: z.array(Metric),
});
export type RunResults = {
  format: typeof RESULTS_FORMAT;
  version: typeof RESULTS_VERSION;
  kind: "run";
  notebook: string;
  seed: number;
  shard?: Shard;
  verdicts: VerdictShape[];
  metrics: Metric[];
};

export const MergedResults = z.object({
  format: z.literal(RESULTS_FORMAT),
  version: z.literal(RESULTS_VERSION),
  kind: z.literal("merged"),
  notebook: z.string(),
  runs: z.array(z.object(Origin)).describe("The merged runs, sorted by seed then shard index."),
  verdicts: z.array(ResultsVerdict.extend(Origin)),
  metrics: z.array(Metric.extend(Origin)),
});
export type Origin = { seed: number; shard?: Shard };
export type MergedResults = {
  format: typeof RESULTS_FORMAT;
  version: typeof RESULTS_VERSION;
  kind: "merged";
  notebook: string;
  runs: Origin[];
  verdicts: (VerdictShape & Origin)[];
  metrics: (Metric & Origin)[];
};

export const Results = z.discriminatedUnion("kind", [RunResults, MergedResults]);
export type Results = RunResults | MergedResults;

export function resultsJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(Results, { io: "input", unrepresentable: "any" }),
    $id: "https://falsify.dev/schemas/results.schema.json",
    title: "Falsify run results",
  };
}

/**
 * The one serialization of results: keys sorted at every depth, two-space indentation, non-finite
 * numbers as null, a trailing newline. Whoever produced the object (kernel or script, in whatever
 * key order), equal results give equal bytes.
 */
export function serializeResults(results: Results): string {
  return `${JSON.stringify(canonicalJson(results), null, 2)}\n`;
}

/**
 * Any value as canonical JSON data: sorted keys, undefined dropped, NaN/±Infinity as null (what
 * JSON.stringify writes), typed arrays as arrays, tensors (anything with `arraySync`) as nested arrays.
 */
export function canonicalJson(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "bigint") return Number(value);
  if (value === null || typeof value !== "object") return typeof value === "function" || typeof value === "symbol" ? undefined : value;
  const tensor = value as { arraySync?: () => unknown };
  if (typeof tensor.arraySync === "function") return canonicalJson(tensor.arraySync());
  if (ArrayBuffer.isView(value)) return canonicalJson(Array.from(value as unknown as ArrayLike<number>));
  if (Array.isArray(value)) return value.map((item) => canonicalJson(item) ?? null);
  const source = value as Record<string, unknown>;
  // fromEntries defines keys, so a `__proto__` key stays an ordinary key (assignment would drop it).
  return Object.fromEntries(
    Object.keys(source)
      .sort()
      .map((key) => [key, canonicalJson(source[key])])
      .filter(([, converted]) => converted !== undefined),
  );
}

export type ResultsError = { kind: "invalid-results"; message: string; line: number; column: number };

/**
 * Reads a results file's text, with the notebook's guarantees: numbers kept exactly or refused,
 * nesting bounded, `__proto__` an ordinary key. Errors name the first problem and where it is.
 */
export function parseResults(text: string): { ok: true; results: Results } | { ok: false; error: ResultsError } {
  const refuse = (message: string, offset: number) => {
    const { line, column } = positionAt(text, offset);
    return { ok: false as const, error: { kind: "invalid-results" as const, message, line, column } };
  };
  const { value: raw, problem, protoKey } = readJson(text);
  if (problem) return refuse(problem.kind === "syntax" ? `not JSON: ${problem.message}` : problem.message, problem.offset);
  const parsed = Results.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const where = path.length ? `${path.join(".")}: ` : "";
    return refuse(`not Falsify results: ${where}${issue.message}`, findPathOffset(text, path));
  }
  return { ok: true, results: (protoKey ? keepProtoKeys(raw, parsed.data) : parsed.data) as Results };
}

/** `--shard i/n` text -> Shard (index 0-based), or an error message. */
export function parseShard(text: string): Shard | string {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return `--shard takes index/count with a 0-based index, e.g. 0/4 (got "${text}")`;
  const shard = { index: Number(match[1]), count: Number(match[2]) };
  if (shard.count < 1 || shard.index >= shard.count) return `--shard ${text}: the index must be in 0..count-1`;
  return shard;
}

/** The items shard `index/count` handles: every count-th item starting at index (all without a shard). */
export function shardItems<T>(items: readonly T[], shard: Shard | undefined): T[] {
  return shard ? items.filter((_, i) => i % shard.count === shard.index) : [...items];
}
