// Which attribution methods can I trust on this kind of model? Every method scored on a flaw whose
// location is known (Räuker et al.: judge tools by whether they find what an adversary planted): each
// method's maps of the flawed model on triggered inputs, localised against the trigger's mask, with
// intervals, a test against chance (the mask's area fraction) and, when the clean twin is given, the
// same method's maps of the twin on the same inputs and classes. The tests against chance are
// corrected across methods (one family per score; Holm by default): asking eight methods is eight
// chances to find one that looks good by luck. A method that cannot explain this model (Guided
// Backprop on a model it cannot see the ReLUs of) is listed with its reason, never dropped silently.
// The run is one progress task of every method's maps (of the model, and of the twin), which an
// interrupt stops between two of them (and, through the method's own task, within one).
import type * as tf from "@tensorflow/tfjs";
import type { Verdict } from "../../display";
import { withTask } from "../../progress";
import type { PAdjustMethod } from "../../stats/multiple-comparisons";
import { correctVerdicts } from "../../verdict/corrections";
import { InterpError } from "../activations";
import { ATTRIBUTION_FUNCTIONS, type AttributionMethod, type Explainable, type Target } from "../attribution";
import { resolveTargets, scoredModel } from "../attribution/scores";
import { type Explainer, explainer, type MethodOptions } from "../sanity/sanity-check";
import { LOCALISATION_METRICS, localisation, type LocalisationMetric, type LocalisationResult } from "./localisation";

/** Every attribution method of the toolkit, in the scoreboard's default order. */
export const SCOREBOARD_METHODS = Object.keys(ATTRIBUTION_FUNCTIONS) as readonly AttributionMethod[];

export interface ScoreboardOptions {
  /** Methods to score: built-in names, or named explainers of your own. Default every built-in method. */
  methods?: (AttributionMethod | { name: string; explain: Explainer })[];
  /** Options per built-in method (steps, samples, layer, window…), by name. */
  methodOptions?: Partial<Record<AttributionMethod, MethodOptions>>;
  /** The clean twin (same architecture, trained without the flaw): the second control. */
  twin?: Explainable;
  /** Class explained, the same for the twin. Default: the flawed model's prediction. */
  target?: Target;
  /** Relevance of a pixel (see `localisation`). Default `absolute`. */
  relevance?: "absolute" | "positive";
  /** Correction of the tests against chance across methods. Default `holm`. */
  correction?: PAdjustMethod;
  alpha?: number;
  seed?: number;
}

export interface ScoreboardEntry {
  name: string;
  /** The localisation of the method's maps (absent when the method could not explain the model). */
  result?: LocalisationResult;
  /** Why the method could not explain this model. */
  notApplicable?: string;
  /** The tests against chance after the correction across methods, per score. */
  corrected?: Record<LocalisationMetric, Verdict>;
  seconds: number;
}

/** One row of the table: a method and a score. */
export interface ScoreboardRow {
  method: string;
  metric: LocalisationMetric;
  mean: number;
  lower: number;
  upper: number;
  chance: number;
  /** Corrected p of "the method scores above chance", and its verdict. */
  p: number;
  verdict: Verdict["verdict"];
  twinMean?: number;
  /** p of "the method scores higher on the flawed model than on the clean twin" (uncorrected). */
  pVsTwin?: number;
}

export interface Scoreboard {
  entries: ScoreboardEntry[];
  /** Every applicable method × score, in method order. */
  table: ScoreboardRow[];
  /** `localisationChart`'s input: one row of panels per applicable method. */
  chartInput: { name: string; result: LocalisationResult }[];
  chanceLevel: number;
  targets: number[];
  correction: PAdjustMethod;
}

/** Scores every method's maps of `model` on `inputs` against `mask` (one [h][w] mask, or one per input). */
export async function methodScoreboard(model: Explainable, inputs: tf.Tensor, mask: number[][] | number[][][], options: ScoreboardOptions = {}): Promise<Scoreboard> {
  const targets = resolveTargets(scoredModel(model, options.methodOptions?.gradient?.output), inputs, options.target);
  const methods = (options.methods ?? SCOREBOARD_METHODS).map((m) => (typeof m === "string" ? { name: m, explain: explainer(m, options.methodOptions?.[m]) } : m));
  const models = options.twin ? [model, options.twin] : [model];
  const entries = await withTask("methodScoreboard", methods.length * models.length, "method maps", async (task) => {
    const entries: ScoreboardEntry[] = [];
    for (const { name, explain } of methods) {
      const started = performance.now();
      const maps = [];
      try {
        for (const m of models) {
          task.check();
          maps.push(await explain(m, inputs, targets));
          task.advance();
        }
        const result = localisation(maps[0], mask, { relevance: options.relevance, twin: maps[1], alpha: options.alpha, seed: options.seed });
        entries.push({ name, result, seconds: (performance.now() - started) / 1000 });
      } catch (error) {
        // A method that cannot take this model says why; a bug in a method that can is still thrown.
        if (!(error instanceof InterpError && error.kind === "unsupported-model")) throw error;
        task.advance(models.length - maps.length);
        entries.push({ name, notApplicable: error.message, seconds: (performance.now() - started) / 1000 });
      }
    }
    return entries;
  });
  const scored = entries.filter((e): e is ScoreboardEntry & { result: LocalisationResult } => !!e.result);
  const correction = options.correction ?? "holm";
  for (const metric of LOCALISATION_METRICS) {
    const adjusted = correctVerdicts(scored.map((e) => e.result.tests[metric].vsChance), correction);
    scored.forEach((e, i) => ((e.corrected ??= {} as Record<LocalisationMetric, Verdict>)[metric] = adjusted[i]));
  }
  const table = scored.flatMap((e) =>
    LOCALISATION_METRICS.map((metric): ScoreboardRow => {
      const summary = e.result.summary[metric];
      const corrected = e.corrected![metric];
      return {
        method: e.name,
        metric,
        mean: summary.mean,
        lower: summary.ci[0],
        upper: summary.ci[1],
        chance: e.result.chanceLevel,
        p: corrected.p,
        verdict: corrected.verdict,
        ...(e.result.twinSummary ? { twinMean: e.result.twinSummary[metric].mean, pVsTwin: e.result.tests[metric].vsTwin!.p } : {}),
      };
    }),
  );
  return {
    entries,
    table,
    chartInput: scored.map((e) => ({ name: e.name, result: e.result })),
    chanceLevel: scored[0]?.result.chanceLevel ?? NaN,
    targets: Array.from(targets),
    correction,
  };
}
