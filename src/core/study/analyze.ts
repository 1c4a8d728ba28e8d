// Scoring a forward-prediction study: did people predict the model better with an explanation
// than without?
// - Per condition, accuracy over all its trials against chance (1 / number of choices) with the
//   exact binomial test (one-sided, greater), and its Clopper–Pearson interval.
// - Between an explained condition and a control, per participant (each saw both, counterbalanced):
//   the mean paired accuracy difference, its paired BCa bootstrap interval and Cohen's d_z, and the
//   paired permutation test over participants (sign flips; exact when 2^participants fits).
// - For a declared hypothesis ("saliency maps raise accuracy by at least 10 points over none":
//   paired-permutation, greater, minEffect 0.10), the verdict on the participants' accuracies.
import { binomialTest, type BinomialTestResult } from "../stats/binomial";
import { bootstrap } from "../stats/bootstrap";
import { cohensDz } from "../stats/effect-size";
import { pairedPermutationTest, type PermutationResult } from "../stats/permutation";
import { mean } from "../stats/sample";
import type { Verdict } from "../display";
import { type HypothesisLike, verdict } from "../verdict/verdict";
import { type Study, StudyError } from "./design";
import { StudyAnswers, StudyKey } from "./schema";

export interface StudyAnalysisOptions {
  /** A hypothesis to decide (an id of a hypothesis cell, or the object); its test should be `paired-permutation`. */
  hypothesis?: string | HypothesisLike;
  /** The explained condition the hypothesis is about. Default: the first explained condition. */
  condition?: string;
  /** The control it is compared with. Default: the first condition without explanations. */
  control?: string;
  confidenceLevel?: number;
  seed?: number;
  nResamples?: number;
}

export interface ConditionAccuracy {
  id: string;
  label: string;
  explained: boolean;
  trials: number;
  correct: number;
  accuracy: number;
  /** The exact binomial test against chance (greater), with its Clopper–Pearson interval (two-sided, `confidenceLevel`). */
  vsChance: BinomialTestResult;
  ci: [number, number];
}

export interface ConditionComparison {
  condition: string;
  control: string;
  /** Participants who answered trials of both. */
  participants: number;
  /** Mean over participants of accuracy(condition) − accuracy(control), as a fraction (0.1 = 10 points). */
  difference: number;
  ci: [number, number];
  /** `bca`, or `percentile` when every participant's difference is the same (BCa's acceleration is then undefined). */
  ciMethod: "bca" | "percentile";
  dz: number;
  /** Paired permutation test over participants, two-sided. */
  test: PermutationResult;
}

export interface StudyAnalysis {
  study: string;
  chance: number;
  participants: string[];
  /** Participants whose answers stop before their last trial (their answered trials count). */
  incomplete: string[];
  conditions: ConditionAccuracy[];
  /** participant → condition → accuracy. */
  byParticipant: Record<string, Record<string, number>>;
  /** Explained condition vs control, for every pair at least 2 participants answered both of. */
  comparisons: ConditionComparison[];
  /** Why a comparison is missing (e.g. a pilot with one participant). */
  notes: string[];
  verdict?: Verdict;
}

