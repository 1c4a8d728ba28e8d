// A hypothesis cell's YAML body, as a zod schema: the single source of truth for the kernel
// (`hypotheses.get("H1")`), the verdict engine (test kind, alternative, alpha, minimum effect), the
// linter (prediction, null, intervention, baselines) and the editor (completion and hover read the
// field descriptions below). `schemas/hypothesis.schema.json` is generated from it.
//
// `prediction`, `null`, `metric` and `test` are optional here on purpose: a hypothesis without them
// is still a hypothesis, just an unfalsifiable one, and saying so is the linter's job (with a rule,
// a docs page and a strength grade) rather than a schema error that hides everything else.
import { z } from "zod";
import { TWO_SIDED_RULES } from "../stats/permutation";

/** Statistical tests the verdict engine (src/core/verdict) implements. */
export const TEST_KINDS = ["permutation", "paired-permutation", "welch-t", "student-t", "paired-t", "spearman", "pearson"] as const;
export type TestKind = (typeof TEST_KINDS)[number];

/** Ways of testing a claim causally; `none` marks a correlational study. Other words are accepted. */
export const INTERVENTIONS = ["ablation", "perturbation", "randomization", "training", "none"] as const;

/** Multiple-comparison corrections, for hypotheses tested more than once. */
export const CORRECTIONS = ["holm", "bonferroni", "benjamini-hochberg", "benjamini-yekutieli", "none"] as const;

export const ALTERNATIVES = ["greater", "less", "two-sided"] as const;

const text = (description: string) => z.string().trim().min(1, "must not be empty").describe(description);

export const HypothesisId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, "must start with a letter and contain only letters, digits, '_', '.' or '-' (e.g. H1)")
  .describe("Short id that code cells use to link to this hypothesis, e.g. H1.");

export const Baseline = z
  .strictObject({
    name: text("Short name of the control, e.g. random-units, randomized-model, edge-detector, chance."),
    description: text("What the control is and how it is computed.").optional(),
  })
  .describe("A control the observation must beat.");
export type Baseline = z.infer<typeof Baseline>;

export const StatTest = z
  .strictObject({
    kind: z.enum(TEST_KINDS).describe(`The statistical test: ${TEST_KINDS.join(", ")}.`),
    alternative: z.enum(ALTERNATIVES).default("two-sided").describe("Direction of the predicted effect: greater, less or two-sided."),
    alpha: z.number().gt(0).lt(1).default(0.05).describe("Significance level; the verdict says 'supported' only when p < alpha."),
    minEffect: z
      .number()
      .optional()
      .describe("Smallest effect size that counts as support (in the metric's units or as the test's effect size)."),
    twoSided: z
      .enum(TWO_SIDED_RULES)
      .optional()
      .describe(
        "Two-sided p of a permutation test: absolute (default) is the share of resamples with |T*| >= |T|; doubled is twice the smaller one-sided p, as scipy.stats.permutation_test computes it. Both are valid; they differ when the null distribution is skewed.",
      ),
    correction: z
      .enum(CORRECTIONS)
      .optional()
      .describe(`Multiple-comparison correction when the hypothesis is tested more than once: ${CORRECTIONS.join(", ")}.`),
  })
  .describe("How the prediction is decided.");
export type StatTest = z.infer<typeof StatTest>;

export const Alternative = z
  .strictObject({
    id: HypothesisId.optional(),
    claim: text("The competing explanation."),
    prediction: text("What we would observe if the competing explanation held instead."),
  })
  .describe("A competing hypothesis and the observation that would tell it apart.");
export type Alternative = z.infer<typeof Alternative>;

export const Hypothesis = z
  .strictObject({
    id: HypothesisId,
    claim: text("The claim, in one sentence."),
    prediction: text("What we will observe if the claim holds (concrete, measurable).").optional(),
    null: text("What we will observe if the claim does not hold.").optional(),
    intervention: z
      .union([z.enum(INTERVENTIONS), z.string().trim().min(1)])
      .optional()
      .describe(`How the claim is tested causally (${INTERVENTIONS.filter((i) => i !== "none").join(", ")}, ...) or none for a correlational study.`),
    baselines: z.array(Baseline).default([]).describe("The controls: random units, randomized model, label-shuffled model, chance level, ..."),
    metric: text("The quantity measured, e.g. drop in test accuracy.").optional(),
    test: StatTest.optional(),
    alternatives: z.array(Alternative).optional().describe("Competing hypotheses, each with its own prediction."),
  })
  .describe("A falsifiable hypothesis: a hypothesis cell's YAML body.");
export type Hypothesis = z.infer<typeof Hypothesis>;

/** Field names and their one-line docs, for completion and hover in hypothesis cells. */
export function hypothesisFieldDocs(): Record<string, string> {
  const docs: Record<string, string> = {};
  const collect = (shape: Record<string, z.ZodType>, prefix: string) => {
    for (const [name, schema] of Object.entries(shape)) docs[prefix + name] = descriptionOf(schema);
  };
  collect(Hypothesis.shape, "");
  collect(StatTest.shape, "test.");
  collect(Baseline.shape, "baselines.");
  collect(Alternative.shape, "alternatives.");
  return docs;
}

/** zod keeps a description on the schema it was given, so look through optional/default wrappers. */
function descriptionOf(schema: z.ZodType): string {
  let current: unknown = schema;
  while (current) {
    const described = (current as z.ZodType).description;
    if (described) return described;
    const unwrap = (current as { unwrap?: () => unknown }).unwrap;
    current = typeof unwrap === "function" ? unwrap.call(current) : undefined;
  }
  return "";
}

export function hypothesisJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(Hypothesis, { io: "input", unrepresentable: "any" }),
    $id: "https://falsify.dev/schemas/hypothesis.schema.json",
    title: "Falsify hypothesis cell",
  };
}
