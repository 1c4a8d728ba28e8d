// Simulated participants, for pilots of the analysis and for CI (example 07): NOT data about people.
// Each simulated participant has a skill drawn once (a normal offset on the log-odds scale, `spread`),
// answers a trial correctly with probability logistic(logit(accuracy[condition]) + skill), else picks
// one of the other choices uniformly; response times are log-normal around 2 s.
import { createRng } from "../stats/rng";
import type { Study } from "./design";
import { STUDY_VERSION, type StudyAnswers } from "./schema";

export interface SimulationOptions {
  /** The probability of a correct answer in each condition, for an average participant. */
  accuracy: Record<string, number>;
  /** Standard deviation of participants' skill on the log-odds scale. Default 0.5. */
  spread?: number;
  /** How many sessions to simulate. Default: all of the study's. */
  participants?: number;
  seed?: number;
}

export function simulateAnswers(study: Study, options: SimulationOptions): StudyAnswers[] {
  const rng = createRng(options.seed ?? 0);
  const logit = (p: number) => Math.log(p / (1 - p));
  for (const c of study.key.conditions) {
    const a = options.accuracy[c.id];
    if (!(a > 0 && a < 1)) throw new RangeError(`accuracy of condition "${c.id}" must be in (0, 1), got ${a}`);
  }
  const answerOf = new Map(study.key.items.map((item) => [item.id, item.answer]));
  const choices = study.key.choices;
  return study.key.sessions.slice(0, options.participants ?? study.key.sessions.length).map((session) => {
    const own = rng.fork(session.participant);
    const skill = (options.spread ?? 0.5) * own.normal();
    const answers = session.trials.map((t) => {
      const right = answerOf.get(t.item)!;
      const p = 1 / (1 + Math.exp(-(logit(options.accuracy[t.condition]) + skill)));
      const wrong = choices.filter((c) => c !== right);
      const choice = own.next() < p ? right : wrong[own.int(wrong.length)];
      return { trial: t.token, choice, ms: Math.round(2000 * Math.exp(0.4 * own.normal())) };
    });
    return { format: "falsify-study-answers", version: STUDY_VERSION, study: study.key.study, participant: session.participant, fields: {}, answers, complete: true };
  });
}