/** Scores participants' answer files against the study's key (the Study, or its saved StudyKey). */
export function analyzeStudy(answers: readonly unknown[], study: Study | StudyKey | unknown, options: StudyAnalysisOptions = {}): StudyAnalysis {
  const key = parseKey(study);
  const files = answers.map((a, i) => {
    const parsed = StudyAnswers.safeParse(a);
    if (!parsed.success) throw new StudyError("invalid-answers", `answers ${i}: not a Falsify study answers file (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message})`);
    return parsed.data;
  });
  if (!files.length) throw new StudyError("invalid-answers", "no answers to analyse");
  const answerOf = new Map(key.items.map((item) => [item.id, item.answer]));
  const sessions = new Map(key.sessions.map((s) => [s.participant, new Map(s.trials.map((t) => [t.token, t]))]));
  const seen = new Set<string>();
  const tally = new Map<string, Map<string, { correct: number; trials: number }>>();
  const incomplete: string[] = [];
  for (const file of files) {
    if (file.study !== key.study) throw new StudyError("mismatch", `answers of ${file.participant} are for study "${file.study}", not "${key.study}"`);
    const session = sessions.get(file.participant);
    if (!session) throw new StudyError("mismatch", `participant ${file.participant} has no session in study "${key.study}"`);
    if (seen.has(file.participant)) throw new StudyError("mismatch", `two answer files for participant ${file.participant}`);
    seen.add(file.participant);
    if (!file.complete || file.answers.length < session.size) incomplete.push(file.participant);
    const own = new Map<string, { correct: number; trials: number }>();
    const answered = new Set<string>();
    for (const a of file.answers) {
      const trial = session.get(a.trial);
      if (!trial) throw new StudyError("mismatch", `participant ${file.participant} answered trial ${a.trial}, which is not in their session`);
      if (answered.has(a.trial)) throw new StudyError("mismatch", `participant ${file.participant} answered trial ${a.trial} twice`);
      answered.add(a.trial);
      const cell = own.get(trial.condition) ?? { correct: 0, trials: 0 };
      cell.trials++;
      if (a.choice === answerOf.get(trial.item)) cell.correct++;
      own.set(trial.condition, cell);
    }
    tally.set(file.participant, own);
  }
  const chance = 1 / key.choices.length;
  const level = options.confidenceLevel ?? 0.95;
  const participants = [...tally.keys()].sort();
  const conditions = key.conditions.map((c): ConditionAccuracy => {
    let correct = 0, trials = 0;
    for (const own of tally.values()) {
      correct += own.get(c.id)?.correct ?? 0;
      trials += own.get(c.id)?.trials ?? 0;
    }
    if (!trials) throw new StudyError("invalid-answers", `no answered trial in condition "${c.id}"`);
    const vsChance = binomialTest(correct, trials, { p: chance, alternative: "greater", confidenceLevel: level });
    const ci = binomialTest(correct, trials, { p: chance, confidenceLevel: level }).ci;
    return { id: c.id, label: c.label, explained: c.explained, trials, correct, accuracy: correct / trials, vsChance, ci };
  });
  const byParticipant = Object.fromEntries(participants.map((p) => [p, Object.fromEntries([...tally.get(p)!].map(([c, t]) => [c, t.correct / t.trials]))]));
  const paired = (condition: string, control: string) => {
    const both = participants.filter((p) => byParticipant[p][condition] !== undefined && byParticipant[p][control] !== undefined);
    return { both, x: both.map((p) => byParticipant[p][condition]), y: both.map((p) => byParticipant[p][control]) };
  };
  const seed = options.seed ?? 0;
  const notes: string[] = [];
  const comparisons = key.conditions
    .filter((c) => c.explained)
    .flatMap((c) => key.conditions.filter((k) => !k.explained).map((k) => [c.id, k.id] as const))
    .flatMap(([condition, control]): ConditionComparison[] => {
      const { both, x, y } = paired(condition, control);
      if (both.length < 2) {
        notes.push(`"${condition}" vs "${control}" not compared: ${both.length} participant(s) answered both, a paired comparison needs 2 or more`);
        return [];
      }
      const diff = x.map((v, i) => v - y[i]);
      const ciMethod = diff.every((d) => d === diff[0]) ? "percentile" : "bca";
      const interval = bootstrap([x, y], (a, b) => mean(Float64Array.from(a, (v, i) => v - b[i])), { method: ciMethod, paired: true, confidenceLevel: level, seed, nResamples: options.nResamples });
      return [{ condition, control, participants: both.length, difference: mean(diff), ci: interval.ci, ciMethod, dz: cohensDz(x, y), test: pairedPermutationTest(x, y, { seed, nResamples: options.nResamples }) }];
    });
  const analysis: StudyAnalysis = { study: key.study, chance, participants, incomplete, conditions, byParticipant, comparisons, notes };
  if (options.hypothesis === undefined) return analysis;
  const condition = options.condition ?? key.conditions.find((c) => c.explained)?.id;
  const control = options.control ?? key.conditions.find((c) => !c.explained)?.id;
  if (!condition || !control) throw new StudyError("invalid-study", "a hypothesis compares an explained condition with a control: name them with condition and control");
  const { x, y } = paired(condition, control);
  // Participants are the unit of analysis: the declared test (paired-permutation or paired-t) pairs their two accuracies.
  return { ...analysis, verdict: verdict(options.hypothesis, x, y, { seed, nResamples: options.nResamples }) };
}

function parseKey(study: unknown): StudyKey {
  const candidate = typeof study === "object" && study !== null && "key" in study ? (study as Study).key : study;
  const parsed = StudyKey.safeParse(candidate);
  if (!parsed.success) throw new StudyError("invalid-study", `not a Falsify study or study key (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message})`);
  return parsed.data;
}
